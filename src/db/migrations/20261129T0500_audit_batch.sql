-- Several audit entries per head move (src/audit/audit-log.ts appendAuditBatch, used by imports): the
-- entries of one transaction are written in one statement, each chained to the one before it, and the
-- head then moves once onto the last. The chain itself is unchanged — every entry still carries the hash
-- of the entry before it, and `vigia audit verify` checks it the same way.

-- A new entry must extend the chain: at the head, or right after an entry written beyond the head in
-- the same (head-locking) transaction. seq is the primary key, so the chain still cannot fork.
create or replace function audit_log_check_append() returns trigger language plpgsql as $$
declare
  head audit_head%rowtype;
begin
  select * into head from audit_head where id;
  if not found then
    raise exception 'audit_head has no row: the audit log cannot be appended to';
  end if;
  if new.seq = head.seq + 1 and new.prev_hash = head.hash then
    return new;
  end if;
  if new.seq > head.seq + 1
     and exists (select 1 from audit_log where seq = new.seq - 1 and hash = new.prev_hash) then
    return new;
  end if;
  raise exception 'audit_log entry % does not extend the chain at its head (entry %)', new.seq, head.seq
    using errcode = 'integrity_constraint_violation';
end;
$$;

-- The head may only move forward, onto an entry just appended, over an unbroken run of entries that
-- starts from the old head.
create or replace function audit_head_check_advance() returns trigger language plpgsql as $$
begin
  if new.id is distinct from old.id
     or new.seq <= old.seq
     or not exists (select 1 from audit_log where seq = new.seq and hash = new.hash)
     or not exists (select 1 from audit_log where seq = old.seq + 1 and prev_hash = old.hash)
     or (select count(*) from audit_log where seq > old.seq and seq <= new.seq) <> new.seq - old.seq then
    raise exception 'audit_head may only advance to the entry just appended'
      using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end;
$$;
