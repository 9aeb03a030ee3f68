import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import type { AlertLanguage } from '../domain/alert.js';
import { AppError } from '../server/errors.js';
import { tokenHash } from './subscription-secrets.js';

/** How long a confirmation link works. */
export const CONFIRMATION_LIFETIME_DAYS = 7;

/** Confirms a pending subscription by the token of its confirmation link; the link then stops working. */
export async function confirmSubscription(options: { database: Database; token: string; ip: string }): Promise<{ language: AlertLanguage }> {
  return options.database.transaction(async (trx) => {
    const row = await trx
      .updateTable('alert_subscriptions')
      .set({ status: 'confirmed', confirm_token_hash: null, confirmed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('confirm_token_hash', '=', tokenHash(options.token))
      .where('status', '=', 'pending')
      .where('updated_at', '>', sql<Date>`now() - make_interval(days => ${CONFIRMATION_LIFETIME_DAYS})`)
      .returning(['id', 'language'])
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'This confirmation link does not work: it may have expired or been used already. Subscribe again to get a new one.');
    await appendAudit(trx, { actorType: 'anonymous', action: 'alert_subscription.confirmed', subjectType: 'alert_subscription', subjectId: row.id, ip: options.ip });
    return { language: row.language };
  });
}
