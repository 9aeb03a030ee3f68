-- Alert reach and accountability: who receives a published alert (e-mail subscribers, a network's
-- webhook endpoints), every webhook attempt, and what each addressed authority was asked and answered.

-- Public e-mail subscriptions (double opt-in). The address is sealed under the instance master key and
-- never stored or logged in clear; `email_hash` (HMAC under a key derived from the master key) finds it.
-- Tokens are kept only as SHA-256 hashes: the confirmation link and the one-click unsubscribe link.
create table alert_subscriptions (
  id                      uuid primary key,
  email_sealed            text not null,
  email_hash              text not null unique,
  language                text not null check (language in ('es', 'en')),
  -- Empty means every state / every act type.
  state_codes             text[] not null default '{}',
  act_types               text[] not null default '{}',
  status                  text not null default 'pending' check (status in ('pending', 'confirmed', 'unsubscribed')),
  confirm_token_hash      text unique,
  unsubscribe_token_hash  text not null unique,
  created_at              timestamptz not null default now(),
  confirmed_at            timestamptz,
  unsubscribed_at         timestamptz,
  updated_at              timestamptz not null default now()
);
create index alert_subscriptions_confirmed on alert_subscriptions (id) where status = 'confirmed';

-- A network's webhook endpoints; the signing secret is sealed with the network's data key.
create table webhook_endpoints (
  id             uuid primary key,
  network_id     uuid not null references organizations (id),
  url            text not null check (url ~ '^https?://'),
  description    text not null default '',
  secret_sealed  text not null,
  active         boolean not null default true,
  created_by     uuid references users (id),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index webhook_endpoints_network on webhook_endpoints (network_id, active);

-- Every attempt at delivering one event to one endpoint: the outbox job, its attempt, what came back.
create table webhook_deliveries (
  id             bigint generated always as identity primary key,
  endpoint_id    uuid not null references webhook_endpoints (id),
  job_id         bigint not null,
  attempt        integer not null,
  alert_id       uuid not null references alerts (id),
  event          text not null,
  attempted_at   timestamptz not null default now(),
  status_code    integer,
  duration_ms    integer not null,
  error          text,
  succeeded      boolean not null
);
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, attempted_at desc, id desc);

-- One request per addressee of a published alert: when and how it was sent, when an answer is due.
create table alert_requests (
  id              uuid primary key,
  alert_id        uuid not null references alerts (id),
  addressee_code  text not null,
  -- { es, en } as in the alert's content at first publication.
  addressee_name  jsonb not null,
  state_code      text,
  sent_on         date not null,
  channel         text not null default 'official_letter'
                  check (channel in ('official_letter', 'email', 'in_person', 'platform', 'other')),
  due_on          date not null,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
-- One request per addressee (a per-state addressee once per state).
create unique index alert_requests_addressee on alert_requests (alert_id, addressee_code, coalesce(state_code, ''));

-- What an authority answered: when, a summary the network writes, and the answer's text if given.
create table alert_responses (
  id             uuid primary key,
  request_id     uuid not null references alert_requests (id),
  received_on    date not null,
  summary        text not null,
  document_text  text,
  recorded_by    uuid references users (id),
  recorded_at    timestamptz not null default now()
);
create index alert_responses_request on alert_responses (request_id, received_on);
