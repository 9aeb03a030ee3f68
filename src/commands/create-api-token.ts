import type { Database } from '../db/client.js';
import type { ApiTokenRow } from '../db/repositories/organization.repository.js';
import { appendAudit } from '../audit/audit-log.js';
import { createApiTokenSecret } from '../auth/api-tokens.js';
import type { Actor } from '../policies/actor.js';
import { API_TOKEN_PERMISSIONS, type ApiTokenPermission } from '../policies/permissions.js';
import { AppError } from '../server/errors.js';
import { auditSource, authorizeOrganization, type RequestContext } from './organization-access.js';

/** What `createApiToken` needs. */
export interface CreateApiTokenOptions {
  database: Database;
  actor: Actor;
  organizationId: string;
  name: string;
  permissions: readonly ApiTokenPermission[];
  context?: RequestContext;
}

/** The new token's record and its secret, which is never stored and cannot be shown again. */
export interface CreatedApiToken {
  token: ApiTokenRow;
  secret: string;
}

/**
 * Creates an API token for an organization (its administrators), audited as 'api_token.created'.
 * Only the secret's hash is stored, so a leaked table lets nobody call the API.
 */
export async function createApiToken(options: CreateApiTokenOptions): Promise<CreatedApiToken> {
  const { database, actor, organizationId, name } = options;
  const permissions = API_TOKEN_PERMISSIONS.filter((p) => options.permissions.includes(p));
  const unknown = options.permissions.filter((p) => !(API_TOKEN_PERMISSIONS as readonly string[]).includes(p));
  if (unknown.length > 0 || permissions.length === 0) {
    throw new AppError('VALIDATION_FAILED', `A token needs one or more of: ${API_TOKEN_PERMISSIONS.join(', ')}.`, { unknown });
  }
  const { secret, tokenHash } = createApiTokenSecret();
  return database.transaction(async (trx) => {
    await authorizeOrganization(trx, actor, 'manage_api_tokens', organizationId);
    const token = await trx
      .insertInto('api_tokens')
      .values({
        organization_id: organizationId,
        name,
        token_hash: tokenHash,
        permissions,
        created_by: actor.kind === 'user' ? actor.userId : null,
      })
      .returning(['id', 'organization_id', 'name', 'permissions', 'created_by', 'created_at', 'last_used_at', 'revoked_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId,
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: token.id,
      details: { permissions },
    });
    return { token, secret };
  });
}

