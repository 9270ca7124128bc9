-- Accounts found in a session's statements (one per bank + account number).
create table accounts (
  account_id uuid primary key,
  session_id uuid not null references sessions (session_id) on delete cascade,
  bank_name text not null,
  account_number text,
  identity jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index accounts_session_bank_number on accounts (session_id, bank_name, coalesce(account_number, ''));

-- Uploaded statements. file_sha256 makes a second upload of the same file a duplicate.
create table statements (
  statement_id uuid primary key,
  session_id uuid not null references sessions (session_id) on delete cascade,
  account_id uuid not null references accounts (account_id) on delete cascade,
  bank_name text not null,
  source text not null,
  file_sha256 text not null,
  blob_key text not null,
  upload_file_name text,
  page_count integer not null,
  from_date date,
  to_date date,
  opening_balance_paise bigint,
  closing_balance_paise bigint,
  reconciled boolean not null,
  first_break jsonb,
  created_at timestamptz not null default now(),
  unique (session_id, file_sha256)
);
create index statements_session on statements (session_id);

-- Every transaction, in statement order, with where it was printed.
create table transactions (
  statement_id uuid not null references statements (statement_id) on delete cascade,
  seq integer not null,
  account_id uuid not null,
  date date not null,
  narration text not null,
  chq_num text,
  type text not null check (type in ('debit', 'credit')),
  amount_paise bigint not null,
  balance_paise bigint not null,
  page integer not null,
  bbox real[] not null,
  primary key (statement_id, seq)
);
create index transactions_account on transactions (account_id, date);
