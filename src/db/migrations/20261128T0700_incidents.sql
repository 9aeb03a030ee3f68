-- Incident documentation: intake reports, structured incident records with their versions, evidence,
-- and the per-organization data keys that seal what must never be stored in plain text.

-- Each organization's data keys, wrapped by the instance master key (src/crypto/keyring.ts). A new
-- version is added on rotation; old versions stay to open what they sealed.
create table organization_keys (
  organization_id  uuid not null references organizations (id),
  version          integer not null check (version >= 1),
  wrapped_key      text not null,
  master_key_id    text not null check (master_key_id ~ '^[0-9a-f]{16}$'),
  created_at       timestamptz not null default now(),
  primary key (organization_id, version)
);

-- Networks that take anonymous public reports into their triage inbox.
alter table organizations add column accepts_public_reports boolean not null default false;

-- What a shelter (or anyone, anonymously) reported, before a documenter turns it into an incident.
-- The testimony, contact and anything typed is in `sealed` (the receiving organization's key); the
-- plain columns hold only codes and dates needed to sort, filter and find duplicates.
create table reports (
  id                 uuid primary key,
  organization_id    uuid not null references organizations (id),
  channel            text not null check (channel in ('public', 'member')),
  -- The receipt a reporter keeps: a public code, and a secret of which only a hash is stored.
  receipt_code       text not null unique check (receipt_code ~ '^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$'),
  secret_hash        text not null,
  -- A retry with the same key answers the first result instead of filing the report twice.
  idempotency_key    text unique check (length(idempotency_key) between 8 and 100),
  submitted_by       uuid references users (id),
  status             text not null default 'new'
                     check (status in ('new', 'needs_information', 'incident_created', 'attached', 'rejected')),
  state_code         text references ref_states (code),
  municipality_code  text references ref_municipalities (cvegeo),
  place_type         text,
  occurred_on        date,
  date_precision     text check (date_precision in ('day', 'month', 'approximate')),
  perpetrator_type   text,
  may_contact        boolean not null default false,
  may_publish        boolean not null default false,
  sealed             text not null,
  incident_id        uuid,
  -- Why it was rejected or what information is missing, in words the reporter can read (sealed).
  resolution_sealed  text,
  triaged_by         uuid references users (id),
  triaged_at         timestamptz,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now()
);
create index reports_inbox on reports (organization_id, status, created_at desc);

-- Later information a reporter adds with their receipt, sealed like the report.
create table report_additions (
  id          uuid primary key,
  report_id   uuid not null references reports (id),
  sealed      text not null,
  created_at  timestamptz not null default now()
);
create index report_additions_report on report_additions (report_id, created_at);

-- Numbers incident references (INC-000123): readable, stable, and revealing nothing but an order.
create sequence incident_numbers;

-- An incident, following the HURIDOCS Events Standard Formats. `document` holds the structured record
-- (acts, victims, involvements, sources, interventions, links) without identities or exact places;
-- those are in `sealed`. The columns beside it are copies of the document kept for filters and search.
create table incidents (
  id                   uuid primary key,
  organization_id      uuid not null references organizations (id),
  reference            text not null unique,
  status               text not null default 'reported'
                       check (status in ('reported', 'in_review', 'verified', 'rejected', 'needs_information')),
  version              integer not null default 1 check (version >= 1),
  document             jsonb not null,
  sealed               text,
  title                text not null,
  state_code           text references ref_states (code),
  municipality_code    text references ref_municipalities (cvegeo),
  place_type           text,
  start_date           date,
  date_precision       text check (date_precision in ('day', 'month', 'approximate')),
  end_date             date,
  act_types            text[] not null default '{}',
  perpetrator_types    text[] not null default '{}',
  victim_types         text[] not null default '{}',
  legal_rule_ids       text[] not null default '{}',
  legal                jsonb not null default '[]'::jsonb,
  has_evidence         boolean not null default false,
  shared_with_networks boolean not null default false,
  may_publish          boolean not null default false,
  search_vector        tsvector,
  created_by           uuid references users (id),
  -- Who made the last change: four eyes means the verifier must be someone else.
  last_changed_by      uuid references users (id),
  verified_by          uuid references users (id),
  verified_at          timestamptz,
  archived_at          timestamptz,
  archive_reason       text,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now()
);
create index incidents_org_status on incidents (organization_id, status, updated_at desc, id);
create index incidents_state on incidents (state_code, start_date);
create index incidents_acts on incidents using gin (act_types);
create index incidents_perpetrators on incidents using gin (perpetrator_types);
create index incidents_victims on incidents using gin (victim_types);
create index incidents_search on incidents using gin (search_vector);

-- Every change to an incident, whole: who, when, what kind of change, and the record as it then was.
create table incident_versions (
  incident_id  uuid not null references incidents (id),
  version      integer not null,
  status       text not null,
  document     jsonb not null,
  sealed       text,
  change_kind  text not null check (change_kind ~ '^[a-z_]+$'),
  note         text,
  changed_by   uuid references users (id),
  changed_at   timestamptz not null default now(),
  primary key (incident_id, version)
);

-- Reviewers' notes on an incident (reasoning about sources, legal qualification, missing facts).
create table incident_notes (
  id           uuid primary key,
  incident_id  uuid not null references incidents (id),
  author_id    uuid not null references users (id),
  body         text not null check (length(body) between 1 and 5000),
  created_at   timestamptz not null default now()
);
create index incident_notes_incident on incident_notes (incident_id, created_at);

-- Evidence files. The original is stored encrypted under the organization's data key; images also get
-- a copy with all metadata removed, which is what anyone sees. Every access is an audit entry on the
-- evidence (subject_type 'evidence'), which is its chain of custody.
create table evidence (
  id                uuid primary key,
  organization_id   uuid not null references organizations (id),
  incident_id       uuid references incidents (id),
  report_id         uuid references reports (id),
  status            text not null default 'uploading' check (status in ('uploading', 'complete', 'refused')),
  declared_length   bigint not null check (declared_length >= 0),
  received_length   bigint not null default 0 check (received_length >= 0),
  key_version       integer not null,
  mime_type         text,
  kind              text check (kind in ('image', 'video', 'audio', 'document')),
  sha256            text check (sha256 ~ '^[0-9a-f]{64}$'),
  has_redacted_copy boolean not null default false,
  -- The file name as the uploader gave it (it can hold a name or a place), and their description.
  sealed            text,
  uploaded_by       uuid references users (id),
  created_at        timestamptz not null default now(),
  received_at       timestamptz,
  check (received_length <= declared_length)
);
create index evidence_incident on evidence (incident_id);
create index evidence_report on evidence (report_id);

-- Per-address counters for anonymous intake (reports, proof-of-work challenges), by time window.
create table intake_throttle (
  bucket        text not null,
  window_start  timestamptz not null,
  count         integer not null default 0,
  primary key (bucket, window_start)
);

-- Proof-of-work challenges already spent, so one solution can file one report only.
create table spent_challenges (
  challenge_id  text primary key,
  expires_at    timestamptz not null
);
