import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/client.js';
import { changeIncidentStatus } from '../src/commands/change-incident-status.js';
import { createIncident } from '../src/commands/create-incident.js';
import type { Keyring } from '../src/crypto/keyring.js';
import type { Actor } from '../src/policies/actor.js';
import { incidentDocumentSchema, splitSensitive, type IncidentDocumentInput } from '../src/domain/incident.js';

/**
 * The Agua Prieta case of June 2019 (DOMAIN.md §1) as a record: the National Guard tried to enter a
 * shelter, asked for its residents and donors, and filmed the staff. Names are invented.
 */
export function aguaPrietaDocument(overrides: Partial<IncidentDocumentInput> = {}): IncidentDocumentInput {
  return {
    title: 'Guardia Nacional intenta ingresar a un albergue en Agua Prieta',
    narrative: 'Elementos de la Guardia Nacional intentaron ingresar al albergue, preguntaron por las personas albergadas y los donantes y filmaron al personal.',
    narrativeLanguage: 'es',
    startDate: { date: '2019-06-27', precision: 'approximate' },
    place: { stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER', coordinates: { lat: 31.3275, lon: -109.5489 } },
    victims: [
      { id: 'v1', kind: 'organization', name: 'Albergue Ejemplo de Agua Prieta', characteristics: ['HUMAN_RIGHTS_ORGANIZATION'] },
      { id: 'v2', kind: 'person', name: 'Hermana Rosa Ejemplo', characteristics: ['SHELTER_STAFF', 'HUMAN_RIGHTS_DEFENDER'] },
    ],
    acts: [
      { id: 'a1', actType: 'ATTEMPTED_ENTRY', victimId: 'v1' },
      { id: 'a2', actType: 'INFO_DEMAND', victimId: 'v1' },
      { id: 'a3', actType: 'SURVEILLANCE', victimId: 'v2' },
    ],
    involvements: [
      { id: 'i1', actId: 'a1', perpetratorType: 'GN', unit: 'dos patrullas, ocho elementos' },
      { id: 'i2', actId: 'a2', perpetratorType: 'GN' },
      { id: 'i3', actId: 'a3', perpetratorType: 'GN' },
    ],
    sources: [{ id: 's1', sourceType: 'VICTIM_TESTIMONY', connection: 'VICTIM', reliability: 'HIGH', name: 'Coordinadora del albergue', contact: '+52 633 100 2000' }],
    ...overrides,
  };
}

/**
 * Inserts an incident in one line, straight into the table, for tests about what hangs off an incident
 * (evidence) rather than the record itself: a unique reference and a valid document without its sealed
 * fields. Tests of the record go through the incident commands.
 */
export async function insertIncident(
  database: Database,
  values: { organizationId: string; title?: string; sharedWithNetworks?: boolean },
): Promise<{ id: string; reference: string }> {
  return database.db
    .insertInto('incidents')
    .values({
      id: randomUUID(),
      organization_id: values.organizationId,
      reference: `TEST-${randomUUID().slice(0, 8).toUpperCase()}`,
      document: JSON.stringify(splitSensitive(incidentDocumentSchema.parse(aguaPrietaDocument({ title: values.title ?? 'Incidente de prueba' }))).open),
      title: values.title ?? 'Incidente de prueba',
      shared_with_networks: values.sharedWithNetworks ?? false,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
}

/**
 * An incident documented, submitted and verified by someone else, through the commands (so every hook,
 * such as the public rollups, runs): at `place` and `date`, with its perpetrators set to `perpetrator`.
 */
export async function verifiedIncident(
  database: Database,
  options: {
    keyring: Keyring;
    organizationId: string;
    documenter: Actor;
    reviewer: Actor;
    place: { stateCode: string; municipalityCode: string | null };
    date: string;
    shared?: boolean;
    mayPublish?: boolean;
    perpetrator?: string;
    narrative?: string;
  },
) {
  const base = aguaPrietaDocument();
  const document = incidentDocumentSchema.parse({
    ...base,
    ...(options.narrative ? { narrative: options.narrative } : {}),
    startDate: { date: options.date, precision: 'day' },
    place: { ...base.place, ...options.place, coordinates: null },
    involvements: base.involvements!.map((i) => ({ ...i, perpetratorType: options.perpetrator ?? 'GN' })),
  });
  const { keyring, documenter, reviewer, organizationId } = options;
  const incident = await createIncident({ database, keyring, actor: documenter, organizationId, document, shareWithNetworks: options.shared ?? true, mayPublish: options.mayPublish ?? false });
  await changeIncidentStatus({ database, actor: documenter, incidentId: incident.id, step: 'submit' });
  return changeIncidentStatus({ database, actor: reviewer, incidentId: incident.id, step: 'verify' });
}
