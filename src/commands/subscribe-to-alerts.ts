import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { randomSecret } from '../auth/secrets.js';
import { addressKey, recordFailure, throttleState } from '../auth/throttle.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { AlertLanguage } from '../domain/alert.js';
import { subscriptionConfirmationEmail, subscriptionConfirmLink } from '../domain/alert-reach.js';
import { webBaseUrl } from '../domain/email-templates.js';
import { enqueueEmail } from '../jobs/email/email.job.js';
import type { JobRegistry } from '../jobs/registry.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { sealSubscriberEmail, subscriberEmailHash, subscriberEmailHashes, tokenHash, unsubscribeToken } from './subscription-secrets.js';

/** Confirmation e-mails one address can be sent per hour, however often someone types it. */
export const CONFIRMATIONS_PER_ADDRESS_PER_HOUR = 3;

/** The one answer to every subscription request, whatever happened (no enumeration of subscribers). */
export const SUBSCRIPTION_REQUESTED_MESSAGE =
  'If this address can receive alerts, a message to confirm the subscription is on its way. Nothing is sent until it is confirmed.';

/**
 * Asks to receive published alerts by e-mail (double opt-in). The caller answers the same whatever
 * happens here. A new or pending subscription gets (new) filters and a confirmation link; an ended one
 * starts again as pending; a confirmed one is left as it is and nothing is sent, so nobody can change
 * or flood another person's subscription. Past the per-client limit (VIGIA_ALERT_SUBSCRIPTIONS_PER_HOUR)
 * the client gets 429; past a few per hour for one address, requests are silently dropped.
 */
export async function subscribeToAlerts(options: {
  database: Database;
  keyring: Keyring;
  config: Config;
  jobs: JobRegistry;
  email: string;
  language: AlertLanguage;
  stateCodes: string[];
  actTypes: string[];
  ip: string;
}): Promise<void> {
  const { database, keyring, config } = options;
  const hash = subscriberEmailHash(keyring, options.email);
  const knownHashes = subscriberEmailHashes(keyring, options.email);
  const client = { key: `alert-subscribe:${addressKey(options.ip)}`, limit: config.alerts.subscriptionsPerHourPerAddress };
  const address = { key: `alert-subscribe:${hash}`, limit: CONFIRMATIONS_PER_ADDRESS_PER_HOUR };
  const window = { ...config.signIn, lockMinutes: 60 };
  const clientState = await throttleState(database.db, [client.key]);
  if (clientState.locked) {
    const minutes = Math.max(1, Math.ceil(clientState.retryAfterSeconds / 60));
    throw new AppError('RATE_LIMITED', `Too many subscription requests from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
      retryAfterSeconds: clientState.retryAfterSeconds,
    });
  }
  const addressThrottled = (await throttleState(database.db, [address.key])).locked;

  await database.transaction(async (trx) => {
    await recordFailure(trx, [client, address], window);
    if (addressThrottled) return;
    const existing = await trx.selectFrom('alert_subscriptions').select(['id', 'status']).where('email_hash', 'in', knownHashes).forUpdate().executeTakeFirst();
    if (existing?.status === 'confirmed') return;
    const confirmToken = randomSecret();
    const filters = { language: options.language, state_codes: [...new Set(options.stateCodes)].sort(), act_types: [...new Set(options.actTypes)].sort() };
    let id: string;
    if (existing) {
      id = existing.id;
      await trx
        .updateTable('alert_subscriptions')
        .set({ ...filters, status: 'pending', confirm_token_hash: tokenHash(confirmToken), unsubscribed_at: null, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .execute();
    } else {
      id = randomUUID();
      const emailSealed = sealSubscriberEmail(keyring, id, options.email);
      await trx
        .insertInto('alert_subscriptions')
        .values({
          id,
          email_sealed: emailSealed,
          email_hash: hash,
          ...filters,
          confirm_token_hash: tokenHash(confirmToken),
          unsubscribe_token_hash: tokenHash(unsubscribeToken(keyring, { id, email_sealed: emailSealed })),
        })
        .execute();
    }
    const content = subscriptionConfirmationEmail({
      link: subscriptionConfirmLink(webBaseUrl(config), confirmToken, options.language),
      language: options.language,
    });
    await enqueueEmail(trx, options.jobs, { to: options.email.trim(), ...content, headers: { 'Auto-Submitted': 'auto-generated' } });
    await appendAudit(trx, { actorType: 'anonymous', action: 'alert_subscription.requested', subjectType: 'alert_subscription', subjectId: id, ip: options.ip });
  });
}
