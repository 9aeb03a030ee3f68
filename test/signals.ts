import type { Database } from '../src/db/client.js';
import { insertIncident } from './incidents.js';
import { insertOrganization } from './organizations.js';

/** A network with `count` member shelters, each sharing with it. */
export async function insertNetworkWithShelters(database: Database, count: number): Promise<{ networkId: string; shelterIds: string[] }> {
  const network = await insertOrganization(database, { kind: 'network' });
  const shelterIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const shelter = await insertOrganization(database);
    await database.db.insertInto('network_members').values({ network_id: network.id, organization_id: shelter.id, added_at: new Date() }).execute();
    shelterIds.push(shelter.id);
  }
  return { networkId: network.id, shelterIds };
}

/**
 * A verified, shared incident straight into the table, with just the columns the early-warning rules
 * read (the rules never open the document beyond the shelter id).
 */
export async function insertVerifiedIncident(
  database: Database,
  values: {
    organizationId: string;
    stateCode: string;
    date: string;
    actTypes?: string[];
    perpetratorTypes?: string[];
    victimTypes?: string[];
    placeType?: string | null;
    legalRuleIds?: string[];
  },
): Promise<string> {
  const { id } = await insertIncident(database, { organizationId: values.organizationId, sharedWithNetworks: true });
  await database.db
    .updateTable('incidents')
    .set({
      status: 'verified',
      state_code: values.stateCode,
      start_date: values.date,
      act_types: values.actTypes ?? ['HARASSMENT'],
      perpetrator_types: values.perpetratorTypes ?? ['GN'],
      victim_types: values.victimTypes ?? ['ORGANIZATION'],
      place_type: values.placeType === undefined ? 'MIGRANT_SHELTER' : values.placeType,
      legal_rule_ids: values.legalRuleIds ?? [],
      // The factory's document names no Vigía shelter: the recording shelter is the one targeted.
      document: JSON.stringify({ place: { shelterOrganizationId: null }, victims: [] }),
      verified_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
  return id;
}
