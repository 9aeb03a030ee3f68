import type { Kysely, Selectable, Transaction } from 'kysely';
import { appendAudit, type AuditDetailValue } from '../audit/audit-log.js';
import type { AlertsTable, AlertStatus, DB } from '../db/schema.js';
import { alertContentSchema, type AlertContent } from '../domain/alert.js';
import type { Actor } from '../policies/actor.js';
import { canOnAlert, canSeeAlert, type AlertAction } from '../policies/alert.policy.js';
import { AppError } from '../server/errors.js';
import { auditSource, isUuid, type RequestContext } from './organization-access.js';

/**
 * What every alert command shares: loading an alert for an action (404 for missing and forbidden
 * alike), writing a whole version with every change, and the audit entry in the same transaction.
 */

export type AlertRow = Selectable<AlertsTable>;

/** Change kinds that change the text: approvals given before the latest of these no longer count. */
export const CONTENT_CHANGES = ['created', 'edited', 'corrected'] as const;

/**
 * Loads an alert for `action`: 404 when it does not exist or the actor may not see it, 403 when visible
 * but the action is not theirs. With `forUpdate`, the row is locked until the transaction ends.
 */
export async function authorizeAlert(
  db: Kysely<DB>,
  actor: Actor,
  action: AlertAction,
  alertId: string,
  options: { forUpdate?: boolean } = {},
): Promise<AlertRow> {
  let query = db.selectFrom('alerts').selectAll().where('id', '=', isUuid(alertId) ? alertId : '00000000-0000-0000-0000-000000000000');
  if (options.forUpdate) query = query.forUpdate();
  const alert = await query.executeTakeFirst();
  if (!alert || !canSeeAlert(actor, alert.network_id)) throw new AppError('NOT_FOUND', 'There is no such alert.', { alertId });
  if (!canOnAlert(actor, action, alert.network_id)) throw new AppError('FORBIDDEN', 'You may not do this to this alert.', { alertId, action });
  return alert;
}

/** Refuses a step the alert's status does not allow, naming both. */
export function assertStatus(alert: AlertRow, allowed: readonly AlertStatus[], step: string): void {
  if (!allowed.includes(alert.status)) {
    throw new AppError('CONFLICT', `An alert that is ${alert.status.replace('_', ' ')} cannot be ${step}.`, { status: alert.status, step });
  }
}

/** The alert's content as stored. */
export function contentOf(alert: Pick<AlertRow, 'content'>): AlertContent {
  return alertContentSchema.parse(alert.content);
}

/** The acting person's id (alerts are written only by people; the policy refuses tokens). */
export function userIdOf(actor: Actor): string {
  if (actor.kind !== 'user') throw new AppError('FORBIDDEN', 'Only a signed-in person may change an alert.');
  return actor.userId;
}

/**
 * Writes the alert's new state and its whole version in one go: the version number goes up by one, so a
 * change never exists without its version.
 */
export async function writeAlertChange(
  trx: Transaction<DB>,
  alert: AlertRow,
  change: {
    kind: string;
    status: AlertStatus;
    content?: AlertContent;
    note?: string | null;
    actor: Actor;
    /** Makes this new version the public one. */
    publish?: boolean;
    set?: Partial<Pick<AlertRow, 'slug' | 'published_at' | 'withdrawn_at' | 'withdrawal_reason'>>;
    context?: RequestContext;
    details?: { [key: string]: AuditDetailValue };
  },
): Promise<AlertRow> {
  const userId = userIdOf(change.actor);
  const version = alert.version + 1;
  const content = change.content ?? contentOf(alert);
  const row = await trx
    .updateTable('alerts')
    .set({
      status: change.status,
      version,
      content: JSON.stringify(content),
      last_changed_by: userId,
      updated_at: new Date(),
      ...change.set,
      ...(change.publish ? { published_version: version } : {}),
    })
    .where('id', '=', alert.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('alert_versions')
    .values({ alert_id: alert.id, version, status: change.status, content: JSON.stringify(content), change_kind: change.kind, note: change.note ?? null, changed_by: userId })
    .execute();
  await auditAlert(trx, change.actor, row, change.kind, { version, from: alert.status, to: change.status, ...change.details }, change.context);
  return row;
}

/** The audit entry of an alert step: ids, versions and statuses only, never the text. */
export async function auditAlert(
  trx: Transaction<DB>,
  actor: Actor,
  alert: Pick<AlertRow, 'id' | 'network_id'>,
  kind: string,
  details: { [key: string]: AuditDetailValue },
  context?: RequestContext,
): Promise<void> {
  await appendAudit(trx, {
    ...auditSource(actor, context),
    organizationId: alert.network_id,
    action: `alert.${kind}`,
    subjectType: 'alert',
    subjectId: alert.id,
    details,
  });
}

/** The version whose text approvals are of, and who wrote it: an edit after approvals needs new ones. */
export async function contentVersionOf(db: Kysely<DB>, alertId: string): Promise<{ version: number; editedBy: string | null }> {
  const row = await db
    .selectFrom('alert_versions')
    .select(['version', 'changed_by'])
    .where('alert_id', '=', alertId)
    .where('change_kind', 'in', [...CONTENT_CHANGES])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { version: row.version, editedBy: row.changed_by };
}

/** The reviewers whose approvals count: given since the text last changed. */
export async function currentApprovals(db: Kysely<DB>, alertId: string): Promise<{ reviewerId: string; reviewerName: string | null; approvedAt: Date; note: string | null }[]> {
  const { version } = await contentVersionOf(db, alertId);
  const rows = await db
    .selectFrom('alert_approvals as a')
    .leftJoin('users as u', 'u.id', 'a.reviewer_id')
    .select(['a.reviewer_id', 'u.display_name', 'a.approved_at', 'a.note'])
    .where('a.alert_id', '=', alertId)
    .where('a.version', '>=', version)
    .orderBy('a.approved_at')
    .execute();
  const seen = new Set<string>();
  return rows
    .filter((r) => !seen.has(r.reviewer_id) && seen.add(r.reviewer_id))
    .map((r) => ({ reviewerId: r.reviewer_id, reviewerName: r.display_name, approvedAt: r.approved_at, note: r.note }));
}
