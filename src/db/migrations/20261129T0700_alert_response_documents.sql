-- An authority's own answer as a file (a PDF, or a photo or scan of the letter), attached to a recorded
-- response. The bytes are in the evidence store, sealed under the network's data key like evidence; this
-- row says under which key version, what the bytes are (type from the bytes themselves) and their hash,
-- which the audit entry of the attachment also carries. One document per response.
create table alert_response_documents (
  response_id      uuid primary key references alert_responses (id),
  -- The file's id in the evidence store (its directory), never reused.
  store_id         uuid not null unique,
  organization_id  uuid not null references organizations (id),
  key_version      integer not null,
  mime_type        text not null,
  kind             text not null check (kind in ('image', 'document')),
  length           bigint not null check (length > 0),
  sha256           text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  -- An official answer is a public document, but it is published only when the person recording it says
  -- so: it may carry a name or an address that should not leave the workspace.
  public           boolean not null default false,
  uploaded_by      uuid references users (id),
  uploaded_at      timestamptz not null default now()
);
