import type { Database } from '../db/client.js';
import { searchIncidents, type IncidentSearchPage, type IncidentSearchQuery } from '../db/repositories/incident-search.js';
import type { Actor } from '../policies/actor.js';
import { incidentScope } from '../policies/incident.policy.js';

/**
 * Searches the incidents the actor may see: their own organizations' and those shared with networks they
 * work in. The scope comes from the policy before any filter, so no query can reach beyond it.
 */
export async function searchVisibleIncidents(options: { database: Database; actor: Actor; query: IncidentSearchQuery }): Promise<IncidentSearchPage> {
  const { database, actor } = options;
  const workedIn = actor.kind === 'user' ? actor.memberships.map((m) => m.organizationId) : [];
  const members =
    workedIn.length === 0
      ? []
      : await database.db.selectFrom('network_members').select(['network_id', 'organization_id']).where('network_id', 'in', workedIn).execute();
  const scope = incidentScope(actor, (networkIds) => members.filter((m) => networkIds.includes(m.network_id)).map((m) => m.organization_id));
  return searchIncidents(database.db, scope, options.query);
}
