import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { IncidentDocument } from '../domain/incident.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { createIncident } from './create-incident.js';
import { authorizeIncident, type IncidentRow } from './incident-access.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { assertOpenForTriage, authorizeReport, type ReportRow } from './report-access.js';

/**
 * The three ways out of the triage inbox: a report becomes a new incident, is attached to an incident
 * that already records the same event (a second source), or is closed (rejected with a reason, or sent
 * back to its reporter with a question). Each is one transaction with its audit entry.
 */

/** Turns a report into a new incident of the same organization, carrying the reporter's publication consent. */
export async function createIncidentFromReport(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  reportId: string;
  document: IncidentDocument;
  shareWithNetworks?: boolean;
  context?: RequestContext;
}): Promise<IncidentRow> {
  const { database, actor } = options;
  const report = await authorizeReport(database.db, actor, 'triage', options.reportId);
  assertOpenForTriage(report);
  return createIncident({
    database,
    keyring: options.keyring,
    actor,
    organizationId: report.organization_id,
    document: options.document,
    shareWithNetworks: options.shareWithNetworks,
    mayPublish: report.may_publish,
    context: options.context,
    afterCreate: async (trx, incident) => {
      // Re-read under a lock inside the transaction: a second documenter may have triaged it meanwhile.
      const locked = await authorizeReport(trx, actor, 'triage', report.id, { forUpdate: true });
      assertOpenForTriage(locked);
      await markTriaged(trx, actor, locked.id, 'incident_created', incident.id);
      await moveAttachments(trx, actor, locked, incident.id, options.context);
      await appendAudit(trx, {
        ...auditSource(actor, options.context),
        organizationId: report.organization_id,
        action: 'report.incident_created',
        subjectType: 'report',
        subjectId: report.id,
        details: { incidentId: incident.id },
      });
    },
  });
}

/** Attaches a report to an existing incident of the same organization that records the same event. */
export async function attachReport(options: {
  database: Database;
  actor: Actor;
  reportId: string;
  incidentId: string;
  context?: RequestContext;
}): Promise<void> {
  const { database, actor } = options;
  await database.transaction(async (trx) => {
    const report = await authorizeReport(trx, actor, 'triage', options.reportId, { forUpdate: true });
    assertOpenForTriage(report);
    const { incident } = await authorizeIncident(trx, actor, 'edit', options.incidentId);
    if (incident.organization_id !== report.organization_id) {
      throw new AppError('CONFLICT', "A report can only be attached to an incident of the organization that received it.");
    }
    await markTriaged(trx, actor, report.id, 'attached', incident.id);
    await moveAttachments(trx, actor, report, incident.id, options.context);
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: report.organization_id,
      action: 'report.attached',
      subjectType: 'report',
      subjectId: report.id,
      details: { incidentId: incident.id },
    });
  });
}

/**
 * Rejects a report with a reason, or asks its reporter for more information with a question they will
 * read on their receipt page. The text is sealed like the report.
 */
export async function resolveReport(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  reportId: string;
  outcome: 'rejected' | 'needs_information';
  message: string;
  context?: RequestContext;
}): Promise<void> {
  const { database, keyring, actor } = options;
  await database.transaction(async (trx) => {
    const report = await authorizeReport(trx, actor, 'triage', options.reportId, { forUpdate: true });
    assertOpenForTriage(report);
    const sealed = await keyring.sealJson(trx, report.organization_id, `report-resolution:${report.id}`, { message: options.message });
    await trx
      .updateTable('reports')
      .set({
        status: options.outcome,
        resolution_sealed: sealed,
        triaged_by: actor.kind === 'user' ? actor.userId : null,
        triaged_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', report.id)
      .execute();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: report.organization_id,
      action: options.outcome === 'rejected' ? 'report.rejected' : 'report.information_requested',
      subjectType: 'report',
      subjectId: report.id,
    });
  });
}

/**
 * Moves the report's complete attachments onto the incident, so they are listed and decided as its
 * evidence from now on; each move is an entry in the file's chain of custody. An upload still under way
 * follows when it completes (finishEvidenceUpload reads the report's incident under the same lock).
 */
async function moveAttachments(trx: Trx, actor: Actor, report: ReportRow, incidentId: string, context: RequestContext | undefined): Promise<void> {
  const moved = await trx
    .updateTable('evidence')
    .set({ incident_id: incidentId })
    .where('report_id', '=', report.id)
    .where('incident_id', 'is', null)
    .where('status', '=', 'complete')
    .returning('id')
    .execute();
  if (moved.length === 0) return;
  await trx.updateTable('incidents').set({ has_evidence: true }).where('id', '=', incidentId).execute();
  for (const { id } of moved) {
    await appendAudit(trx, {
      ...auditSource(actor, context),
      organizationId: report.organization_id,
      action: 'evidence.moved_to_incident',
      subjectType: 'evidence',
      subjectId: id,
      details: { reportId: report.id, incidentId },
    });
  }
}

type Trx = Parameters<Parameters<Database['transaction']>[0]>[0];

async function markTriaged(
  trx: Parameters<Parameters<Database['transaction']>[0]>[0],
  actor: Actor,
  reportId: string,
  status: 'incident_created' | 'attached',
  incidentId: string,
): Promise<void> {
  await trx
    .updateTable('reports')
    .set({ status, incident_id: incidentId, triaged_by: actor.kind === 'user' ? actor.userId : null, triaged_at: new Date(), updated_at: new Date() })
    .where('id', '=', reportId)
    .execute();
}
