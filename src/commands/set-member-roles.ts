import type { Database } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { rolesOfMember } from '../db/repositories/organization.repository.js';
import { appendAudit } from '../audit/audit-log.js';
import { ROLES, type Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { auditSource, authorizeOrganization, type RequestContext } from './organization-access.js';

/** What `setMemberRoles` needs: the complete set of roles the person should hold afterwards. */
export interface SetMemberRolesOptions {
  database: Database;
  actor: Actor;
  organizationId: string;
  userId: string;
  /** `[]` removes the person from the organization. */
  roles: readonly Role[];
  context?: RequestContext;
}

/** In the order of ROLES, without repeats, so audit entries and answers compare equal. */
function normalized(roles: readonly Role[]): Role[] {
  return ROLES.filter((role) => roles.includes(role));
}

/**
 * Replaces a person's roles in an organization (its administrators), audited as
 * 'membership.role_changed' with the previous and new role codes. Refuses (409) a change that would
 * leave the organization without any administrator, since nobody but an instance administrator could
 * then manage it.
 */
export async function setMemberRoles(options: SetMemberRolesOptions): Promise<Role[]> {
  const { database, actor, organizationId, userId } = options;
  const roles = normalized(options.roles);
  return database.transaction(async (trx) => {
    const organization = await authorizeOrganization(trx, actor, 'manage_members', organizationId);
    // Serializes role changes per organization, so two administrators demoting each other at the same
    // moment cannot both pass the last-administrator check.
    await trx.selectFrom('organizations').select('id').where('id', '=', organization.id).forUpdate().execute();
    const previous = normalized(await rolesOfMember(trx, organizationId, userId));
    // Bringing someone in is an invitation's job; only instance administrators, who set up new
    // organizations, may grant roles to a person who has none here.
    if (previous.length === 0 && !(actor.kind === 'user' && actor.isInstanceAdmin)) {
      throw new AppError('NOT_FOUND', 'This person is not a member of this organization.', { organizationId, userId });
    }
    if (previous.length === 0) {
      const user = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!user) throw new AppError('NOT_FOUND', 'There is no such person.', { userId });
    }
    if (previous.join() === roles.join()) return roles;
    if (previous.includes('administrator') && !roles.includes('administrator')) {
      const others = await trx
        .selectFrom('memberships')
        .select('user_id')
        .where('organization_id', '=', organizationId)
        .where('role', '=', 'administrator')
        .where('user_id', '<>', userId)
        .executeTakeFirst();
      if (!others) {
        throw new AppError('CONFLICT', 'The organization would be left without an administrator; name another one first.', {
          organizationId,
          userId,
        });
      }
    }
    const removed = previous.filter((role) => !roles.includes(role));
    const added = roles.filter((role) => !previous.includes(role));
    if (removed.length > 0) {
      await trx
        .deleteFrom('memberships')
        .where('organization_id', '=', organizationId)
        .where('user_id', '=', userId)
        .where('role', 'in', removed)
        .execute();
    }
    if (added.length > 0) {
      const grantedBy = actor.kind === 'user' ? actor.userId : null;
      await trx
        .insertInto('memberships')
        .values(added.map((role) => ({ user_id: userId, organization_id: organizationId, role, granted_by: grantedBy })))
        .execute();
    }
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId,
      action: 'membership.role_changed',
      subjectType: 'user',
      subjectId: userId,
      details: { previousRoles: previous, roles },
    });
    return roles;
  });
}
