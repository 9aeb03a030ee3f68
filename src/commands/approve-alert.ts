import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { assertStatus, auditAlert, authorizeAlert, contentVersionOf, currentApprovals, userIdOf, writeAlertChange, type AlertRow } from './alert-access.js';
import type { RequestContext } from './organization-access.js';

/**
 * A reviewer approves the alert's current text. Neither its author nor whoever last edited the text may
 * approve it; when `approvalsRequired` different reviewers have approved the same text, it is approved.
 */
export async function approveAlert(options: {
  database: Database;
  approvalsRequired: number;
  actor: Actor;
  alertId: string;
  note?: string | null;
  context?: RequestContext;
}): Promise<{ alert: AlertRow; approvals: number }> {
  const userId = userIdOf(options.actor);
  return options.database.transaction(async (trx) => {
    const alert = await authorizeAlert(trx, options.actor, 'approve', options.alertId, { forUpdate: true });
    assertStatus(alert, ['in_review'], 'approved');
    const { editedBy } = await contentVersionOf(trx, alert.id);
    if (userId === alert.created_by || userId === editedBy) {
      throw new AppError('FORBIDDEN', 'Four eyes: the author and the last editor of an alert cannot approve it; other reviewers must.', { reason: 'four_eyes' });
    }
    const before = await currentApprovals(trx, alert.id);
    if (before.some((a) => a.reviewerId === userId)) {
      throw new AppError('CONFLICT', 'You have already approved this text.', { reason: 'already_approved' });
    }
    await trx.insertInto('alert_approvals').values({ alert_id: alert.id, version: alert.version, reviewer_id: userId, note: options.note?.trim() || null }).execute();
    const approvals = before.length + 1;
    if (approvals >= options.approvalsRequired) {
      const row = await writeAlertChange(trx, alert, { kind: 'approved', status: 'approved', note: options.note?.trim() || null, actor: options.actor, context: options.context, details: { approvals } });
      return { alert: row, approvals };
    }
    await auditAlert(trx, options.actor, alert, 'approval_given', { version: alert.version, approvals, required: options.approvalsRequired }, options.context);
    return { alert, approvals };
  });
}
