import { rolesIn, type Actor } from './actor.js';

/**
 * Who may do what to an incident. Deny by default.
 *
 * - The owning organization's documenters, reviewers and administrators see and edit its incidents, and
 *   read their sealed fields (identities, contacts, coordinates) — each such read is audited.
 * - A network's documenters, reviewers and administrators see the incidents a member organization chose to
 *   share with its networks, without the sealed fields; the network's reviewers may verify them (the
 *   council reviews its members' records). Incidents a network owns itself (from public reports) are its own.
 * - Reporters file reports; they do not browse the record.
 * - An API token with incidents:read sees its organization's incidents without sealed fields;
 *   incidents:write also creates and edits them.
 * - Instance administrators get nothing here: administering an instance is not a licence to read records.
 */
export type IncidentAction =
  | 'read'
  | 'read_sensitive'
  | 'edit'
  | 'submit_for_review'
  | 'verify'
  | 'archive'
  | 'share'
  | 'add_evidence'
  | 'read_evidence_original'
  | 'export';

/** The facts about an incident a decision needs. */
export interface IncidentSubject {
  organizationId: string;
  sharedWithNetworks: boolean;
  /** The networks the owning organization belongs to (loaded by the caller). */
  networkIds: readonly string[];
}

const WORKERS = ['documenter', 'reviewer', 'administrator'] as const;

function pendingSecondFactor(actor: Actor): boolean {
  return actor.kind === 'user' && actor.mfaRequired && !actor.mfaVerified;
}

function hasAny(roles: readonly string[], wanted: readonly string[]): boolean {
  return wanted.some((r) => roles.includes(r));
}

/** The networks through which the actor sees a shared incident, with their roles there. */
function networkRoles(actor: Extract<Actor, { kind: 'user' }>, incident: IncidentSubject): string[] {
  if (!incident.sharedWithNetworks) return [];
  return incident.networkIds.flatMap((id) => [...rolesIn(actor, id)]);
}

/** Whether `actor` may see that `incident` exists; anything else about it answers 404 when this is false. */
export function canSeeIncident(actor: Actor, incident: IncidentSubject): boolean {
  if (actor.kind === 'api_token') {
    return actor.organizationId === incident.organizationId && actor.permissions.includes('incidents:read');
  }
  if (actor.kind !== 'user' || pendingSecondFactor(actor)) return false;
  return hasAny(rolesIn(actor, incident.organizationId), WORKERS) || hasAny(networkRoles(actor, incident), WORKERS);
}

/** Whether `actor` may do `action` on `incident`. */
export function canOnIncident(actor: Actor, action: IncidentAction, incident: IncidentSubject): boolean {
  if (!canSeeIncident(actor, incident)) return false;
  if (action === 'read') return true;
  if (actor.kind === 'api_token') {
    const write = actor.permissions.includes('incidents:write');
    if (action === 'export') return actor.permissions.includes('export:read');
    return write && (action === 'edit' || action === 'submit_for_review' || action === 'add_evidence');
  }
  if (actor.kind !== 'user') return false;
  const own = rolesIn(actor, incident.organizationId);
  const viaNetwork = networkRoles(actor, incident);
  switch (action) {
    case 'read_sensitive':
    case 'edit':
    case 'submit_for_review':
    case 'add_evidence':
    case 'read_evidence_original':
    case 'export':
      return hasAny(own, WORKERS);
    case 'verify':
      return own.includes('reviewer') || viaNetwork.includes('reviewer');
    case 'archive':
    case 'share':
      return hasAny(own, ['reviewer', 'administrator']) || (action === 'share' && own.includes('documenter'));
    default:
      return false;
  }
}

/**
 * The organizations whose incidents the actor may list: their own (where they document, review or
 * administer) and those whose shared incidents they see through a network. Search and lists filter by
 * these before anything else.
 */
export function incidentScope(
  actor: Actor,
  membersOfNetworks: (networkIds: readonly string[]) => readonly string[],
): { organizationIds: string[]; sharedFromOrganizationIds: string[] } {
  if (actor.kind === 'api_token') {
    return actor.permissions.includes('incidents:read')
      ? { organizationIds: [actor.organizationId], sharedFromOrganizationIds: [] }
      : { organizationIds: [], sharedFromOrganizationIds: [] };
  }
  if (actor.kind !== 'user' || pendingSecondFactor(actor)) return { organizationIds: [], sharedFromOrganizationIds: [] };
  const worked = actor.memberships.filter((m) => hasAny(m.roles, WORKERS)).map((m) => m.organizationId);
  const organizationIds = [...new Set(worked)];
  const shared = membersOfNetworks(organizationIds).filter((id) => !organizationIds.includes(id));
  return { organizationIds, sharedFromOrganizationIds: [...new Set(shared)] };
}
