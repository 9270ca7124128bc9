-- Clients (tenants). Only hashes of their credentials are stored.
create table clients (
  client_id uuid primary key,
  name text not null,
  api_key_hash text not null unique,
  server_hash_hash text not null,
  enabled_modes text[] not null,
  plan_status text not null check (plan_status in ('active', 'expired')),
  allowed_redirect_hosts text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table sessions (
  session_id uuid primary key,
  client_id uuid not null references clients (client_id),
  link_id text not null,
  status text not null,
  from_date date not null,
  to_date date not null,
  months text[] not null,
  max_from_date date,
  max_to_date date,
  bank_name text,
  mode text,
  journey_mode text,
  redirect_url text,
  logo_url text,
  mobile_number text,
  is_mobile_field_editable boolean not null,
  accept_anything boolean not null,
  aa jsonb,
  metadata jsonb,
  created_at timestamptz not null,
  expires_at timestamptz not null
);

-- Idempotency-Key replay records: the first successful response per (client, scope, key).
create table idempotency_keys (
  client_id uuid not null references clients (client_id),
  scope text not null,
  key text not null,
  request_hash text not null,
  response_status integer not null,
  response_body jsonb not null,
  created_at timestamptz not null default now(),
  primary key (client_id, scope, key)
);
