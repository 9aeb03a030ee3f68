import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/client.js';
import type { OrganizationKind, Role } from '../src/db/schema.js';
import { ROLES_REQUIRING_MFA, type Actor, type ActorMembership, type UserActor } from '../src/policies/actor.js';

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomUUID().slice(0, 8)}`;
}

/** Inserts an organization in one line; the slug is unique per call. */
export async function insertOrganization(
  database: Database,
  values: { kind?: OrganizationKind; name?: string; stateCode?: string } = {},
): Promise<{ id: string; kind: OrganizationKind; slug: string }> {
  const slug = unique(values.kind ?? 'shelter');
  return database.db
    .insertInto('organizations')
    .values({ slug, name: values.name ?? `Organización ${slug}`, kind: values.kind ?? 'shelter', state_code: values.stateCode ?? null })
    .returning(['id', 'kind', 'slug'])
    .executeTakeFirstOrThrow();
}

/** Inserts a person (no password) with the given roles per organization; returns their id. */
export async function insertUser(
  database: Database,
  values: { memberships?: Record<string, readonly Role[]>; isInstanceAdmin?: boolean } = {},
): Promise<string> {
  const handle = unique('persona');
  const { id } = await database.db
    .insertInto('users')
    .values({ email: `${handle}@test.vigia.local`, display_name: `Persona ${handle}`, is_instance_admin: values.isInstanceAdmin ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = Object.entries(values.memberships ?? {}).flatMap(([organizationId, roles]) =>
    roles.map((role) => ({ user_id: id, organization_id: organizationId, role })),
  );
  if (rows.length > 0) await database.db.insertInto('memberships').values(rows).execute();
  return id;
}

/**
 * The actor a signed-in person would be, with the second factor passed: what the authentication
 * plugin builds, for testing policies and commands without HTTP.
 */
export function userActor(
  userId: string,
  memberships: Record<string, readonly Role[]> = {},
  options: { isInstanceAdmin?: boolean; mfaVerified?: boolean } = {},
): UserActor {
  const list: ActorMembership[] = Object.entries(memberships).map(([organizationId, roles]) => ({ organizationId, roles }));
  const isInstanceAdmin = options.isInstanceAdmin ?? false;
  const mfaRequired = isInstanceAdmin || list.some((m) => m.roles.some((r) => ROLES_REQUIRING_MFA.includes(r)));
  return {
    kind: 'user',
    userId,
    sessionId: randomUUID(),
    isInstanceAdmin,
    memberships: list,
    mfaRequired,
    mfaEnrolled: mfaRequired,
    mfaVerified: options.mfaVerified ?? true,
  };
}

/** An API token actor for one organization. */
export function tokenActor(organizationId: string, permissions: readonly string[] = ['incidents:read']): Actor {
  return { kind: 'api_token', tokenId: randomUUID(), organizationId, permissions };
}
