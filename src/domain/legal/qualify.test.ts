import { describe, expect, it } from 'vitest';
import { incidentDocumentSchema, type Circumstances, type IncidentDocument, type IncidentDocumentInput } from '../incident.js';
import { qualifyIncident } from './qualify.js';
import { loadLegalRules } from './rules.js';

const rules = loadLegalRules();
type VictimInput = NonNullable<IncidentDocumentInput['victims']>[number];
const SHELTER: VictimInput = { id: 'shelter', kind: 'organization', characteristics: ['HUMAN_RIGHTS_ORGANIZATION'] };
const STAFF: VictimInput = { id: 'staff', kind: 'person', characteristics: ['SHELTER_STAFF', 'HUMAN_RIGHTS_DEFENDER'] };
const MIGRANTS: VictimInput = { id: 'migrants', kind: 'group', characteristics: ['MIGRANT'] };

/** An incident in one line: the parts that matter to the rules, the rest filled in. */
function incident(parts: Omit<Partial<IncidentDocumentInput>, 'place'> & { placeType: string; stateCode?: string }): IncidentDocument {
  const { placeType, stateCode = '05', ...rest } = parts;
  return incidentDocumentSchema.parse({
    title: 'Incidente de prueba',
    startDate: { date: '2019-07-20', precision: 'day' },
    place: { stateCode, placeType },
    ...rest,
  });
}

/** The rule ids found, each with the acts it matched: what the tests compare. */
function qualified(doc: IncidentDocument): Record<string, string[]> {
  return Object.fromEntries(qualifyIncident(doc, rules).map((f) => [f.ruleId, f.actIds]));
}

/** Agua Prieta, Sonora, late June 2019: the GN tried to enter, asked for lists of residents and donors, filmed staff. */
const aguaPrieta = incident({
  title: 'Guardia Nacional intenta ingresar al albergue, pide listas y filma al personal',
  stateCode: '26',
  placeType: 'MIGRANT_SHELTER',
  victims: [SHELTER, STAFF],
  acts: [
    { id: 'a1', actType: 'ATTEMPTED_ENTRY', victimId: 'shelter' },
    { id: 'a2', actType: 'INFO_DEMAND', victimId: 'shelter' },
    { id: 'a3', actType: 'SURVEILLANCE', victimId: 'staff' },
  ],
  involvements: [
    { id: 'i1', actId: 'a1', perpetratorType: 'GN' },
    { id: 'i2', actId: 'a2', perpetratorType: 'GN' },
    { id: 'i3', actId: 'a3', perpetratorType: 'GN' },
  ],
});

/** Saltillo, Coahuila, 20 July 2019: the Federal Police attempted migration checks at the Casa del Migrante. */
const saltillo = incident({
  title: 'Policía Federal intenta revisión migratoria en la Casa del Migrante',
  placeType: 'MIGRANT_SHELTER',
  victims: [SHELTER, MIGRANTS],
  acts: [
    { id: 'a1', actType: 'MIGRATION_CHECK', victimId: 'migrants' },
    { id: 'a2', actType: 'MIGRATION_CHECK', victimId: 'shelter' },
  ],
  involvements: [
    { id: 'i1', actId: 'a1', perpetratorType: 'PF' },
    { id: 'i2', actId: 'a2', perpetratorType: 'PF' },
  ],
});

/** Tijuana, Baja California, July 2019: GN and INM patrolling outside shelters. */
const tijuana = incident({
  title: 'Guardia Nacional e INM patrullan frente a los albergues',
  stateCode: '02',
  placeType: 'SHELTER_SURROUNDINGS',
  victims: [SHELTER],
  acts: [{ id: 'a1', actType: 'INTIMIDATION', victimId: 'shelter' }],
  involvements: [
    { id: 'i1', actId: 'a1', perpetratorType: 'GN' },
    { id: 'i2', actId: 'a1', perpetratorType: 'INM' },
  ],
});

/** A migration check at the shelter by `perpetrators`, with some circumstances known. */
function checkAtShelter(perpetrators: string[], circumstances: Partial<Circumstances> = {}, actType = 'MIGRATION_CHECK'): IncidentDocument {
  return incident({
    placeType: 'MIGRANT_SHELTER',
    circumstances: { writtenOrderShown: 'unknown', agentsIdentified: 'unknown', inmRequested: 'unknown', judicialOrderShown: 'unknown', ...circumstances },
    victims: [SHELTER],
    acts: [{ id: 'a1', actType, victimId: 'shelter' }],
    involvements: perpetrators.map((perpetratorType, i) => ({ id: `i${i + 1}`, actId: 'a1', perpetratorType })),
  });
}

describe('qualifyIncident on the 2019 cases', () => {
  it('Agua Prieta: outside the INM\'s own limits at a shelter, GN acting on migration, and an attack on defenders by the State', () => {
    expect(qualified(aguaPrieta)).toEqual({
      R1: ['a1'],
      R9: ['a1', 'a2'],
      R11: ['a1', 'a2', 'a3'],
      R12: ['a1', 'a2', 'a3'],
    });
  });

  it('Saltillo: Federal Police checking papers at a shelter on its own', () => {
    expect(qualified(saltillo)).toEqual({
      R1: ['a1', 'a2'],
      R2: ['a1', 'a2'],
      R5: ['a1', 'a2'],
      R6: ['a1', 'a2'],
      R11: ['a2'],
      R12: ['a2'],
    });
  });

  it('Tijuana: patrolling outside shelters is intimidation of defenders, not a migration action', () => {
    expect(qualified(tijuana)).toEqual({ R11: ['a1'], R12: ['a1'] });
  });

  it('explains each finding in both languages with the vocabulary\'s words', () => {
    const byRule = Object.fromEntries(qualifyIncident(aguaPrieta, rules).map((f) => [f.ruleId, f]));
    expect(byRule.R1?.reasons).toEqual({
      es: 'Intento de ingreso forzado por Guardia Nacional en albergue o casa del migrante (acto a1).',
      en: 'Attempted forced entry by National Guard at migrant shelter (act a1).',
    });
    expect(byRule.R12?.reasons.es).toBe(
      'Intento de ingreso forzado por Guardia Nacional contra organización o colectivo de derechos humanos (acto a1); ' +
        'Exigir listas de personas albergadas o donantes por Guardia Nacional contra organización o colectivo de derechos humanos (acto a2); ' +
        'Vigilancia, fotografiar o filmar al personal por Guardia Nacional contra personal de albergue o casa del migrante y persona defensora de derechos humanos (acto a3).',
    );
  });

  it('carries the rule\'s own words, version, addressees and "to confirm" note', () => {
    const r9 = qualifyIncident(aguaPrieta, rules).find((f) => f.ruleId === 'R9')!;
    expect(r9).toMatchObject({
      ruleVersion: 1,
      status: 'to_confirm',
      severity: 'outside_mandate',
      addressees: ['GN', 'SSPC', 'SEDENA', 'INM'],
      citation: { es: expect.stringContaining('Ley de la Guardia Nacional, art. 9') },
    });
    expect(r9.toConfirm?.en).toMatch(/To confirm: the numbers of the fractions/);
  });

  it('orders findings by rule number and gives the same answer every time', () => {
    const ids = qualifyIncident(aguaPrieta, [...rules].reverse()).map((f) => f.ruleId);
    expect(ids).toEqual(['R1', 'R9', 'R11', 'R12']);
    expect(qualifyIncident(saltillo, rules)).toEqual(qualifyIncident(saltillo, rules));
  });
});

describe('qualifyIncident where the law is kept', () => {
  it('an INM verification with a written order at a migration station breaks none of the rules', () => {
    const doc = incident({
      placeType: 'MIGRATION_STATION',
      circumstances: { writtenOrderShown: 'yes', agentsIdentified: 'yes', inmRequested: 'yes', judicialOrderShown: 'unknown' },
      victims: [MIGRANTS],
      acts: [{ id: 'a1', actType: 'MIGRATION_CHECK', victimId: 'migrants' }],
      involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'INM' }],
    });
    expect(qualified(doc)).toEqual({});
  });

  it('property damage by a mob calls for protection but is neither a State attack nor GN action', () => {
    const doc = incident({
      placeType: 'MIGRANT_SHELTER',
      victims: [SHELTER],
      acts: [{ id: 'a1', actType: 'PROPERTY_DAMAGE', victimId: 'shelter' }],
      involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'MOB' }],
    });
    expect(qualified(doc)).toEqual({ R11: ['a1'] });
  });

  it('matches who did what on the same act: GN filming while police check papers is not GN checking papers', () => {
    const doc = incident({
      placeType: 'ROAD',
      victims: [MIGRANTS, STAFF],
      acts: [
        { id: 'a1', actType: 'MIGRATION_CHECK', victimId: 'migrants' },
        { id: 'a2', actType: 'SURVEILLANCE', victimId: 'staff' },
      ],
      involvements: [
        { id: 'i1', actId: 'a1', perpetratorType: 'POL_MUN' },
        { id: 'i2', actId: 'a2', perpetratorType: 'GN' },
      ],
    });
    expect(qualified(doc)).toEqual({ R2: ['a1'], R5: ['a1'], R6: ['a1'], R11: ['a2'], R12: ['a2'] });
  });

  it('a check the INM took part in is not the police acting alone', () => {
    expect(qualified(checkAtShelter(['PF', 'INM']))).toEqual({ R1: ['a1'], R11: ['a1'], R12: ['a1'] });
  });

  it('a check the INM requested is not outside the police\'s or the GN\'s mandate', () => {
    expect(Object.keys(qualified(checkAtShelter(['PF'], { inmRequested: 'yes' })))).toEqual(['R1', 'R2', 'R11', 'R12']);
    expect(Object.keys(qualified(checkAtShelter(['GN'], { inmRequested: 'yes' })))).toEqual(['R1', 'R2', 'R11', 'R12']);
  });
});

describe('qualifyIncident as circumstances become known', () => {
  it('R3 and R4: no written order shown', () => {
    const doc = checkAtShelter(['INM'], { writtenOrderShown: 'no', agentsIdentified: 'yes' });
    expect(qualified(doc)).toMatchObject({ R3: ['a1'], R4: ['a1'] });
    expect(qualifyIncident(doc, rules).find((f) => f.ruleId === 'R3')?.reasons.en).toBe(
      'Migration check at the shelter, with no written INM order shown (act a1).',
    );
  });

  it('R4 alone: the agents did not identify themselves, though an order was shown', () => {
    const found = qualified(checkAtShelter(['INM'], { writtenOrderShown: 'yes', agentsIdentified: 'no' }));
    expect(found.R4).toEqual(['a1']);
    expect(found.R3).toBeUndefined();
  });

  it('neither R3 nor R4 while the order and the identification are unknown or shown', () => {
    for (const answer of ['unknown', 'yes'] as const) {
      const found = qualified(checkAtShelter(['INM'], { writtenOrderShown: answer, agentsIdentified: answer }));
      expect([found.R3, found.R4]).toEqual([undefined, undefined]);
    }
  });

  it('R10: a State raid without a judicial order shown, and only then', () => {
    const raid = (judicialOrderShown: Circumstances['judicialOrderShown']) => qualified(checkAtShelter(['POL_EST'], { judicialOrderShown }, 'RAID')).R10;
    expect(raid('no')).toEqual(['a1']);
    expect(raid('yes')).toBeUndefined();
    expect(raid('unknown')).toBeUndefined();
    expect(qualified(checkAtShelter(['ORG_CRIME'], { judicialOrderShown: 'no' }, 'RAID')).R10).toBeUndefined();
  });
});

describe('qualifyIncident on the remaining rules', () => {
  it('R7: migrants detained by municipal police, not by an unknown hand nor by the INM', () => {
    const detention = (perpetratorType: string) =>
      qualified(
        incident({
          placeType: 'RAILWAY',
          victims: [MIGRANTS],
          acts: [{ id: 'a1', actType: 'ARBITRARY_DETENTION', victimId: 'migrants' }],
          involvements: [{ id: 'i1', actId: 'a1', perpetratorType }],
        }),
      );
    expect(detention('POL_MUN')).toEqual({ R7: ['a1'] });
    expect(detention('UNKNOWN')).toEqual({});
    expect(detention('INM')).toEqual({});
  });

  it('R8: an official stigmatizing shelter staff, which is also an attack on defenders', () => {
    const doc = incident({
      placeType: 'ONLINE',
      victims: [STAFF],
      acts: [{ id: 'a1', actType: 'STIGMATIZATION', victimId: 'staff' }],
      involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'OFFICIAL' }],
    });
    expect(qualified(doc)).toEqual({ R8: ['a1'], R11: ['a1'], R12: ['a1'] });
  });

  it('between them, the cases exercise every rule of the file with at least one of the cases above', () => {
    const cases = [
      aguaPrieta,
      saltillo,
      tijuana,
      checkAtShelter(['INM'], { writtenOrderShown: 'no' }),
      checkAtShelter(['POL_EST'], { judicialOrderShown: 'no' }, 'RAID'),
      incident({
        placeType: 'ROAD',
        victims: [MIGRANTS],
        acts: [{ id: 'a1', actType: 'CRIMINALIZATION', victimId: 'migrants' }, { id: 'a2', actType: 'ROUNDUP_NEARBY', victimId: 'migrants' }],
        involvements: [{ id: 'i1', actId: 'a2', perpetratorType: 'SEDENA' }],
      }),
    ];
    const matched = new Set(cases.flatMap((doc) => qualifyIncident(doc, rules).map((f) => f.ruleId)));
    expect(rules.map((r) => r.id).filter((id) => !matched.has(id))).toEqual([]);
  });
});
