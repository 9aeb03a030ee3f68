import { enqueueIncidentEvaluation } from '../alerts/rules.jobs.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { authorizeIncident, type IncidentRow } from './incident-access.js';
import { insertVersion } from './incident-record.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { updatePublicRollups } from './public-rollups.js';

/**
 * Shares an incident with the organization's networks, or stops sharing it: an explicit choice per
 * incident, recorded in its history. Network members then see it without its sealed fields.
 */
export async function setIncidentSharing(options: {
  database: Database;
  actor: Actor;
  incidentId: string;
  shared: boolean;
  context?: RequestContext;
}): Promise<IncidentRow> {
  const { database, actor, shared } = options;
  return database.transaction(async (trx) => {
    const { incident } = await authorizeIncident(trx, actor, 'share', options.incidentId, { forUpdate: true });
    if (incident.shared_with_networks === shared) return incident;
    const userId = actor.kind === 'user' ? actor.userId : null;
    const row = await trx
      .updateTable('incidents')
      .set({ shared_with_networks: shared, version: incident.version + 1, updated_at: new Date() })
      .where('id', '=', incident.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertVersion(trx, row, { kind: shared ? 'shared' : 'unshared', changedBy: userId });
    await updatePublicRollups(trx, incident, row);
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: incident.organization_id,
      action: shared ? 'incident.shared' : 'incident.unshared',
      subjectType: 'incident',
      subjectId: incident.id,
      details: { version: row.version },
    });
    // Sharing decides which networks a verified incident reaches, so which signals it counts in.
    if (row.status === 'verified') await enqueueIncidentEvaluation(trx, incident.id);
    return row;
  });
}
