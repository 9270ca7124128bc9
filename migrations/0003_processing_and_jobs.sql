alter table sessions add column processing_requested_at timestamptz;
alter table sessions add column processing_completed_at timestamptz;
alter table sessions add column deleted_at timestamptz;

-- Set by processing: each account's outcome (completed, or failed with a code).
alter table accounts add column processing_status text;
alter table accounts add column error_code text;
alter table accounts add column error_message text;

-- Durable jobs on the same store. A claimed job is locked for a while; if its process dies,
-- the lock runs out and another worker takes it again, so handlers must be idempotent.
create table jobs (
  job_id uuid primary key,
  kind text not null,
  payload jsonb not null,
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  max_attempts integer not null default 10,
  locked_until timestamptz,
  finished_at timestamptz,
  failed_at timestamptz,
  last_error text,
  created_at timestamptz not null default now()
);
create index jobs_due on jobs (run_at) where finished_at is null and failed_at is null;

-- Values every process must share (e.g. the key that signs download links).
create table settings (
  key text primary key,
  value text not null
);
