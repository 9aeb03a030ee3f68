import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { auditSource, authorizeOrganization, isUuid, type RequestContext } from './organization-access.js';

/**
 * Withdraws an organization's pending invitation (its administrators), so its link stops working;
 * audited as 'invitation.revoked'. Withdrawing one already withdrawn changes nothing; one already
 * accepted cannot be withdrawn (409): the person is a member, and their roles are changed elsewhere.
 */
export async function revokeInvitation(options: {
  database: Database;
  actor: Actor;
  organizationId: string;
  invitationId: string;
  context?: RequestContext;
}): Promise<void> {
  const { database, actor, organizationId, invitationId } = options;
  await database.transaction(async (trx) => {
    const organization = await authorizeOrganization(trx, actor, 'manage_members', organizationId);
    const invitation = isUuid(invitationId)
      ? await trx
          .selectFrom('invitations')
          .select(['id', 'role', 'accepted_at', 'revoked_at'])
          .where('id', '=', invitationId)
          .where('organization_id', '=', organization.id)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!invitation) throw new AppError('NOT_FOUND', 'There is no such invitation.', { invitationId });
    if (invitation.revoked_at !== null) return;
    if (invitation.accepted_at !== null) {
      throw new AppError('CONFLICT', 'This invitation was already accepted; change the member\'s roles instead.', {
        invitationId,
      });
    }
    await trx.updateTable('invitations').set({ revoked_at: sql<Date>`now()` }).where('id', '=', invitation.id).execute();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: organization.id,
      action: 'invitation.revoked',
      subjectType: 'invitation',
      subjectId: invitation.id,
      details: { role: invitation.role },
    });
  });
}
