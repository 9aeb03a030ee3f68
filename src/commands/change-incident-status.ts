import { enqueueIncidentEvaluation } from '../alerts/rules.jobs.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import { nextStatus, STEPS_NEEDING_NOTE, type WorkflowStep } from '../domain/incident-workflow.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { authorizeIncident, type IncidentRow } from './incident-access.js';
import { insertVersion } from './incident-record.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { STEP_ACTION } from './read-incident.js';
import { updatePublicRollups } from './public-rollups.js';

/**
 * Moves an incident one step through the review workflow, as a new version with the note, audited.
 * Verification enforces four eyes: the reviewer must not be the person who made the last change.
 */
export async function changeIncidentStatus(options: {
  database: Database;
  actor: Actor;
  incidentId: string;
  step: WorkflowStep;
  note?: string | null;
  context?: RequestContext;
}): Promise<IncidentRow> {
  const { database, actor, step } = options;
  const note = options.note?.trim() || null;
  if (STEPS_NEEDING_NOTE.includes(step) && !note) {
    throw new AppError('VALIDATION_FAILED', 'Invalid body: note: must say why', [{ location: 'body', field: 'note', message: 'must say why' }]);
  }
  return database.transaction(async (trx) => {
    const { incident } = await authorizeIncident(trx, actor, STEP_ACTION[step], options.incidentId, { forUpdate: true });
    if (incident.archived_at) throw new AppError('CONFLICT', 'This incident is archived: its status can no longer change.');
    const status = nextStatus(incident.status, step);
    if (!status) {
      throw new AppError('CONFLICT', `An incident that is ${incident.status.replace('_', ' ')} cannot be sent to "${step}".`, {
        status: incident.status,
        step,
      });
    }
    const userId = actor.kind === 'user' ? actor.userId : null;
    if (step === 'verify' && (userId === null || userId === incident.last_changed_by)) {
      throw new AppError('FORBIDDEN', 'Four eyes: the person who made the last change cannot verify it; another reviewer must.', {
        reason: 'four_eyes',
      });
    }
    const version = incident.version + 1;
    const row = await trx
      .updateTable('incidents')
      .set({
        status,
        version,
        updated_at: new Date(),
        ...(status === 'verified' ? { verified_by: userId, verified_at: new Date() } : { verified_by: null, verified_at: null }),
      })
      .where('id', '=', incident.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertVersion(trx, row, { kind: step, note, changedBy: userId });
    await updatePublicRollups(trx, incident, row);
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: incident.organization_id,
      action: `incident.${step}`,
      subjectType: 'incident',
      subjectId: incident.id,
      details: { version, from: incident.status, to: status },
    });
    // Verified, or no longer verified: the early-warning rollups and rules must hear of it.
    if (incident.status === 'verified' || status === 'verified') await enqueueIncidentEvaluation(trx, incident.id);
    return row;
  });
}
