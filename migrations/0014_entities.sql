-- The entity flow (issue 15, docs/compatibility.md): an entity is a session created through
-- `entity/` or an entity-flow upload. Its row says so, so that only entities are listed, found
-- by link_id and processed after each upload; everything else (accounts, statements, analyses)
-- is the session's own.
create table entities (
  -- Creation order, for stable pages even when several entities share a created_at.
  seq bigserial not null unique,
  session_id uuid primary key references sessions (session_id) on delete cascade,
  client_id uuid not null references clients (client_id),
  link_id text not null,
  created_at timestamptz not null
);
create index entities_by_link on entities (client_id, link_id, seq);
create index entities_by_client on entities (client_id, seq);
