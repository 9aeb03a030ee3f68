-- `vigia keys rotate` re-seals subscribers' addresses under the new master key and re-keys what is
-- derived from it (the look-up HMAC and the unsubscribe token). Links already in people's inboxes carry
-- the earlier tokens: their hashes are kept here so that every unsubscribe link ever sent keeps working.
alter table alert_subscriptions add column retired_unsubscribe_token_hashes text[] not null default '{}';
create index alert_subscriptions_retired_tokens on alert_subscriptions using gin (retired_unsubscribe_token_hashes);
