-- Enrichment and analysis (issue 11). The processing job analyses each account once and stores
-- the whole analysis as one JSON document (the internal model: paise and ISO dates; the wire is
-- rendered from it on each read, never recomputed). `document` is text, not jsonb: it is only
-- ever written and read whole, and a 16,000-transaction document converts to jsonb slowly.
create table account_analyses (
  account_id uuid primary key references accounts (account_id) on delete cascade,
  session_id uuid not null references sessions (session_id) on delete cascade,
  enrichment_version text not null,
  analysed_at timestamptz not null,
  document text not null
);
create index account_analyses_session on account_analyses (session_id);

-- The session's aggregate monthly analysis, over all its analysed accounts.
create table session_analyses (
  session_id uuid primary key references sessions (session_id) on delete cascade,
  enrichment_version text not null,
  analysed_at timestamptz not null,
  document text not null
);

-- Fraud findings about one statement's file and rows, found at upload while its bytes are in
-- hand (metadata, revisions, covered text, balance breaks): FraudFinding[] (domain/insights.ts).
alter table statements add column fraud_findings jsonb not null default '[]';
