import type { Kysely } from 'kysely';
import type { AuditActorType, DB } from '../db/schema.js';
import { findOrganization, type OrganizationRow } from '../db/repositories/organization.repository.js';
import type { Actor } from '../policies/actor.js';
import { can, visibleOrganizationIds, type OrganizationAction } from '../policies/organization.policy.js';
import { AppError } from '../server/errors.js';

/** Where a change was asked from, copied into its audit entry. */
export interface RequestContext {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string can be a row id at all (PostgreSQL rejects a malformed uuid with an error, not "no row"). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Loads an organization for `action`: 404 when it does not exist or the actor may not know it does
 * (the same answer, so a response never reveals another organization), 403 when visible but the
 * action is not allowed.
 */
export async function authorizeOrganization(
  db: Kysely<DB>,
  actor: Actor,
  action: OrganizationAction,
  organizationId: string,
): Promise<OrganizationRow> {
  const organization = isUuid(organizationId) ? await findOrganization(db, organizationId) : undefined;
  if (!organization || visibleOrganizationIds(actor, [organization.id]).length === 0) {
    throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId });
  }
  if (!can(actor, action, organization)) {
    throw new AppError('FORBIDDEN', 'You may not do this in this organization.', { organizationId, action });
  }
  return organization;
}

/** The actor fields of an audit entry (plus where the request came from). */
export function auditSource(
  actor: Actor,
  context: RequestContext = {},
): { actorType: AuditActorType; actorId: string | null } & RequestContext {
  const actorId = actor.kind === 'user' ? actor.userId : actor.kind === 'api_token' ? actor.tokenId : null;
  return { actorType: actor.kind, actorId, ...context };
}
