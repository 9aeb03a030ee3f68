import type { Database } from '../db/client.js';
import type { AlertContent } from '../domain/alert.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { assertStatus, authorizeAlert, writeAlertChange, type AlertRow } from './alert-access.js';
import type { RequestContext } from './organization-access.js';

/**
 * Saves an edited text as a new version. Approvals are of a text, so an edit makes earlier approvals stop
 * counting, and an approved alert goes back to review. `expectedVersion` refuses an edit built on a
 * version someone else has since replaced.
 */
export async function updateAlert(options: {
  database: Database;
  actor: Actor;
  alertId: string;
  content: AlertContent;
  expectedVersion?: number;
  note?: string | null;
  context?: RequestContext;
}): Promise<AlertRow> {
  return options.database.transaction(async (trx) => {
    const alert = await authorizeAlert(trx, options.actor, 'edit', options.alertId, { forUpdate: true });
    assertStatus(alert, ['draft', 'in_review', 'approved'], 'edited (a published alert is corrected instead)');
    if (options.expectedVersion !== undefined && options.expectedVersion !== alert.version) {
      throw new AppError('CONFLICT', `This alert changed since you opened it (now version ${alert.version}); reload it and edit again.`, {
        reason: 'stale_version',
        version: alert.version,
      });
    }
    return writeAlertChange(trx, alert, {
      kind: 'edited',
      status: alert.status === 'draft' ? 'draft' : 'in_review',
      content: options.content,
      note: options.note?.trim() || null,
      actor: options.actor,
      context: options.context,
    });
  });
}
