import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { markSignalDrafted, readSignal } from '../alerts/signals.js';
import { draftAlert } from '../domain/alerts/draft.js';
import { loadVocabularyLabels } from '../domain/legal/labels.js';
import { loadLegalRules } from '../domain/legal/rules.js';
import type { Actor } from '../policies/actor.js';
import { canOnAlert, canSeeAlert } from '../policies/alert.policy.js';
import { AppError } from '../server/errors.js';
import { auditAlert, userIdOf, type AlertRow } from './alert-access.js';
import { draftFactsOf, loadAlertIncidents, sealedValuesOf, stateNames } from './alert-facts.js';
import type { RequestContext } from './organization-access.js';

/**
 * Drafts an alert of a network from verified incidents (hand-picked, or those of a signal), in Spanish and
 * English, as version 1. The signal id is kept so the signal can show its draft.
 */
export async function createAlertDraft(options: {
  database: Database;
  keyring: Keyring;
  smallNumberThreshold: number;
  actor: Actor;
  networkId: string;
  incidentIds: readonly string[];
  signalId?: string | null;
  context?: RequestContext;
}): Promise<AlertRow> {
  const { database, keyring, actor, networkId } = options;
  if (!canSeeAlert(actor, networkId)) throw new AppError('NOT_FOUND', 'There is no such network.', { networkId });
  if (!canOnAlert(actor, 'create', networkId)) throw new AppError('FORBIDDEN', "You may not draft this network's alerts.", { networkId });
  // A signal brings its incidents (and is marked drafted with the alert); it must be one of this network's.
  const signal = options.signalId ? await readSignal(database.db, { actor, signalId: options.signalId }) : null;
  if (signal && signal.networkId !== networkId) throw new AppError('NOT_FOUND', 'There is no such signal.', { signalId: options.signalId });
  const incidentIds = [...new Set([...(signal?.incidentIds ?? []), ...options.incidentIds])];
  if (incidentIds.length === 0) {
    throw new AppError('VALIDATION_FAILED', 'Invalid body: incidentIds: must name at least one verified incident', [
      { location: 'body', field: 'incidentIds', message: 'must name at least one verified incident' },
    ]);
  }
  const userId = userIdOf(actor);
  return database.transaction(async (trx) => {
    const network = await trx.selectFrom('organizations').select(['id', 'kind']).where('id', '=', networkId).executeTakeFirst();
    if (!network || network.kind !== 'network') throw new AppError('NOT_FOUND', 'There is no such network.', { networkId });
    const incidents = await loadAlertIncidents(trx, actor, networkId, incidentIds);
    const sealed = new Map<string, Awaited<ReturnType<typeof sealedValuesOf>>>();
    for (const incident of incidents) sealed.set(incident.id, await sealedValuesOf(trx, keyring, [incident]));
    const content = draftAlert(draftFactsOf(incidents, sealed), {
      rules: loadLegalRules(),
      labels: loadVocabularyLabels(),
      stateNames: await stateNames(trx),
      smallNumberThreshold: options.smallNumberThreshold,
    });
    const { n } = await sql<{ n: string }>`select nextval('alert_numbers')::text as n`.execute(trx).then((r) => r.rows[0]!);
    const row = await trx
      .insertInto('alerts')
      .values({
        id: randomUUID(),
        network_id: networkId,
        reference: `ALR-${n.padStart(6, '0')}`,
        status: 'draft',
        version: 1,
        content: JSON.stringify(content),
        incident_ids: incidents.map((i) => i.id),
        signal_id: options.signalId ?? null,
        created_by: userId,
        last_changed_by: userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('alert_versions')
      .values({ alert_id: row.id, version: 1, status: 'draft', content: JSON.stringify(content), change_kind: 'created', changed_by: userId })
      .execute();
    if (signal) await markSignalDrafted(trx, { signalId: signal.id, alertId: row.id, actorId: userId });
    await auditAlert(trx, actor, row, 'created', { version: 1, incidents: incidents.length, signalId: options.signalId ?? null }, options.context);
    return row;
  });
}
