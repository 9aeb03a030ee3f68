-- The last TOTP time step a person's code was accepted for. A code stays valid for up to 90 seconds
-- (its own step and one either side, for clock drift), so without this a code seen over someone's
-- shoulder or captured by a phishing page could be used again within that time.
alter table users add column totp_last_step bigint;
