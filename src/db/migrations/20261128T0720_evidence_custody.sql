-- The chain of custody of a piece of evidence is every audit entry about it, oldest first. Without this
-- index each custody request would read the whole (ever-growing, never-pruned) audit log.
create index audit_log_subject on audit_log (subject_type, subject_id, seq);
