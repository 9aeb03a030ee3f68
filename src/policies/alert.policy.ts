import { rolesIn, type Actor } from './actor.js';

/**
 * Who may do what to an alert. Deny by default. An alert belongs to a network (a council, a shelter
 * network) and speaks in its name, so only that network's people touch it:
 *
 * - documenters and reviewers draft, edit and send a draft for review (administrators only read);
 * - reviewers return, approve, publish, correct and withdraw — approving also needs someone other than
 *   the author and the last editor (the commands check that, as it depends on the alert's history);
 * - API tokens, other organizations and instance administrators get nothing.
 */
export type AlertAction = 'read' | 'create' | 'edit' | 'submit' | 'return' | 'approve' | 'publish' | 'correct' | 'withdraw';

const READERS = ['documenter', 'reviewer', 'administrator'] as const;
const WRITERS = ['documenter', 'reviewer'] as const;

/** Whether `actor` may see that an alert of `networkId` exists; anything else answers 404 when false. */
export function canSeeAlert(actor: Actor, networkId: string): boolean {
  if (actor.kind !== 'user' || (actor.mfaRequired && !actor.mfaVerified)) return false;
  return rolesIn(actor, networkId).some((r) => (READERS as readonly string[]).includes(r));
}

/** Whether `actor` may do `action` to an alert of `networkId`. */
export function canOnAlert(actor: Actor, action: AlertAction, networkId: string): boolean {
  if (!canSeeAlert(actor, networkId)) return false;
  const roles = rolesIn(actor, networkId);
  switch (action) {
    case 'read':
      return true;
    case 'create':
    case 'edit':
    case 'submit':
      return roles.some((r) => (WRITERS as readonly string[]).includes(r));
    case 'return':
    case 'approve':
    case 'publish':
    case 'correct':
    case 'withdraw':
      return roles.includes('reviewer');
    default:
      return false;
  }
}

/** The networks whose alerts the actor may list. */
export function alertNetworkScope(actor: Actor): string[] {
  if (actor.kind !== 'user' || (actor.mfaRequired && !actor.mfaVerified)) return [];
  return actor.memberships.filter((m) => m.roles.some((r) => (READERS as readonly string[]).includes(r))).map((m) => m.organizationId);
}
