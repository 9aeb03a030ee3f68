-- People and access: organizations and networks, people and their roles, sign-in, sessions, two-factor,
-- invitations, password resets and API tokens. Secrets (passwords, tokens, codes) are stored only as
-- hashes; a leaked table must not let anyone sign in.

create table organizations (
  id               uuid primary key default gen_random_uuid(),
  slug             text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name             text not null check (length(name) between 2 and 200),
  -- 'shelter' and 'organization' hold records; a 'network' (a council, a shelter network) groups them.
  kind             text not null check (kind in ('shelter', 'organization', 'network')),
  state_code       text references ref_states (code),
  municipality     text references ref_municipalities (cvegeo),
  -- Whether new incidents are shared with the organization's networks unless the documenter says otherwise.
  share_with_networks_by_default boolean not null default false,
  created_at       timestamptz not null default now(),
  archived_at      timestamptz
);

-- A shelter can belong to several networks; sharing a record with a network is an explicit act.
create table network_members (
  network_id       uuid not null references organizations (id),
  organization_id  uuid not null references organizations (id),
  added_at         timestamptz not null default now(),
  primary key (network_id, organization_id),
  check (network_id <> organization_id)
);

create table users (
  id                 uuid primary key default gen_random_uuid(),
  -- Stored lower-cased; compared lower-cased.
  email              text not null unique check (email = lower(email) and email like '%_@_%'),
  display_name       text not null check (length(display_name) between 1 and 120),
  password_hash      text,
  is_instance_admin  boolean not null default false,
  totp_secret        text,
  totp_enabled_at    timestamptz,
  created_at         timestamptz not null default now(),
  disabled_at        timestamptz
);

-- A person's roles, per organization; the same person can hold different roles in different places.
create table memberships (
  user_id          uuid not null references users (id),
  organization_id  uuid not null references organizations (id),
  role             text not null check (role in ('reporter', 'documenter', 'reviewer', 'administrator')),
  granted_by       uuid references users (id),
  granted_at       timestamptz not null default now(),
  primary key (user_id, organization_id, role)
);
create index memberships_by_organization on memberships (organization_id);

-- Server-side sessions. The cookie carries a random token; only its SHA-256 is stored here.
create table sessions (
  id               uuid primary key default gen_random_uuid(),
  token_hash       text not null unique,
  user_id          uuid not null references users (id),
  csrf_token       text not null,
  -- Whether this session passed the second factor (or the person has none yet).
  mfa_verified     boolean not null default false,
  created_at       timestamptz not null default now(),
  last_seen_at     timestamptz not null default now(),
  expires_at       timestamptz not null,
  revoked_at       timestamptz,
  ip               text,
  user_agent       text
);
create index sessions_by_user on sessions (user_id) where revoked_at is null;

create table recovery_codes (
  user_id     uuid not null references users (id),
  code_hash   text not null,
  used_at     timestamptz,
  created_at  timestamptz not null default now(),
  primary key (user_id, code_hash)
);

-- Failed sign-ins per account and per address, for throttling and temporary locks.
create table sign_in_throttle (
  key           text primary key,
  failures      integer not null default 0,
  window_start  timestamptz not null default now(),
  locked_until  timestamptz
);

create table invitations (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references organizations (id),
  email            text not null check (email = lower(email)),
  role             text not null check (role in ('reporter', 'documenter', 'reviewer', 'administrator')),
  token_hash       text not null unique,
  invited_by       uuid references users (id),
  created_at       timestamptz not null default now(),
  expires_at       timestamptz not null,
  accepted_at      timestamptz,
  revoked_at       timestamptz
);

create table password_resets (
  token_hash   text primary key,
  user_id      uuid not null references users (id),
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  used_at      timestamptz
);

-- Tokens for integrations: one organization, a set of permissions, shown once, stored hashed.
create table api_tokens (
  id               uuid primary key default gen_random_uuid(),
  organization_id  uuid not null references organizations (id),
  name             text not null check (length(name) between 1 and 120),
  token_hash       text not null unique,
  permissions      text[] not null,
  created_by       uuid references users (id),
  created_at       timestamptz not null default now(),
  last_used_at     timestamptz,
  revoked_at       timestamptz
);
