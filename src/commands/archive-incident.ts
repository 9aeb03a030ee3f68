import { enqueueIncidentEvaluation } from '../alerts/rules.jobs.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { authorizeIncident, type IncidentRow } from './incident-access.js';
import { insertVersion } from './incident-record.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { updatePublicRollups } from './public-rollups.js';

/**
 * Archives an incident: nothing is ever deleted, an archived record simply leaves lists and searches and
 * can no longer change. The reason is part of its history.
 */
export async function archiveIncident(options: {
  database: Database;
  actor: Actor;
  incidentId: string;
  reason: string;
  context?: RequestContext;
}): Promise<IncidentRow> {
  const { database, actor } = options;
  return database.transaction(async (trx) => {
    const { incident } = await authorizeIncident(trx, actor, 'archive', options.incidentId, { forUpdate: true });
    if (incident.archived_at) throw new AppError('CONFLICT', 'This incident is already archived.');
    const userId = actor.kind === 'user' ? actor.userId : null;
    const row = await trx
      .updateTable('incidents')
      .set({ archived_at: new Date(), archive_reason: options.reason, version: incident.version + 1, updated_at: new Date() })
      .where('id', '=', incident.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertVersion(trx, row, { kind: 'archived', note: options.reason, changedBy: userId });
    await updatePublicRollups(trx, incident, row);
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: incident.organization_id,
      action: 'incident.archived',
      subjectType: 'incident',
      subjectId: incident.id,
      details: { version: row.version },
    });
    if (incident.status === 'verified') await enqueueIncidentEvaluation(trx, incident.id);
    return row;
  });
}
