import { createIncident } from '../src/commands/create-incident.js';
import { changeIncidentStatus } from '../src/commands/change-incident-status.js';
import type { Keyring } from '../src/crypto/keyring.js';
import type { Database } from '../src/db/client.js';
import { incidentDocumentSchema, type IncidentDocumentInput } from '../src/domain/incident.js';
import type { UserActor } from '../src/policies/actor.js';
import { aguaPrietaDocument } from './incidents.js';
import { insertOrganization, insertUser, userActor } from './organizations.js';

/**
 * A council (network) with a member shelter, the network's documenter and two reviewers, and a way to
 * add verified incidents shared with the network: the starting point of every alert-drafting test.
 */
export async function alertNetwork(database: Database, keyring: Keyring) {
  const network = await insertOrganization(database, { kind: 'network', name: 'Consejo de prueba' });
  const shelter = await insertOrganization(database, { kind: 'shelter', stateCode: '26' });
  await database.db.insertInto('network_members').values({ network_id: network.id, organization_id: shelter.id }).execute();
  const person = async (roles: Record<string, readonly ('documenter' | 'reviewer' | 'administrator' | 'reporter')[]>): Promise<UserActor> =>
    userActor(await insertUser(database, { memberships: roles }), roles);
  const shelterDocumenter = await person({ [shelter.id]: ['documenter'] });
  const shelterReviewer = await person({ [shelter.id]: ['reviewer'] });
  const documenter = await person({ [network.id]: ['documenter'] });
  const reviewers = [await person({ [network.id]: ['reviewer'] }), await person({ [network.id]: ['reviewer'] }), await person({ [network.id]: ['reviewer'] })];
  /** A verified incident of the shelter, shared with the network (Agua Prieta by default, with its sealed names and phone). */
  const verifiedIncident = async (overrides: Partial<IncidentDocumentInput> = {}, options: { mayPublish?: boolean } = {}) => {
    const row = await createIncident({
      database,
      keyring,
      actor: shelterDocumenter,
      organizationId: shelter.id,
      document: incidentDocumentSchema.parse(aguaPrietaDocument(overrides)),
      shareWithNetworks: true,
      mayPublish: options.mayPublish ?? true,
    });
    await changeIncidentStatus({ database, actor: shelterDocumenter, incidentId: row.id, step: 'submit' });
    await changeIncidentStatus({ database, actor: shelterReviewer, incidentId: row.id, step: 'verify' });
    return row;
  };
  return { networkId: network.id, shelterId: shelter.id, shelterDocumenter, shelterReviewer, documenter, reviewers, verifiedIncident };
}

/**
 * A death threat against a shelter's coordinator, a defender, in Saltillo: with a verified incident of
 * the Agua Prieta default (National Guard at the door, outside its mandate) it makes the rules raise
 * two signals, the severity one urgent.
 */
export const SALTILLO_DEATH_THREAT: Partial<IncidentDocumentInput> = {
  title: 'Amenaza de muerte a la coordinadora de un albergue en Saltillo',
  narrative: 'Un hombre armado amenazó de muerte a la coordinadora del albergue.',
  startDate: { date: '2019-07-20', precision: 'day' },
  place: { stateCode: '05', municipalityCode: '05030', placeType: 'MIGRANT_SHELTER' },
  acts: [{ id: 'a1', actType: 'DEATH_THREAT', victimId: 'v2' }],
  involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'UNKNOWN' }],
};
