import type { Kysely } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { auditSource, type RequestContext } from '../commands/organization-access.js';
import type { Database } from '../db/client.js';
import type { DB, SignalStatus } from '../db/schema.js';
import { rolesIn, type Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { insertEvent, type SignalFigures } from './evaluate.js';

/**
 * Signals as people use them: a network's documenters and reviewers list, read and dismiss them; the
 * alert drafting marks one drafted. Anyone else gets "not found", for a missing signal and a forbidden
 * one alike.
 */

export interface SignalRecord {
  id: string;
  networkId: string;
  ruleId: string;
  ruleVersion: number;
  ruleKind: string;
  description: { es: string; en: string };
  status: SignalStatus;
  urgent: boolean;
  figures: SignalFigures;
  incidentIds: string[];
  alertId: string | null;
  dismissalReason: string | null;
  firstFiredAt: Date;
  lastFiredAt: Date;
}

const SIGNAL_ROLES = ['documenter', 'reviewer'] as const;

/** Whether the actor works on this network's signals: a person who documents or reviews in it. */
export function maySeeNetworkSignals(actor: Actor, networkId: string): boolean {
  return rolesIn(actor, networkId).some((role) => (SIGNAL_ROLES as readonly string[]).includes(role));
}

const notFound = () => new AppError('NOT_FOUND', 'No such signal.');

function selectSignals(db: Kysely<DB>) {
  return db
    .selectFrom('signals')
    .innerJoin('alert_rules', 'alert_rules.id', 'signals.rule_id')
    .select([
      'signals.id',
      'signals.network_id',
      'signals.rule_id',
      'signals.rule_version',
      'alert_rules.kind',
      'alert_rules.description_es',
      'alert_rules.description_en',
      'signals.status',
      'signals.urgent',
      'signals.figures',
      'signals.incident_ids',
      'signals.alert_id',
      'signals.dismissal_reason',
      'signals.first_fired_at',
      'signals.last_fired_at',
    ]);
}

type SignalRow = Awaited<ReturnType<ReturnType<typeof selectSignals>['executeTakeFirstOrThrow']>>;

function toRecord(row: SignalRow): SignalRecord {
  return {
    id: row.id,
    networkId: row.network_id,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    ruleKind: row.kind,
    description: { es: row.description_es, en: row.description_en },
    status: row.status,
    urgent: row.urgent,
    figures: row.figures as SignalFigures,
    incidentIds: row.incident_ids,
    alertId: row.alert_id,
    dismissalReason: row.dismissal_reason,
    firstFiredAt: row.first_fired_at,
    lastFiredAt: row.last_fired_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One signal with its incident ids, for someone who may see it; "not found" otherwise. The drafting
 * command calls this before it drafts an alert from a signal.
 */
export async function readSignal(db: Kysely<DB>, options: { actor: Actor; signalId: string }): Promise<SignalRecord> {
  if (!UUID.test(options.signalId)) throw notFound();
  const row = await selectSignals(db).where('signals.id', '=', options.signalId).executeTakeFirst();
  if (!row || !maySeeNetworkSignals(options.actor, row.network_id)) throw notFound();
  return toRecord(row);
}

/** A network's signals, open ones first (urgent first among them), then the most recent. */
export async function listNetworkSignals(
  db: Kysely<DB>,
  options: { actor: Actor; networkId: string; status?: SignalStatus; limit?: number },
): Promise<SignalRecord[]> {
  if (!UUID.test(options.networkId) || !maySeeNetworkSignals(options.actor, options.networkId)) {
    throw new AppError('NOT_FOUND', 'No such network.');
  }
  const rows = await selectSignals(db)
    .where('signals.network_id', '=', options.networkId)
    .$if(options.status !== undefined, (q) => q.where('signals.status', '=', options.status!))
    .orderBy((eb) => eb.case().when('signals.status', '=', 'open').then(0).else(1).end())
    .orderBy('signals.urgent', 'desc')
    .orderBy('signals.last_fired_at', 'desc')
    .orderBy('signals.id')
    .limit(options.limit ?? 200)
    .execute();
  return rows.map(toRecord);
}

/** Closes an open signal as not worth an alert, with the reason; audited, and kept with its history. */
export async function dismissSignal(options: {
  database: Database;
  actor: Actor;
  signalId: string;
  reason: string;
  context?: RequestContext;
}): Promise<SignalRecord> {
  const reason = options.reason.trim();
  if (!reason) throw new AppError('VALIDATION_FAILED', 'Invalid body: reason: must say why', [{ location: 'body', field: 'reason', message: 'must say why' }]);
  return options.database.transaction(async (trx) => {
    const signal = await readSignal(trx, { actor: options.actor, signalId: options.signalId });
    await trx.selectFrom('signals').select('id').where('id', '=', signal.id).forUpdate().execute();
    const current = await trx.selectFrom('signals').select('status').where('id', '=', signal.id).executeTakeFirstOrThrow();
    if (current.status !== 'open') throw new AppError('CONFLICT', `This signal is already ${current.status}.`);
    const userId = options.actor.kind === 'user' ? options.actor.userId : null;
    await trx
      .updateTable('signals')
      .set({ status: 'dismissed', dismissal_reason: reason, closed_by: userId, closed_at: new Date() })
      .where('id', '=', signal.id)
      .execute();
    await insertEvent(trx, { signalId: signal.id, kind: 'dismissed', ruleVersion: signal.ruleVersion, figures: signal.figures, incidentIds: signal.incidentIds, actorId: userId });
    await appendAudit(trx, {
      ...auditSource(options.actor, options.context),
      organizationId: signal.networkId,
      action: 'signal.dismissed',
      subjectType: 'signal',
      subjectId: signal.id,
      details: { ruleId: signal.ruleId },
    });
    return readSignal(trx, { actor: options.actor, signalId: signal.id });
  });
}

/**
 * Marks a signal drafted into an alert, in the drafting transaction (which authorizes and audits the
 * draft): the signal leaves the open inbox and later firings with the same key open a new one.
 */
export async function markSignalDrafted(trx: Kysely<DB>, options: { signalId: string; alertId: string; actorId?: string | null }): Promise<void> {
  const signal = await trx
    .updateTable('signals')
    .set({ status: 'drafted', alert_id: options.alertId, closed_by: options.actorId ?? null, closed_at: new Date() })
    .where('id', '=', options.signalId)
    .where('status', '=', 'open')
    .returning(['id', 'rule_version', 'figures', 'incident_ids'])
    .executeTakeFirst();
  if (!signal) throw new AppError('CONFLICT', 'This signal is no longer open: it was dismissed or drafted already.');
  await insertEvent(trx, { signalId: signal.id, kind: 'drafted', ruleVersion: signal.rule_version, figures: signal.figures, incidentIds: signal.incident_ids, actorId: options.actorId ?? null });
}
