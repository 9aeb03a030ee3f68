import { enqueueIncidentEvaluation } from '../alerts/rules.jobs.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { IncidentStatus } from '../db/schema.js';
import type { IncidentDocument } from '../domain/incident.js';
import { diffJson } from '../domain/json-diff.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { canOnIncident } from '../policies/incident.policy.js';
import { keepSealedFields } from '../domain/incident.js';
import { authorizeIncident, type IncidentRow } from './incident-access.js';
import { assertIncidentCodes, columnsFor, insertVersion, openDocument, sealDocument } from './incident-record.js';
import { legalColumns } from './legal-qualification.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { updatePublicRollups } from './public-rollups.js';

/**
 * Saves a new version of an incident's record. `expectedVersion` is the version the editor started from:
 * if someone saved meanwhile, the save is refused (409) instead of silently overwriting their work.
 * Editing a verified incident sends it back to review, because what was verified is no longer what is
 * there; four eyes must see the change.
 */
export async function updateIncident(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  incidentId: string;
  expectedVersion: number;
  document: IncidentDocument;
  context?: RequestContext;
}): Promise<IncidentRow> {
  const { database, keyring, actor } = options;
  return database.transaction(async (trx) => {
    const { incident, subject } = await authorizeIncident(trx, actor, 'edit', options.incidentId, { forUpdate: true });
    if (incident.archived_at) throw new AppError('CONFLICT', 'This incident is archived: it can no longer be changed.');
    if (incident.version !== options.expectedVersion) {
      throw new AppError('CONFLICT', `This incident changed meanwhile (now version ${incident.version}): reload it and apply your changes again.`, {
        currentVersion: incident.version,
      });
    }
    const previous = await openDocument(trx, keyring, incident, true);
    // Someone who may edit but not read the sealed fields (an integration's token) sends them empty
    // because they never saw them: keep what is stored rather than erase it.
    const document = canOnIncident(actor, 'read_sensitive', subject) ? options.document : keepSealedFields(options.document, previous);
    await assertIncidentCodes(trx, document, { actor, alreadyLinked: previous.links.map((l) => l.incidentId) });
    const changes = diffJson(previous, document);
    if (changes.length === 0) return incident;
    const version = incident.version + 1;
    const stored = await sealDocument(trx, keyring, incident.organization_id, incident.id, document);
    const userId = actor.kind === 'user' ? actor.userId : null;
    const status: IncidentStatus = incident.status === 'verified' ? 'in_review' : incident.status;
    const row = await trx
      .updateTable('incidents')
      .set({
        version,
        status,
        document: stored.document,
        sealed: stored.sealed,
        ...columnsFor(document),
        ...(await legalColumns(document)),
        last_changed_by: userId,
        ...(status !== incident.status ? { verified_by: null, verified_at: null } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', incident.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertVersion(trx, row, { kind: 'edited', changedBy: userId });
    await updatePublicRollups(trx, incident, row);
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: incident.organization_id,
      action: 'incident.updated',
      subjectType: 'incident',
      subjectId: incident.id,
      // Paths only: the values can be testimony or names.
      details: { version, fields: [...new Set(changes.map((c) => c.path.split(/[.[]/)[0]!))].sort(), statusBefore: incident.status, status },
    });
    // An edit sends a verified incident back to review: it leaves the early-warning rollups.
    if (incident.status === 'verified') await enqueueIncidentEvaluation(trx, incident.id);
    return row;
  });
}
