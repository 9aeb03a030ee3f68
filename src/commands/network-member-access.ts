import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { findOrganization } from '../db/repositories/organization.repository.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { authorizeOrganization, isUuid } from './organization-access.js';

/**
 * Checks that the actor may change the members of `networkId` and that `organizationId` can be one:
 * an existing organization that is not itself a network (networks of networks would make sharing
 * reach further than anyone chose).
 */
export async function authorizeNetworkChange(
  db: Kysely<DB>,
  actor: Actor,
  networkId: string,
  organizationId: string,
): Promise<void> {
  // The policy refuses 'manage_network_members' on anything that is not a network.
  await authorizeOrganization(db, actor, 'manage_network_members', networkId);
  const member = isUuid(organizationId) ? await findOrganization(db, organizationId) : undefined;
  if (!member) throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId });
  if (member.kind === 'network') {
    throw new AppError('CONFLICT', 'A network cannot be a member of another network.', { networkId, organizationId });
  }
}
