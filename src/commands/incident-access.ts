import type { Kysely, Selectable, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { DB, IncidentsTable } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';
import { canOnIncident, canSeeIncident, type IncidentAction, type IncidentSubject } from '../policies/incident.policy.js';
import { AppError } from '../server/errors.js';
import { auditSource, isUuid, type RequestContext } from './organization-access.js';

export type IncidentRow = Selectable<IncidentsTable>;

/** The networks an organization belongs to. */
export async function networksOfOrganization(db: Kysely<DB>, organizationId: string): Promise<string[]> {
  const rows = await db.selectFrom('network_members').select('network_id').where('organization_id', '=', organizationId).execute();
  return rows.map((r) => r.network_id);
}

/** The policy's view of an incident row. */
export async function incidentSubject(db: Kysely<DB>, incident: Pick<IncidentRow, 'organization_id' | 'shared_with_networks'>): Promise<IncidentSubject> {
  return {
    organizationId: incident.organization_id,
    sharedWithNetworks: incident.shared_with_networks,
    networkIds: incident.shared_with_networks ? await networksOfOrganization(db, incident.organization_id) : [],
  };
}

/**
 * Loads an incident for `action`: 404 when it does not exist or the actor may not see it (one answer, so
 * a response never reveals that a record exists), 403 when visible but the action is not theirs. With
 * `forUpdate`, the row is locked until the transaction ends, so two edits cannot both build on one version.
 */
export async function authorizeIncident(
  db: Kysely<DB>,
  actor: Actor,
  action: IncidentAction,
  incidentId: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ incident: IncidentRow; subject: IncidentSubject }> {
  let query = db.selectFrom('incidents').selectAll().where('id', '=', isUuid(incidentId) ? incidentId : '00000000-0000-0000-0000-000000000000');
  if (options.forUpdate) query = query.forUpdate();
  const incident = await query.executeTakeFirst();
  const subject = incident ? await incidentSubject(db, incident) : undefined;
  if (!incident || !subject || !canSeeIncident(actor, subject)) {
    throw new AppError('NOT_FOUND', 'There is no such incident.', { incidentId });
  }
  if (!canOnIncident(actor, action, subject)) {
    throw new AppError('FORBIDDEN', 'You may not do this to this incident.', { incidentId, action });
  }
  return { incident, subject };
}

/** Refuses to open sealed fields for someone not allowed to read them. */
export function assertMayReadSensitive(actor: Actor, subject: IncidentSubject): void {
  if (!canOnIncident(actor, 'read_sensitive', subject)) {
    throw new AppError('FORBIDDEN', 'You may not read the identities, contacts and places sealed in this incident.');
  }
}

/** Records that sealed fields of an incident were opened: who looked at whom is itself a record. */
export async function recordSensitiveRead(
  trx: Transaction<DB>,
  actor: Actor,
  incident: Pick<IncidentRow, 'id' | 'organization_id'>,
  details: { [key: string]: number | number[] },
  context?: RequestContext,
): Promise<void> {
  await appendAudit(trx, {
    ...auditSource(actor, context),
    organizationId: incident.organization_id,
    action: 'incident.read_sensitive',
    subjectType: 'incident',
    subjectId: incident.id,
    details,
  });
}
