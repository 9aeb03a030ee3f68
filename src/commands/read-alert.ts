import type { Database } from '../db/client.js';
import type { AlertStatus } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';
import { alertNetworkScope, canOnAlert, type AlertAction } from '../policies/alert.policy.js';
import { authorizeAlert, contentVersionOf, currentApprovals, type AlertRow } from './alert-access.js';

/** Which statuses each step starts from (the commands enforce the same). */
const STEP_FROM: Record<Exclude<AlertAction, 'read' | 'create'>, readonly AlertStatus[]> = {
  edit: ['draft', 'in_review', 'approved'],
  submit: ['draft'],
  return: ['in_review', 'approved'],
  approve: ['in_review'],
  publish: ['approved'],
  correct: ['published'],
  withdraw: ['draft', 'in_review', 'approved', 'published'],
};

export type AlertStep = keyof typeof STEP_FROM;

/** An alert with its approvals and the steps the actor may take now, so the editor shows only those. */
export async function readAlert(options: { database: Database; actor: Actor; alertId: string }): Promise<{
  alert: AlertRow;
  approvals: Awaited<ReturnType<typeof currentApprovals>>;
  nextSteps: AlertStep[];
}> {
  const { db } = options.database;
  const alert = await authorizeAlert(db, options.actor, 'read', options.alertId);
  const approvals = await currentApprovals(db, alert.id);
  const { editedBy } = await contentVersionOf(db, alert.id);
  const userId = options.actor.kind === 'user' ? options.actor.userId : null;
  const nextSteps = (Object.keys(STEP_FROM) as AlertStep[]).filter(
    (step) =>
      STEP_FROM[step].includes(alert.status) &&
      canOnAlert(options.actor, step, alert.network_id) &&
      !(step === 'approve' && (userId === alert.created_by || userId === editedBy || approvals.some((a) => a.reviewerId === userId))),
  );
  return { alert, approvals, nextSteps };
}

/** The alerts of the networks the actor works in, newest change first, optionally of one status. */
export async function listAlerts(options: { database: Database; actor: Actor; status?: AlertStatus; limit?: number }): Promise<AlertRow[]> {
  const networks = alertNetworkScope(options.actor);
  if (networks.length === 0) return [];
  let query = options.database.db.selectFrom('alerts').selectAll().where('network_id', 'in', networks);
  if (options.status) query = query.where('status', '=', options.status);
  return query.orderBy('updated_at', 'desc').orderBy('id').limit(options.limit ?? 200).execute();
}
