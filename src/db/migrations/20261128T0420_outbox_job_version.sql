-- The version of its job definition that a job's payload was written for. A build whose definition
-- changed shape must not hand an old payload to a new handler: the worker compares the two and fails
-- a job it cannot read with a clear error instead of guessing.
alter table outbox_jobs add column version integer not null default 1 check (version >= 1);
