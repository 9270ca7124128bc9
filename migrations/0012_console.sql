-- The lender console (issue 14): people of a client who sign in with email and password, their
-- signed-in browser sessions, and the audit log of what they changed.

create table console_users (
  user_id uuid primary key,
  client_id uuid not null references clients (client_id),
  -- Stored lower-cased and trimmed: one account per address whatever its spelling.
  email text not null unique,
  name text not null,
  role text not null check (role in ('admin', 'analyst')),
  -- scrypt$<N>$<r>$<p>$<salt base64>$<key base64> (src/lib/password-hash.ts).
  password_hash text not null,
  disabled_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index console_users_client on console_users (client_id, created_at);

-- A signed-in browser: the cookie holds a random token, stored here only as its SHA-256 hash.
-- (The CSRF token is derived from the cookie's token, so it needs no column: console-sign-in.ts.)
create table console_sign_ins (
  token_hash text primary key,
  user_id uuid not null references console_users (user_id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index console_sign_ins_user on console_sign_ins (user_id);

-- Failed sign-ins per email address, whether or not it names a user (so that a locked address
-- says nothing about whether it has an account); cleared by a successful sign-in.
create table console_sign_in_failures (
  email text primary key,
  failures integer not null,
  locked_until timestamptz
);

-- Every change made from the console (and to console users by the admin API or CLI).
create table console_audit_log (
  seq bigserial primary key,
  client_id uuid not null references clients (client_id),
  -- Null when the change came from the admin API or the CLI rather than a signed-in person.
  user_id uuid references console_users (user_id),
  actor text not null,
  action text not null,
  target text,
  details jsonb not null default '{}',
  at timestamptz not null
);
create index console_audit_log_client on console_audit_log (client_id, seq desc);

-- The console lists a client's sessions newest first, and finds them by link_id.
create index sessions_client_created on sessions (client_id, created_at desc, session_id);
create index sessions_client_link on sessions (client_id, link_id);
