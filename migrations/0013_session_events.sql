-- What happened to a session that no other table records, for the console's timeline (issue 14):
-- the journey's first opening and every refused upload with its reason. The rest of the
-- timeline (creation, stored statements, submission, processing, webhooks, deletion) is read
-- from the rows that already record it, so that no fact is stored twice.
--   journey_opened  once per session: the hosted journey first asked for its state
--   upload_refused  an upload answered with an error: { code, message, file_name, channel }
create table session_events (
  seq bigserial primary key,
  session_id uuid not null references sessions (session_id) on delete cascade,
  kind text not null check (kind in ('journey_opened', 'upload_refused')),
  at timestamptz not null,
  details jsonb not null default '{}'
);
create index session_events_session on session_events (session_id, seq);
create unique index session_events_opened_once on session_events (session_id) where kind = 'journey_opened';

-- When a statement became visible, by the service's clock (created_at is the database's, at the
-- start of storing). Null for statements stored before this column: the timeline then shows created_at.
alter table statements add column stored_at timestamptz;
