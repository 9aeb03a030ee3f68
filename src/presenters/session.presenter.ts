import { z } from 'zod';
import type { SessionRow } from '../auth/sessions.js';
import type { UserMembership, UserRow } from '../db/repositories/user.repository.js';
import type { UserActor } from '../policies/actor.js';

/*
 * What the authentication endpoints show about a person and their sessions. Password hashes, TOTP
 * secrets and session tokens never leave through here: the schemas drop every field they do not list.
 */

export const signedInUserSchema = z.object({ id: z.uuid(), email: z.string(), displayName: z.string() });

export const signInResponseSchema = z
  .object({ user: signedInUserSchema, mfa: z.enum(['none', 'challenge', 'enrol']) })
  .meta({ id: 'SignInResult' });

export const currentSessionSchema = z
  .object({
    user: signedInUserSchema.extend({ isInstanceAdmin: z.boolean() }),
    memberships: z.array(
      z.object({
        organization: z.object({
          id: z.uuid(),
          slug: z.string(),
          name: z.string(),
          kind: z.enum(['shelter', 'organization', 'network']),
        }),
        roles: z.array(z.enum(['reporter', 'documenter', 'reviewer', 'administrator'])),
      }),
    ),
    csrfToken: z.string(),
    mfa: z.object({ required: z.boolean(), enrolled: z.boolean(), verified: z.boolean() }),
  })
  .meta({ id: 'CurrentSession' });

export const sessionSummarySchema = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'SessionSummary' });

/** The signed-in person, their organizations and the CSRF token the browser app must repeat. */
export function presentCurrentSession(
  user: UserRow,
  memberships: readonly UserMembership[],
  actor: UserActor,
  session: SessionRow,
): z.infer<typeof currentSessionSchema> {
  return {
    user: { id: user.id, email: user.email, displayName: user.display_name, isInstanceAdmin: user.is_instance_admin },
    memberships: memberships.map((m) => ({ organization: { ...m.organization }, roles: [...m.roles] })),
    csrfToken: session.csrf_token,
    mfa: { required: actor.mfaRequired, enrolled: actor.mfaEnrolled, verified: actor.mfaVerified },
  };
}

/** One entry of "where am I signed in"; `current` marks the session asking. */
export function presentSessionSummary(session: SessionRow, currentSessionId: string): z.infer<typeof sessionSummarySchema> {
  return {
    id: session.id,
    createdAt: new Date(session.created_at).toISOString(),
    lastSeenAt: new Date(session.last_seen_at).toISOString(),
    expiresAt: new Date(session.expires_at).toISOString(),
    ip: session.ip,
    userAgent: session.user_agent,
    current: session.id === currentSessionId,
  };
}
