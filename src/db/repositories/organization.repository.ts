import type { Kysely, Selectable } from 'kysely';
import type { DB, OrganizationsTable, Role } from '../schema.js';

/** An organization as stored. */
export type OrganizationRow = Selectable<OrganizationsTable>;

/** A person with their roles in one organization. */
export interface MemberRow {
  userId: string;
  displayName: string;
  email: string;
  roles: Role[];
}

/** One organization by id, or undefined. */
export function findOrganization(db: Kysely<DB>, id: string): Promise<OrganizationRow | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Organizations by id (all when `ids` is undefined), by name. */
export function listOrganizations(db: Kysely<DB>, ids: readonly string[] | undefined): Promise<OrganizationRow[]> {
  if (ids !== undefined && ids.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('organizations').selectAll().orderBy('name').orderBy('id');
  if (ids !== undefined) query = query.where('id', 'in', ids);
  return query.execute();
}

/** For each organization id, the networks it belongs to (id, slug, name), by name. */
export async function networksOf(
  db: Kysely<DB>,
  organizationIds: readonly string[],
): Promise<Map<string, Array<{ id: string; slug: string; name: string }>>> {
  const result = new Map<string, Array<{ id: string; slug: string; name: string }>>();
  if (organizationIds.length === 0) return result;
  const rows = await db
    .selectFrom('network_members')
    .innerJoin('organizations', 'organizations.id', 'network_members.network_id')
    .select(['network_members.organization_id', 'organizations.id', 'organizations.slug', 'organizations.name'])
    .where('network_members.organization_id', 'in', organizationIds)
    .orderBy('organizations.name')
    .execute();
  for (const { organization_id, ...network } of rows) {
    result.set(organization_id, [...(result.get(organization_id) ?? []), network]);
  }
  return result;
}

/** The roles one person holds in one organization, in no particular order. */
export async function rolesOfMember(db: Kysely<DB>, organizationId: string, userId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('memberships')
    .select('role')
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.role);
}

/** Everyone with at least one role in the organization, with their roles, by display name. */
export async function listMembers(db: Kysely<DB>, organizationId: string): Promise<MemberRow[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id as userId', 'users.display_name as displayName', 'users.email', 'memberships.role'])
    .where('memberships.organization_id', '=', organizationId)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  const members = new Map<string, MemberRow>();
  for (const row of rows) {
    const member = members.get(row.userId);
    if (member) member.roles.push(row.role);
    else members.set(row.userId, { userId: row.userId, displayName: row.displayName, email: row.email, roles: [row.role] });
  }
  return [...members.values()];
}

/** An organization's API tokens, newest first (revoked ones included, for the record). */
export function listApiTokens(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'organization_id', 'name', 'permissions', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** An API token as listed: everything but its hash. */
export type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];
