import { rolesIn, type Actor } from './actor.js';

/*
 * Who may follow up a published alert's requests to the authorities. Deny by default: only people of
 * the alert's network, with their second factor satisfied; API tokens and instance administrators (who
 * administer, not edit) do not. Everyone else gets "not found" from the commands.
 */

export type AccountabilityAction = 'read' | 'record';

export function canFollowUpAlert(actor: Actor, networkId: string, action: AccountabilityAction): boolean {
  if (actor.kind !== 'user' || (actor.mfaRequired && !actor.mfaVerified)) return false;
  const roles = rolesIn(actor, networkId);
  if (action === 'read') return roles.length > 0;
  if (action === 'record') return roles.includes('reviewer') || roles.includes('administrator');
  return false;
}
