import type { Role } from '../db/schema.js';

/** Roles in the order of how much they may do, for display and for "at least" checks. */
export const ROLES: readonly Role[] = ['reporter', 'documenter', 'reviewer', 'administrator'];

/** Roles that must use two-factor sign-in: they can do nothing else until enrolled. */
export const ROLES_REQUIRING_MFA: readonly Role[] = ['reviewer', 'administrator'];

/** One organization a signed-in person belongs to, with their roles there. */
export interface ActorMembership {
  organizationId: string;
  roles: readonly Role[];
}

/**
 * Who is making a request, resolved once per request by the authentication plugin and passed to
 * policies. Policies decide from this alone (plus the record), never from the request.
 */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      sessionId: string;
      isInstanceAdmin: boolean;
      memberships: readonly ActorMembership[];
      /** The person must use a second factor (a reviewer or administrator anywhere, or an instance admin). */
      mfaRequired: boolean;
      /** Has a second factor enrolled. */
      mfaEnrolled: boolean;
      /** This session passed the second factor (or none is required and none is enrolled). */
      mfaVerified: boolean;
    }
  | {
      kind: 'api_token';
      tokenId: string;
      organizationId: string;
      permissions: readonly string[];
    };

export type UserActor = Extract<Actor, { kind: 'user' }>;

/** The anonymous actor: every request starts as this until authentication says otherwise. */
export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

/** The roles the actor holds in one organization (none for anonymous and API tokens). */
export function rolesIn(actor: Actor, organizationId: string): readonly Role[] {
  if (actor.kind !== 'user') return [];
  return actor.memberships.find((m) => m.organizationId === organizationId)?.roles ?? [];
}
