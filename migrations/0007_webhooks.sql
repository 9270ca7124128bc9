-- Webhooks. One URL per client (BankConnect's update_webhook). The signing secret is kept as
-- is, not hashed: the server must compute HMACs with it (as Stripe and Standard Webhooks do);
-- it opens nothing on this API. After a rotation the previous secret also signs until
-- previous_webhook_secret_until, so a lender can roll its receivers over without a gap.
alter table clients add column webhook_url text;
alter table clients add column webhook_mode integer;
alter table clients add column webhook_secret text;
alter table clients add column previous_webhook_secret text;
alter table clients add column previous_webhook_secret_until timestamptz;

-- Set once, when SESSION_REQUIREMENT_COMPLETION_NOTIFICATION is recorded for the session.
alter table sessions add column completion_notified_at timestamptz;

-- The outbox: an event is written in the same transaction as the state change that causes it,
-- then delivered by the worker, in `seq` order within a session. `body` is the exact JSON that
-- is signed and sent, kept as text so that every retry sends the same bytes.
create table webhook_events (
  event_id uuid primary key,
  seq bigserial not null unique,
  client_id uuid not null references clients (client_id),
  session_id uuid not null,
  event_name text not null,
  body text not null,
  created_at timestamptz not null,
  -- pending, delivered, failed (retries used up), skipped (no webhook_url configured)
  status text not null default 'pending',
  -- The oldest pending event of its session. Only heads are delivered, which keeps a session's
  -- events in order; when a head leaves `pending`, the session's next pending event becomes
  -- the head. Writers of both kinds lock the session row first, so they see each other.
  head boolean not null,
  next_attempt_at timestamptz not null,
  -- No attempt is scheduled after this; the event then fails. Set by the first attempt (from
  -- created_at and the operator's retry window) and again by a replay.
  retry_until timestamptz,
  locked_until timestamptz,
  attempts integer not null default 0,
  delivered_at timestamptz,
  finished_at timestamptz,
  last_error text
);
create index webhook_events_due on webhook_events (next_attempt_at, seq) where status = 'pending' and head;
create index webhook_events_session on webhook_events (session_id, seq);
create index webhook_events_pending on webhook_events (session_id, seq) where status = 'pending';

-- Every delivery attempt, for the delivery log.
create table webhook_attempts (
  event_id uuid not null references webhook_events (event_id) on delete cascade,
  attempt integer not null,
  started_at timestamptz not null,
  status_code integer,
  latency_ms integer not null,
  error text,
  primary key (event_id, attempt)
);
