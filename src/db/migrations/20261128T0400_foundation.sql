-- Foundation: reference data (geography, vocabularies) and the outbox for side effects.

-- Which version of each shipped reference data set is loaded, so a load can be skipped when unchanged.
create table ref_datasets (
  name        text primary key,
  version     text not null,
  checksum    text not null,
  source      text not null,
  licence     text not null,
  loaded_at   timestamptz not null default now()
);

-- Mexico's 32 federal entities, by INEGI code ('01'..'32', strings: INEGI's order is not alphabetical).
create table ref_states (
  code           text primary key check (code ~ '^[0-9]{2}$'),
  name           text not null,
  official_name  text not null,
  abbreviation   text not null,
  iso_3166_2     text not null unique check (iso_3166_2 ~ '^MX-[A-Z]{3}$'),
  geometry       jsonb
);

-- INEGI's municipality catalogue. Rows are never deleted (records refer to them): a municipality that
-- leaves the catalogue keeps its row with `retired_in` set to the first catalogue version without it.
create table ref_municipalities (
  cvegeo             text primary key check (cvegeo ~ '^[0-9]{5}$'),
  state_code         text not null references ref_states (code),
  code               text not null check (code ~ '^[0-9]{3}$'),
  name               text not null,
  seat_name          text,
  lat                double precision check (lat between -90 and 90),
  lon                double precision check (lon between -180 and 180),
  population_2020    integer check (population_2020 >= 0),
  catalogue_version  text not null,
  retired_in         text,
  unique (state_code, code),
  check (cvegeo = state_code || code)
);

-- Controlled vocabularies (act types, perpetrator types, ...). Built-in terms come from data/reference
-- and are refreshed on load; terms an administrator adds are 'local' and never touched by a load.
create table vocabularies (
  name            text primary key check (name ~ '^[a-z][a-z0-9_]*$'),
  label_es        text not null,
  label_en        text not null,
  description_es  text not null default '',
  description_en  text not null default ''
);

create table vocabulary_terms (
  vocabulary      text not null references vocabularies (name),
  code            text not null check (code ~ '^[A-Z][A-Z0-9_]*$'),
  label_es        text not null,
  label_en        text not null,
  description_es  text not null default '',
  description_en  text not null default '',
  huridocs_code   text check (huridocs_code ~ '^[0-9]{2,14}$'),
  parent_code     text,
  sort_order      integer not null default 0,
  active          boolean not null default true,
  origin          text not null default 'builtin' check (origin in ('builtin', 'local')),
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (vocabulary, code),
  foreign key (vocabulary, parent_code) references vocabulary_terms (vocabulary, code)
);

-- Every side effect (e-mail, webhook, feed) is a row here, written in the same transaction as the
-- change that causes it. Workers claim rows with a lease; `claim_token` fences a worker whose lease
-- expired so it can no longer complete or fail a job another worker has taken over.
create table outbox_jobs (
  id             bigint generated always as identity primary key,
  kind           text not null check (kind ~ '^[a-z][a-z0-9_.-]*$'),
  payload        jsonb not null default '{}'::jsonb,
  status         text not null default 'pending' check (status in ('pending', 'running', 'done', 'dead')),
  attempts       integer not null default 0 check (attempts >= 0),
  max_attempts   integer not null check (max_attempts >= 1),
  run_at         timestamptz not null default now(),
  claim_token    uuid,
  locked_by      text,
  locked_until   timestamptz,
  last_error     text,
  dedupe_key     text unique,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  completed_at   timestamptz
);

create index outbox_jobs_due on outbox_jobs (run_at) where status = 'pending';
create index outbox_jobs_leased on outbox_jobs (locked_until) where status = 'running';
