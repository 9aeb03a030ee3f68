import type { UserMembership, UserRow } from '../db/repositories/user.repository.js';
import { ROLES_REQUIRING_MFA, type UserActor } from '../policies/actor.js';

/** Whether a person must use a second factor: an instance admin, or a reviewer or administrator anywhere. */
export function requiresMfa(user: Pick<UserRow, 'is_instance_admin'>, memberships: readonly UserMembership[]): boolean {
  return (
    user.is_instance_admin || memberships.some((m) => m.roles.some((role) => ROLES_REQUIRING_MFA.includes(role)))
  );
}

/**
 * The actor for a signed-in person. `mfaVerified` needs the session's flag AND, when a second factor
 * is required, an enrolled one: a session that began before the person was made a reviewer must enrol
 * before it can do anything else.
 */
export function userActor(
  user: Pick<UserRow, 'id' | 'is_instance_admin' | 'totp_enabled_at'>,
  memberships: readonly UserMembership[],
  session: { id: string; mfa_verified: boolean },
): UserActor {
  const mfaRequired = requiresMfa(user, memberships);
  const mfaEnrolled = user.totp_enabled_at !== null;
  return {
    kind: 'user',
    userId: user.id,
    sessionId: session.id,
    isInstanceAdmin: user.is_instance_admin,
    memberships: memberships.map((m) => ({ organizationId: m.organization.id, roles: m.roles })),
    mfaRequired,
    mfaEnrolled,
    mfaVerified: session.mfa_verified && (mfaEnrolled || !mfaRequired),
  };
}
