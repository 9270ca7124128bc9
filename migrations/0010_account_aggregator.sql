-- Account Aggregator mode (issue 12, docs/aa.md). Data fetched through an AA becomes statements
-- like uploaded PDFs (source 'aa'), one per account per fetch, so processing, insights and
-- webhooks need nothing new. Their rows were printed on no page: page, bbox and page_count are
-- null for them, and they keep the FIP's own transaction id and reference instead.
alter table transactions alter column page drop not null;
alter table transactions alter column bbox drop not null;
alter table transactions add column fip_transaction_id text;
alter table transactions add column reference text;
alter table statements alter column page_count drop not null;

-- One consent asked of the user's AA for a session: one-time (ONETIME) or recurring (PERIODIC).
-- `status` is the consent's state as Passbook last learnt it (PENDING until the user acts, then
-- ACTIVE, REJECTED, PAUSED, REVOKED, EXPIRED, or FAILED when the AA's answers could not be
-- trusted). `accounts` and `digital_signature` come from the verified signed consent.
create table aa_consents (
  consent_request_id uuid primary key,
  session_id uuid not null references sessions (session_id) on delete cascade,
  fetch_type text not null check (fetch_type in ('ONETIME', 'PERIODIC')),
  consent_handle text not null unique,
  consent_id text unique,
  status text not null,
  from_date date not null,
  to_date date not null,
  consent_expiry timestamptz not null,
  frequency_unit text,
  frequency_value integer,
  accounts jsonb,
  digital_signature text,
  error_code text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index aa_consents_session on aa_consents (session_id);

-- One FI request (a data fetch) on a consent. The data goes to `session_id`: the consent's own
-- session for the first fetch, a new session for each recurring fetch. `key_material` is the
-- FIU's ephemeral private key and nonce, sealed with AA_DATA_KEY, and cleared once the data is
-- decrypted. `accounts` holds each account's FI status (READY, DENIED, PENDING, DELIVERED,
-- TIMEOUT) as notified or as found at fetch.
create table aa_fi_requests (
  fi_request_id uuid primary key,
  consent_request_id uuid not null references aa_consents (consent_request_id) on delete cascade,
  session_id uuid not null references sessions (session_id) on delete cascade,
  aa_session_id text unique,
  status text not null,
  from_date date not null,
  to_date date not null,
  key_material bytea,
  accounts jsonb not null default '[]',
  error_code text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index aa_fi_requests_consent on aa_fi_requests (consent_request_id);
create index aa_fi_requests_session on aa_fi_requests (session_id);
