-- Alerts: what a network (a council, a shelter network) says publicly about a pattern, in Spanish and
-- English, addressed to the responsible authorities. One row per alert holds its current state; every
-- change of content or status writes a whole version, so history, diffs and corrections are exact.
-- The public sees only the version named by `published_version` (and the correction notes after it).
create table alerts (
  id                 uuid primary key,
  network_id         uuid not null references organizations (id),
  -- Human reference for the workspace, e.g. ALR-000007.
  reference          text not null unique,
  -- The public address (/alertas/{slug}, /en/alerts/{slug}); fixed at first publication, never reused.
  slug               text unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  status             text not null default 'draft'
                     check (status in ('draft', 'in_review', 'approved', 'published', 'withdrawn')),
  version            integer not null default 1 check (version >= 1),
  -- The bilingual text and the facts it was drafted from (domain/alert.ts, alertContentSchema).
  content            jsonb not null,
  -- The verified incidents the alert speaks of, and the signal it came from, if any.
  incident_ids       uuid[] not null default '{}',
  signal_id          uuid,
  published_version  integer,
  published_at       timestamptz,
  withdrawn_at       timestamptz,
  withdrawal_reason  text,
  created_by         uuid references users (id),
  last_changed_by    uuid references users (id),
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check ((status = 'withdrawn') = (withdrawn_at is not null)),
  check (published_version is null or published_version <= version)
);
create index alerts_network_status on alerts (network_id, status, updated_at desc, id);
create index alerts_published on alerts (published_at desc, id) where published_version is not null;
create sequence alert_numbers;

-- Every version of an alert, whole. `change_kind` says what happened (created, edited, submitted,
-- returned, approved, published, corrected, withdrawn); `note` is the author's note, and for a
-- correction the public correction note.
create table alert_versions (
  alert_id    uuid not null references alerts (id),
  version     integer not null,
  status      text not null,
  content     jsonb not null,
  change_kind text not null,
  note        text,
  changed_by  uuid references users (id),
  changed_at  timestamptz not null default now(),
  primary key (alert_id, version)
);

-- Approvals are of one version: an edit after an approval needs new approvals.
create table alert_approvals (
  alert_id     uuid not null references alerts (id),
  version      integer not null,
  reviewer_id  uuid not null references users (id),
  note         text,
  approved_at  timestamptz not null default now(),
  primary key (alert_id, version, reviewer_id)
);
