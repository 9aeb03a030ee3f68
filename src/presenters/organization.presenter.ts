import { z } from 'zod';
import type { ApiTokenRow, MemberRow, OrganizationRow } from '../db/repositories/organization.repository.js';
import { ROLES } from '../policies/actor.js';
import { API_TOKEN_PERMISSIONS, isApiTokenPermission } from '../policies/permissions.js';

const roleSchema = z.enum(ROLES as ['reporter', 'documenter', 'reviewer', 'administrator']);

/** A network an organization belongs to, as shown beside it. */
export const networkRefSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).meta({ id: 'NetworkRef' });

/** An organization in lists. */
export const organizationSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    kind: z.enum(['shelter', 'organization', 'network']),
    stateCode: z.string().nullable().describe('INEGI state code, "01".."32"'),
    networks: z.array(networkRefSchema).optional().describe('The networks it is a member of'),
  })
  .meta({ id: 'Organization' });

/** An organization with its settings. */
export const organizationDetailsSchema = organizationSchema
  .extend({
    municipality: z.string().nullable().describe('INEGI CVEGEO'),
    shareWithNetworksByDefault: z.boolean(),
    createdAt: z.iso.datetime(),
    archivedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'OrganizationDetails' });

/** A person with their roles in one organization (shown to its administrators only). */
export const memberSchema = z
  .object({ userId: z.uuid(), displayName: z.string(), email: z.string(), roles: z.array(roleSchema) })
  .meta({ id: 'Member' });

/** An API token as listed: never its secret or hash. */
export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    permissions: z.array(z.enum(API_TOKEN_PERMISSIONS)),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });

type NetworkRef = z.infer<typeof networkRefSchema>;

/** An organization for lists, with its networks when given. */
export function presentOrganization(row: OrganizationRow, networks?: readonly NetworkRef[]): z.infer<typeof organizationSchema> {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    stateCode: row.state_code,
    ...(networks ? { networks: [...networks] } : {}),
  };
}

/** An organization with its settings. */
export function presentOrganizationDetails(
  row: OrganizationRow,
  networks: readonly NetworkRef[],
): z.infer<typeof organizationDetailsSchema> {
  return {
    ...presentOrganization(row, networks),
    municipality: row.municipality,
    shareWithNetworksByDefault: row.share_with_networks_by_default,
    createdAt: new Date(row.created_at).toISOString(),
    archivedAt: row.archived_at ? new Date(row.archived_at).toISOString() : null,
  };
}

/** A member row for the API. */
export function presentMember(row: MemberRow): z.infer<typeof memberSchema> {
  return { userId: row.userId, displayName: row.displayName, email: row.email, roles: row.roles };
}

/** An API token for the API: what it may do and when it was used, never its hash. */
export function presentApiToken(row: ApiTokenRow): z.infer<typeof apiTokenSchema> {
  return {
    id: row.id,
    name: row.name,
    // A permission retired from the closed list no longer means anything, so it is not shown.
    permissions: row.permissions.filter(isApiTokenPermission),
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
}
