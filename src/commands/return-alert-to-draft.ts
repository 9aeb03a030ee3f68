import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { assertStatus, authorizeAlert, writeAlertChange, type AlertRow } from './alert-access.js';
import type { RequestContext } from './organization-access.js';

/** A reviewer sends an alert in review back to its authors, saying what to change. */
export async function returnAlertToDraft(options: { database: Database; actor: Actor; alertId: string; note: string; context?: RequestContext }): Promise<AlertRow> {
  const note = options.note.trim();
  if (!note) throw new AppError('VALIDATION_FAILED', 'Invalid body: note: must say what to change', [{ location: 'body', field: 'note', message: 'must say what to change' }]);
  return options.database.transaction(async (trx) => {
    const alert = await authorizeAlert(trx, options.actor, 'return', options.alertId, { forUpdate: true });
    assertStatus(alert, ['in_review', 'approved'], 'returned to draft');
    return writeAlertChange(trx, alert, { kind: 'returned', status: 'draft', note, actor: options.actor, context: options.context });
  });
}
