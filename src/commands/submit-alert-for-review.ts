import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { assertStatus, authorizeAlert, writeAlertChange, type AlertRow } from './alert-access.js';
import type { RequestContext } from './organization-access.js';

/** Sends a draft to the network's reviewers. */
export async function submitAlertForReview(options: { database: Database; actor: Actor; alertId: string; note?: string | null; context?: RequestContext }): Promise<AlertRow> {
  return options.database.transaction(async (trx) => {
    const alert = await authorizeAlert(trx, options.actor, 'submit', options.alertId, { forUpdate: true });
    assertStatus(alert, ['draft'], 'sent for review');
    return writeAlertChange(trx, alert, { kind: 'submitted', status: 'in_review', note: options.note?.trim() || null, actor: options.actor, context: options.context });
  });
}
