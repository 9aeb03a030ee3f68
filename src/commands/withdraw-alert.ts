import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { assertStatus, authorizeAlert, writeAlertChange, type AlertRow } from './alert-access.js';
import type { RequestContext } from './organization-access.js';

/** Withdraws an alert (published or not), with the reason the public page will show. */
export async function withdrawAlert(options: { database: Database; actor: Actor; alertId: string; reason: string; context?: RequestContext }): Promise<AlertRow> {
  const reason = options.reason.trim();
  if (!reason) throw new AppError('VALIDATION_FAILED', 'Invalid body: reason: must say why', [{ location: 'body', field: 'reason', message: 'must say why' }]);
  return options.database.transaction(async (trx) => {
    const alert = await authorizeAlert(trx, options.actor, 'withdraw', options.alertId, { forUpdate: true });
    assertStatus(alert, ['draft', 'in_review', 'approved', 'published'], 'withdrawn');
    return writeAlertChange(trx, alert, {
      kind: 'withdrawn',
      status: 'withdrawn',
      note: reason,
      set: { withdrawn_at: new Date(), withdrawal_reason: reason },
      actor: options.actor,
      context: options.context,
    });
  });
}
