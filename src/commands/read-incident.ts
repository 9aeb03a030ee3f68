import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { IncidentDocument } from '../domain/incident.js';
import { nextStatus, WORKFLOW_STEP_NAMES, type WorkflowStep } from '../domain/incident-workflow.js';
import type { Actor } from '../policies/actor.js';
import { canOnIncident, type IncidentSubject } from '../policies/incident.policy.js';
import { assertMayReadSensitive, authorizeIncident, recordSensitiveRead, type IncidentRow } from './incident-access.js';
import { openDocument } from './incident-record.js';
import type { RequestContext } from './organization-access.js';

/** The permission each workflow step needs (kept with the command that enforces it). */
export const STEP_ACTION = {
  submit: 'submit_for_review',
  request_information: 'verify',
  verify: 'verify',
  reject: 'verify',
  reopen: 'verify',
} as const satisfies Record<WorkflowStep, Parameters<typeof canOnIncident>[1]>;

/**
 * Reads an incident. Its sealed fields (identities, contacts, exact coordinates) are opened only when
 * asked for and allowed, and every such read is an audit entry: who looked at whom is itself a record.
 */
export async function readIncident(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  incidentId: string;
  includeSensitive: boolean;
  context?: RequestContext;
}): Promise<{ row: IncidentRow; document: IncidentDocument; subject: IncidentSubject; sensitiveIncluded: boolean; nextSteps: WorkflowStep[] }> {
  const { database, keyring, actor } = options;
  return database.transaction(async (trx) => {
    const { incident, subject } = await authorizeIncident(trx, actor, 'read', options.incidentId);
    if (options.includeSensitive) assertMayReadSensitive(actor, subject);
    const document = await openDocument(trx, keyring, incident, options.includeSensitive);
    if (options.includeSensitive && incident.sealed) {
      await recordSensitiveRead(trx, actor, incident, { version: incident.version }, options.context);
    }
    const userId = actor.kind === 'user' ? actor.userId : null;
    const nextSteps = WORKFLOW_STEP_NAMES.filter(
      (step) =>
        nextStatus(incident.status, step) !== null &&
        canOnIncident(actor, STEP_ACTION[step], subject) &&
        !(step === 'verify' && userId === incident.last_changed_by),
    );
    return { row: incident, document, subject, sensitiveIncluded: options.includeSensitive && incident.sealed !== null, nextSteps };
  });
}
