import type { Kysely, Selectable } from 'kysely';
import { ROLES } from '../../policies/actor.js';
import type { DB, OrganizationKind, Role, UsersTable } from '../schema.js';

/** A person as stored (password hash and TOTP secret included: never hand this to a presenter as is). */
export type UserRow = Selectable<UsersTable>;

/** One organization a person belongs to, with their roles there, for the actor and the session answer. */
export interface UserMembership {
  organization: { id: string; slug: string; name: string; kind: OrganizationKind };
  roles: Role[];
}

/** The enabled account with this e-mail (compared lower-cased), or undefined. */
export function findEnabledUserByEmail(db: Kysely<DB>, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
}

/** The enabled account with this id, or undefined (a disabled account's sessions stop working at once). */
export function findEnabledUser(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst();
}

/**
 * A person's memberships in organizations that are not archived, by organization name, roles in
 * `ROLES` order: an archived organization grants nothing.
 */
export async function membershipsOfUser(db: Kysely<DB>, userId: string): Promise<UserMembership[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
    .select(['organizations.id', 'organizations.slug', 'organizations.name', 'organizations.kind', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .where('organizations.archived_at', 'is', null)
    .orderBy('organizations.name')
    .orderBy('organizations.id')
    .execute();
  const byOrganization = new Map<string, UserMembership>();
  for (const { role, ...organization } of rows) {
    const entry = byOrganization.get(organization.id) ?? { organization, roles: [] };
    entry.roles.push(role);
    byOrganization.set(organization.id, entry);
  }
  for (const entry of byOrganization.values()) entry.roles.sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
  return [...byOrganization.values()];
}
