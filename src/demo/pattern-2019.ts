import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { changeIncidentStatus } from '../commands/change-incident-status.js';
import { createIncident } from '../commands/create-incident.js';
import { incidentDocumentSchema } from '../domain/incident.js';
import type { Actor } from '../policies/actor.js';

/**
 * The summer of 2019 as the public dashboard should show it (DOMAIN.md §1): after the National Guard was
 * deployed to migration enforcement in June, shelters from the southern border to the northern one
 * reported migration checks at their doors, attempts to enter, demands for lists of residents and
 * donors, and agents filming staff. Verified, shared and consented to publication, at least three per
 * state so the map shows the pattern without a figure under the threshold. Every name is invented.
 */
interface PatternIncident {
  state: string;
  municipality: string;
  town: string;
  date: string;
  perpetrator: 'GN' | 'SEDENA' | 'INM';
  acts: ('MIGRATION_CHECK' | 'ATTEMPTED_ENTRY' | 'INFO_DEMAND' | 'SURVEILLANCE')[];
  place: 'MIGRANT_SHELTER' | 'SHELTER_SURROUNDINGS' | 'CHECKPOINT';
}

const FORCE: Record<PatternIncident['perpetrator'], string> = {
  GN: 'la Guardia Nacional',
  SEDENA: 'el Ejército (SEDENA)',
  INM: 'agentes del Instituto Nacional de Migración',
};
const ACT: Record<PatternIncident['acts'][number], string> = {
  MIGRATION_CHECK: 'revisaron documentos migratorios de personas que llegaban al albergue',
  ATTEMPTED_ENTRY: 'intentaron ingresar sin orden escrita',
  INFO_DEMAND: 'pidieron la lista de personas albergadas y de quienes donan',
  SURVEILLANCE: 'filmaron al personal y a las personas en la entrada',
};
const TITLE: Record<PatternIncident['acts'][number], string> = {
  MIGRATION_CHECK: 'Revisión migratoria',
  ATTEMPTED_ENTRY: 'Intento de ingreso',
  INFO_DEMAND: 'Exigencia de información',
  SURVEILLANCE: 'Filmación del personal',
};

const i = (state: string, municipality: string, town: string, date: string, perpetrator: PatternIncident['perpetrator'], acts: PatternIncident['acts'], place: PatternIncident['place'] = 'MIGRANT_SHELTER'): PatternIncident => ({
  state, municipality, town, date, perpetrator, acts, place,
});

export const PATTERN_2019: readonly PatternIncident[] = [
  i('26', '26002', 'Agua Prieta', '2019-06-14', 'GN', ['MIGRATION_CHECK', 'SURVEILLANCE'], 'SHELTER_SURROUNDINGS'),
  i('26', '26043', 'Nogales', '2019-06-21', 'GN', ['ATTEMPTED_ENTRY', 'INFO_DEMAND']),
  i('26', '26043', 'Nogales', '2019-07-09', 'INM', ['MIGRATION_CHECK'], 'SHELTER_SURROUNDINGS'),
  i('26', '26002', 'Agua Prieta', '2019-08-03', 'GN', ['SURVEILLANCE']),
  i('07', '07089', 'Tapachula', '2019-06-08', 'GN', ['MIGRATION_CHECK'], 'SHELTER_SURROUNDINGS'),
  i('07', '07089', 'Tapachula', '2019-06-19', 'INM', ['ATTEMPTED_ENTRY', 'INFO_DEMAND']),
  i('07', '07065', 'Palenque', '2019-07-02', 'SEDENA', ['MIGRATION_CHECK'], 'CHECKPOINT'),
  i('07', '07089', 'Tapachula', '2019-07-16', 'GN', ['SURVEILLANCE', 'INFO_DEMAND']),
  i('07', '07065', 'Palenque', '2019-08-12', 'GN', ['ATTEMPTED_ENTRY']),
  i('07', '07101', 'Tuxtla Gutiérrez', '2019-08-22', 'INM', ['MIGRATION_CHECK'], 'CHECKPOINT'),
  i('27', '27017', 'Tenosique', '2019-06-11', 'SEDENA', ['SURVEILLANCE']),
  i('27', '27017', 'Tenosique', '2019-06-29', 'GN', ['MIGRATION_CHECK'], 'SHELTER_SURROUNDINGS'),
  i('27', '27017', 'Tenosique', '2019-07-18', 'GN', ['ATTEMPTED_ENTRY', 'INFO_DEMAND']),
  i('27', '27017', 'Tenosique', '2019-08-06', 'INM', ['MIGRATION_CHECK'], 'CHECKPOINT'),
  i('30', '30039', 'Coatzacoalcos', '2019-06-17', 'GN', ['MIGRATION_CHECK'], 'SHELTER_SURROUNDINGS'),
  i('30', '30039', 'Coatzacoalcos', '2019-07-05', 'INM', ['INFO_DEMAND']),
  i('30', '30087', 'Xalapa', '2019-07-24', 'GN', ['SURVEILLANCE']),
  i('30', '30039', 'Coatzacoalcos', '2019-08-14', 'SEDENA', ['MIGRATION_CHECK'], 'CHECKPOINT'),
  i('05', '05030', 'Saltillo', '2019-06-25', 'GN', ['SURVEILLANCE', 'INFO_DEMAND']),
  i('05', '05025', 'Piedras Negras', '2019-07-11', 'INM', ['MIGRATION_CHECK'], 'SHELTER_SURROUNDINGS'),
  i('05', '05030', 'Saltillo', '2019-08-01', 'GN', ['ATTEMPTED_ENTRY']),
  i('05', '05025', 'Piedras Negras', '2019-08-19', 'GN', ['MIGRATION_CHECK'], 'CHECKPOINT'),
  i('20', '20014', 'Ciudad Ixtepec', '2019-06-12', 'GN', ['MIGRATION_CHECK'], 'SHELTER_SURROUNDINGS'),
  i('20', '20014', 'Ciudad Ixtepec', '2019-07-01', 'INM', ['ATTEMPTED_ENTRY', 'INFO_DEMAND']),
  i('20', '20043', 'Juchitán', '2019-07-27', 'SEDENA', ['MIGRATION_CHECK'], 'CHECKPOINT'),
  i('20', '20014', 'Ciudad Ixtepec', '2019-08-09', 'GN', ['SURVEILLANCE']),
  i('02', '02004', 'Tijuana', '2019-06-30', 'GN', ['MIGRATION_CHECK'], 'SHELTER_SURROUNDINGS'),
  i('02', '02004', 'Tijuana', '2019-07-22', 'INM', ['INFO_DEMAND']),
  i('02', '02004', 'Tijuana', '2019-08-15', 'GN', ['SURVEILLANCE']),
  i('08', '08037', 'Ciudad Juárez', '2019-06-23', 'GN', ['MIGRATION_CHECK'], 'SHELTER_SURROUNDINGS'),
  i('08', '08037', 'Ciudad Juárez', '2019-07-13', 'GN', ['ATTEMPTED_ENTRY']),
  i('08', '08037', 'Ciudad Juárez', '2019-08-24', 'INM', ['INFO_DEMAND', 'SURVEILLANCE']),
];

function documentOf(p: PatternIncident, n: number) {
  const force = FORCE[p.perpetrator];
  return incidentDocumentSchema.parse({
    title: `${TITLE[p.acts[0]!]}: ${force} en ${p.town}`,
    narrative: `Elementos de ${force} ${p.acts.map((a) => ACT[a]).join(' y ')}. La coordinación del albergue lo documentó el mismo día.`,
    startDate: { date: p.date, precision: 'day' },
    place: { stateCode: p.state, municipalityCode: p.municipality, placeType: p.place },
    victims: [
      { id: 'v1', kind: 'organization', name: `Albergue ${n + 1} de ${p.town} (demo)`, characteristics: ['HUMAN_RIGHTS_ORGANIZATION'] },
      { id: 'v2', kind: 'group', characteristics: ['MIGRANT'], count: 20 + ((n * 7) % 40), description: 'Personas albergadas' },
    ],
    acts: p.acts.map((actType, k) => ({ id: `a${k + 1}`, actType, victimId: actType === 'MIGRATION_CHECK' ? 'v2' : 'v1' })),
    involvements: p.acts.map((_, k) => ({ id: `i${k + 1}`, actId: `a${k + 1}`, perpetratorType: p.perpetrator })),
    sources: [{ id: 's1', sourceType: 'VICTIM_TESTIMONY', connection: 'VICTIM', reliability: 'HIGH', name: 'Coordinación del albergue (demo)' }],
  });
}

/**
 * Documents the pattern through the incident commands (created, submitted, verified by another person,
 * shared, consented), so every hook runs: versions, audit, legal qualification and the public rollups.
 * Runs once: when the council already has a pattern incident, nothing is added.
 */
export async function seedPattern2019(
  database: Database,
  keyring: Keyring,
  people: { councilId: string; documenter: Actor; reviewer: Actor },
): Promise<number> {
  const first = documentOf(PATTERN_2019[0]!, 0);
  const existing = await database.db.selectFrom('incidents').select('id').where('organization_id', '=', people.councilId).where('title', '=', first.title).limit(1).execute();
  if (existing.length > 0) return 0;
  for (const [n, pattern] of PATTERN_2019.entries()) {
    const incident = await createIncident({ database, keyring, actor: people.documenter, organizationId: people.councilId, document: documentOf(pattern, n), shareWithNetworks: true, mayPublish: true });
    await changeIncidentStatus({ database, actor: people.documenter, incidentId: incident.id, step: 'submit' });
    await changeIncidentStatus({ database, actor: people.reviewer, incidentId: incident.id, step: 'verify' });
  }
  return PATTERN_2019.length;
}
