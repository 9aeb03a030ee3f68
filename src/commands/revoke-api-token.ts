import type { Database } from '../db/client.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { auditSource, authorizeOrganization, isUuid, type RequestContext } from './organization-access.js';

/** What `revokeApiToken` needs. */
export interface RevokeApiTokenOptions {
  database: Database;
  actor: Actor;
  organizationId: string;
  tokenId: string;
  context?: RequestContext;
}

/**
 * Revokes an organization's API token (its administrators), audited as 'api_token.revoked'. The row
 * stays, so the audit trail can still name the token; revoking twice changes nothing.
 */
export async function revokeApiToken(options: RevokeApiTokenOptions): Promise<void> {
  const { database, actor, organizationId, tokenId } = options;
  await database.transaction(async (trx) => {
    await authorizeOrganization(trx, actor, 'manage_api_tokens', organizationId);
    const token = isUuid(tokenId)
      ? await trx
          .selectFrom('api_tokens')
          .select(['id', 'revoked_at'])
          .where('id', '=', tokenId)
          .where('organization_id', '=', organizationId)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!token) throw new AppError('NOT_FOUND', 'There is no such API token in this organization.', { tokenId });
    if (token.revoked_at) return;
    await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', tokenId).execute();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId,
      action: 'api_token.revoked',
      subjectType: 'api_token',
      subjectId: tokenId,
    });
  });
}
