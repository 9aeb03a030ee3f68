import { z } from 'zod';
import type { InvitationSummary, UsableInvitation } from '../auth/invitations.js';
import type { AcceptedInvitation } from '../commands/accept-invitation.js';
import type { CreatedInvitation } from '../commands/create-invitation.js';
import { ROLES } from '../policies/actor.js';
import { signedInUserSchema } from './session.presenter.js';

/*
 * What the invitation endpoints show. Token hashes never leave through here; the public lookup shows
 * only what the invited person needs to decide (who invites them, as what, until when), and the
 * response schemas drop every field they do not list.
 */

const roleSchema = z.enum(ROLES as ['reporter', 'documenter', 'reviewer', 'administrator']);

export const createdInvitationSchema = z
  .object({ id: z.uuid(), email: z.string(), role: roleSchema, expiresAt: z.iso.datetime() })
  .meta({ id: 'CreatedInvitation' });

export const invitationSummarySchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: roleSchema,
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    invitedBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    acceptedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'InvitationSummary' });

export const invitationLookupSchema = z
  .object({
    organization: z.object({ name: z.string() }),
    role: roleSchema,
    email: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'InvitationLookup' });

export const acceptedInvitationSchema = z
  .object({
    user: signedInUserSchema,
    organization: z.object({ id: z.uuid(), name: z.string() }),
    role: roleSchema,
    mfa: z.enum(['none', 'challenge', 'enrol']),
  })
  .meta({ id: 'AcceptedInvitation' });

/** A just-created invitation, for its creator. */
export function presentCreatedInvitation(invitation: CreatedInvitation): z.infer<typeof createdInvitationSchema> {
  return { ...invitation, expiresAt: invitation.expiresAt.toISOString() };
}

/** One invitation in an organization's list. */
export function presentInvitationSummary(invitation: InvitationSummary): z.infer<typeof invitationSummarySchema> {
  return {
    ...invitation,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
    acceptedAt: invitation.acceptedAt?.toISOString() ?? null,
    revokedAt: invitation.revokedAt?.toISOString() ?? null,
  };
}

/** What the holder of a working link sees before accepting. */
export function presentInvitationLookup(invitation: UsableInvitation): z.infer<typeof invitationLookupSchema> {
  return {
    organization: { name: invitation.organizationName },
    role: invitation.role,
    email: invitation.email,
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

/** The outcome of accepting, without the session token (it goes into the cookie only). */
export function presentAcceptedInvitation(accepted: AcceptedInvitation): z.infer<typeof acceptedInvitationSchema> {
  return { user: accepted.user, organization: accepted.organization, role: accepted.role, mfa: accepted.mfa };
}
