import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { INVITATION_LIFETIME_DAYS, newInvitationToken } from '../auth/invitations.js';
import type { Database } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { invitationEmail, invitationLink, webBaseUrl } from '../domain/email-templates.js';
import { enqueueEmail } from '../jobs/email/email.job.js';
import type { JobRegistry } from '../jobs/registry.js';
import type { Actor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { auditSource, authorizeOrganization, type RequestContext } from './organization-access.js';

/** What `createInvitation` needs. */
export interface CreateInvitationOptions {
  database: Database;
  config: Pick<Config, 'publicUrl' | 'host' | 'port'>;
  jobs: JobRegistry;
  actor: Actor;
  organizationId: string;
  email: string;
  role: Role;
  context?: RequestContext;
}

/** The invitation as its creator sees it; the token exists only in the e-mail. */
export interface CreatedInvitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
}

/**
 * Invites a person by e-mail into an organization (its administrators): stores the hashed token,
 * queues the bilingual e-mail with the link and records 'invitation.created', all in one transaction,
 * so that an invitation exists if and only if its e-mail will go out. An earlier pending invitation
 * for the same address and organization is withdrawn, so that only the newest link works.
 */
export async function createInvitation(options: CreateInvitationOptions): Promise<CreatedInvitation> {
  const { database, config, actor, organizationId, role } = options;
  const email = options.email.trim().toLowerCase();
  const { token, tokenHash } = newInvitationToken();
  return database.transaction(async (trx) => {
    const organization = await authorizeOrganization(trx, actor, 'manage_members', organizationId);
    await trx
      .updateTable('invitations')
      .set({ revoked_at: sql<Date>`now()` })
      .where('organization_id', '=', organization.id)
      .where('email', '=', email)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    const row = await trx
      .insertInto('invitations')
      .values({
        organization_id: organization.id,
        email,
        role,
        token_hash: tokenHash,
        invited_by: actor.kind === 'user' ? actor.userId : null,
        expires_at: sql<Date>`now() + make_interval(days => ${INVITATION_LIFETIME_DAYS})`,
      })
      .returning(['id', 'expires_at'])
      .executeTakeFirstOrThrow();
    const expiresAt = new Date(row.expires_at);
    const content = invitationEmail({
      organizationName: organization.name,
      role,
      link: invitationLink(webBaseUrl(config), token),
      expiresAt,
    });
    await enqueueEmail(trx, options.jobs, { to: email, ...content, headers: { 'Auto-Submitted': 'auto-generated' } });
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: organization.id,
      action: 'invitation.created',
      subjectType: 'invitation',
      subjectId: row.id,
      details: { role },
    });
    return { id: row.id, email, role, expiresAt };
  });
}
