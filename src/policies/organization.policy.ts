import type { OrganizationKind } from '../db/schema.js';
import { rolesIn, type Actor } from './actor.js';

/**
 * Who may do what to an organization. Deny by default: an action is allowed only where a rule below
 * says so, and an unknown actor kind or action gets `false`.
 *
 * Instance administrators manage every organization (create them, their settings, members, tokens and
 * networks) so that an instance can be set up and repaired; that power is deliberately limited to
 * administration: incident policies must NOT treat `isInstanceAdmin` as a licence to read an
 * organization's records, which stay visible only to its members and the networks it shares with.
 */
export type OrganizationAction =
  /** See that the organization exists and its settings. */
  | 'read'
  /** Change its name and sharing default. */
  | 'update'
  /** List its people and change their roles, invite people. */
  | 'manage_members'
  /** Create, list and revoke its API tokens. */
  | 'manage_api_tokens'
  /** Add or remove member organizations (networks only). */
  | 'manage_network_members'
  /** Read the audit entries recorded under it. */
  | 'read_audit'
  /** Register, list and switch off its webhook endpoints, and read their delivery log. */
  | 'manage_webhooks';

/** The facts about an organization a decision needs. */
export interface OrganizationSubject {
  id: string;
  kind: OrganizationKind;
}

/** Whether a signed-in person still owes the second factor their roles require. */
function pendingSecondFactor(actor: Extract<Actor, { kind: 'user' }>): boolean {
  return actor.mfaRequired && !actor.mfaVerified;
}

/** Whether `actor` may perform `action` on `organization`. */
export function can(actor: Actor, action: OrganizationAction, organization: OrganizationSubject): boolean {
  if (actor.kind === 'api_token') {
    // A token acts for one organization's integrations; it administers nothing.
    return action === 'read' && actor.organizationId === organization.id;
  }
  if (actor.kind !== 'user' || pendingSecondFactor(actor)) return false;
  if (actor.isInstanceAdmin) return action !== 'manage_network_members' || organization.kind === 'network';
  const roles = rolesIn(actor, organization.id);
  switch (action) {
    case 'read':
      return roles.length > 0;
    case 'update':
    case 'manage_members':
    case 'manage_api_tokens':
    case 'read_audit':
    case 'manage_webhooks':
      return roles.includes('administrator');
    case 'manage_network_members':
      return organization.kind === 'network' && roles.includes('administrator');
    default:
      return false;
  }
}

/** Whether `actor` may create organizations (instance administrators only). */
export function canCreateOrganization(actor: Actor): boolean {
  return actor.kind === 'user' && actor.isInstanceAdmin && !pendingSecondFactor(actor);
}

/**
 * The subset of `ids` the actor may know exist: the organizations they belong to (instance
 * administrators: all; an API token: its own). Anything not returned must answer 404.
 */
export function visibleOrganizationIds(actor: Actor, ids: readonly string[]): string[] {
  if (actor.kind === 'api_token') return ids.filter((id) => id === actor.organizationId);
  if (actor.kind !== 'user' || pendingSecondFactor(actor)) return [];
  if (actor.isInstanceAdmin) return [...ids];
  const member = new Set(actor.memberships.filter((m) => m.roles.length > 0).map((m) => m.organizationId));
  return ids.filter((id) => member.has(id));
}
