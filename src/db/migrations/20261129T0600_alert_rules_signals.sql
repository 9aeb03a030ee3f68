-- Early warning: the pattern rules (data, edited by instance administrators), the rollups the rules are
-- evaluated against (so evaluation costs the same with ten thousand incidents stored or a million),
-- and the signals a network's documenters and reviewers see when a rule fires.

-- A rule: its kind decides how `parameters` is read (src/alerts/rule-kinds.ts). Seeded from
-- data/reference/alert-rules.json once; after that the administrators' edits are the truth.
create table alert_rules (
  id              text primary key check (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  kind            text not null
                  check (kind in ('spread', 'escalation', 'repeat_targeting', 'outside_mandate', 'severity')),
  description_es  text not null,
  description_en  text not null,
  parameters      jsonb not null,
  version         integer not null default 1 check (version >= 1),
  enabled         boolean not null default true,
  updated_by      uuid references users (id),
  updated_at      timestamptz not null default now()
);

-- Every version of a rule, whole, so a signal can say which wording and thresholds fired it.
create table alert_rule_versions (
  rule_id         text not null references alert_rules (id),
  version         integer not null,
  description_es  text not null,
  description_en  text not null,
  parameters      jsonb not null,
  enabled         boolean not null,
  changed_by      uuid references users (id),
  changed_at      timestamptz not null default now(),
  primary key (rule_id, version)
);

-- One row per verified, unarchived incident and per network it reaches (a network's own record, or
-- one a member organization shared): copies of the plain columns the rules read. Kept by the rules.evaluate job.
create table alert_incident_facts (
  network_id         uuid not null references organizations (id),
  incident_id        uuid not null references incidents (id),
  organization_id    uuid not null references organizations (id),
  state_code         text not null,
  municipality_code  text,
  occurred_on        date not null,
  act_types          text[] not null default '{}',
  perpetrator_types  text[] not null default '{}',
  victim_types       text[] not null default '{}',
  place_type         text,
  -- Who was targeted, without opening anything sealed: 'org:<uuid>' of the shelter (see docs).
  shelter_key        text,
  legal_rule_ids     text[] not null default '{}',
  primary key (network_id, incident_id)
);
create index alert_incident_facts_window on alert_incident_facts (network_id, occurred_on);
create index alert_incident_facts_state on alert_incident_facts (network_id, state_code, occurred_on);
create index alert_incident_facts_shelter on alert_incident_facts (network_id, shelter_key, occurred_on)
  where shelter_key is not null;
create index alert_incident_facts_incident on alert_incident_facts (incident_id);

-- Verified incidents per network, state and day, for the escalation rule's period averages.
create table alert_daily_counts (
  network_id  uuid not null references organizations (id),
  state_code  text not null,
  day         date not null,
  incidents   integer not null check (incidents >= 0),
  primary key (network_id, state_code, day)
);

-- A rule that fired for a network. While open, later firings with the same dedupe key update it.
create table signals (
  id              uuid primary key,
  network_id      uuid not null references organizations (id),
  rule_id         text not null references alert_rules (id),
  rule_version    integer not null,
  dedupe_key      text not null,
  status          text not null default 'open' check (status in ('open', 'dismissed', 'drafted')),
  urgent          boolean not null default false,
  figures         jsonb not null,
  incident_ids    uuid[] not null default '{}',
  alert_id        uuid references alerts (id),
  dismissal_reason text,
  closed_by       uuid references users (id),
  first_fired_at  timestamptz not null default now(),
  last_fired_at   timestamptz not null default now(),
  closed_at       timestamptz,
  check ((status = 'dismissed') = (dismissal_reason is not null))
);
create unique index signals_open_key on signals (network_id, rule_id, dedupe_key) where status = 'open';
create index signals_network on signals (network_id, status, last_fired_at desc, id);
create index signals_key on signals (network_id, rule_id, dedupe_key, last_fired_at desc);

-- Each firing (and each dismissal or drafting) of a signal, with the incidents and figures of that moment.
create table signal_events (
  id            bigint generated always as identity primary key,
  signal_id     uuid not null references signals (id),
  kind          text not null check (kind in ('fired', 'updated', 'dismissed', 'drafted')),
  rule_version  integer not null,
  figures       jsonb not null,
  incident_ids  uuid[] not null default '{}',
  actor_id      uuid references users (id),
  created_at    timestamptz not null default now()
);
create index signal_events_signal on signal_events (signal_id, id);
