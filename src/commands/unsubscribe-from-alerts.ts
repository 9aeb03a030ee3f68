import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import type { AlertLanguage } from '../domain/alert.js';
import { AppError } from '../server/errors.js';
import { tokenHash } from './subscription-secrets.js';

/**
 * Ends a subscription by the token every alert e-mail carries (one-click, RFC 8058). Asking again for an
 * ended subscription answers the same; a token that matches no subscription is 404.
 */
export async function unsubscribeFromAlerts(options: { database: Database; token: string; ip: string }): Promise<{ language: AlertLanguage }> {
  const hash = tokenHash(options.token);
  return options.database.transaction(async (trx) => {
    const row = await trx
      .selectFrom('alert_subscriptions')
      .select(['id', 'status', 'language'])
      // Links sent before a master key rotation carry a token whose hash is now among the retired ones.
      .where((eb) => eb.or([eb('unsubscribe_token_hash', '=', hash), eb('retired_unsubscribe_token_hashes', '@>', sql<string[]>`array[${hash}]::text[]`)]))
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', 'This unsubscribe link does not work: check that it was copied whole.');
    if (row.status !== 'unsubscribed') {
      await trx
        .updateTable('alert_subscriptions')
        .set({ status: 'unsubscribed', confirm_token_hash: null, unsubscribed_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
        .where('id', '=', row.id)
        .execute();
      await appendAudit(trx, { actorType: 'anonymous', action: 'alert_subscription.ended', subjectType: 'alert_subscription', subjectId: row.id, ip: options.ip });
    }
    return { language: row.language };
  });
}
