-- The tamper-evident audit log: who did what, when, to which record. Each entry carries the SHA-256 of
-- the entry before it, so changing, removing or inserting any entry breaks the chain from there on
-- (src/audit/ computes the hashes and `vigia audit verify` recomputes them).
--
-- `details` holds ids and codes only, never testimony or personal data: this table can never be edited,
-- so anything written here can never be taken back out.
--
-- The triggers below stop the application (and anyone using its ordinary statements) from rewriting
-- history. The table's owner or a superuser can still switch triggers off; that is what the hash chain
-- and checkpoints kept outside the server are for.

create table audit_log (
  seq              bigint primary key check (seq >= 1),
  occurred_at      timestamptz not null,
  actor_type       text not null check (actor_type in ('user', 'api_token', 'anonymous', 'system')),
  actor_id         text,
  organization_id  text,
  action           text not null check (action ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
  subject_type     text,
  subject_id       text,
  ip               text,
  user_agent       text,
  request_id       text,
  details          jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  prev_hash        text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash             text not null unique check (hash ~ '^[0-9a-f]{64}$')
);

-- The last entry's seq and hash, in one row that every append locks: appends queue on it, so no two can
-- take the same place in the chain. It also records how long the chain is, so deleting the newest
-- entries (which leaves no gap) is still detected.
create table audit_head (
  id    boolean primary key default true check (id),
  seq   bigint not null check (seq >= 0),
  hash  text not null check (hash ~ '^[0-9a-f]{64}$')
);

insert into audit_head (id, seq, hash) values (true, 0, repeat('0', 64));

create function audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

-- A new entry must extend the chain at the head; a stray insert would otherwise fork it.
create function audit_log_check_append() returns trigger language plpgsql as $$
declare
  head audit_head%rowtype;
begin
  select * into head from audit_head where id;
  if not found then
    raise exception 'audit_head has no row: the audit log cannot be appended to';
  end if;
  if new.seq <> head.seq + 1 or new.prev_hash <> head.hash then
    raise exception 'audit_log entry % does not extend the chain at its head (entry %)', new.seq, head.seq
      using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end;
$$;

-- The head may only move forward by one, onto the entry just written.
create function audit_head_check_advance() returns trigger language plpgsql as $$
begin
  if new.id is distinct from old.id
     or new.seq <> old.seq + 1
     or not exists (select 1 from audit_log where seq = new.seq and hash = new.hash) then
    raise exception 'audit_head may only advance to the entry just appended'
      using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end;
$$;

create trigger audit_log_append before insert on audit_log
  for each row execute function audit_log_check_append();
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_refuse_change();

create trigger audit_head_advance before update on audit_head
  for each row execute function audit_head_check_advance();
create trigger audit_head_no_delete before delete on audit_head
  for each row execute function audit_refuse_change();
create trigger audit_head_no_truncate before truncate on audit_head
  for each statement execute function audit_refuse_change();
