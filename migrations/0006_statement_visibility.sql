-- A statement's transactions are stored in several short transactions, so that one big
-- statement does not hold the embedded store (PGlite: one session, on the main thread) for
-- the whole insert. Meanwhile the statement row says how far it got:
--   storing     rows are still being written; no reader sees it (nor its new account)
--   stored      complete and visible; the only state readers look at
--   discarding  given up (failed upload, duplicate, or left behind by a crash); being removed
-- Rows written by anything else (earlier versions, tests) are complete, hence the default.
alter table statements add column state text not null default 'stored'
  check (state in ('storing', 'stored', 'discarding'));

-- Only complete statements count as duplicates: an unfinished one left by a crash must not
-- refuse the same file again. Two uploads of one file may both be storing; whichever finishes
-- second fails here (23505 → STATEMENT_DUPLICATE) and discards its rows.
alter table statements drop constraint statements_session_id_file_sha256_key;
create unique index statements_stored_file on statements (session_id, file_sha256) where state = 'stored';

-- The sweeper's look-up of unfinished statements.
create index statements_unfinished on statements (created_at) where state <> 'stored';
