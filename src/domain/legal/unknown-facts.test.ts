import { describe, expect, it } from 'vitest';
import { incidentDocumentSchema } from '../incident.js';
import { loadLegalRules } from './rules.js';
import { unknownFacts, type UnknownFact } from './unknown-facts.js';

const rules = loadLegalRules();

/** Saltillo, 20 July 2019, as first reported: the Federal Police checking migrants at the shelter, nothing else known. */
const saltillo = incidentDocumentSchema.parse({
  title: 'Policía Federal intenta revisión migratoria en la Casa del Migrante',
  startDate: { date: '2019-07-20', precision: 'day' },
  place: { stateCode: '05', placeType: 'MIGRANT_SHELTER' },
  victims: [{ id: 'migrants', kind: 'group', characteristics: ['MIGRANT'] }],
  acts: [{ id: 'a1', actType: 'MIGRATION_CHECK', victimId: 'migrants' }],
  involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'PF' }],
});

/** The questions as "rule fact=answer effect acts", short enough to compare at a glance. */
function summary(facts: UnknownFact[]): string[] {
  return facts.map((f) => `${f.ruleId} ${f.fact}=${f.answer} ${f.effect} ${f.actIds.join(',')}`);
}

describe('unknownFacts', () => {
  it('asks what would add a rule or take one away, rule by rule', () => {
    expect(summary(unknownFacts(saltillo, rules))).toEqual([
      'R3 writtenOrderShown=no applies a1',
      'R4 writtenOrderShown=no applies a1',
      'R4 agentsIdentified=no applies a1',
      'R5 inmRequested=yes no_longer_applies a1',
      'R6 inmRequested=yes no_longer_applies a1',
    ]);
  });

  it('gives the editor the question in both languages', () => {
    expect(unknownFacts(saltillo, rules)[0]?.question).toEqual({
      es: '¿Se mostró una orden escrita del INM?',
      en: 'Was a written INM order shown?',
    });
  });

  it('asks nothing already answered', () => {
    const known = incidentDocumentSchema.parse({
      ...saltillo,
      circumstances: { writtenOrderShown: 'yes', agentsIdentified: 'no', inmRequested: 'no', judicialOrderShown: 'unknown' },
    });
    expect(unknownFacts(known, rules)).toEqual([]);
  });

  it('asks for the judicial order when the State tried to enter', () => {
    const entry = incidentDocumentSchema.parse({
      ...saltillo,
      acts: [{ id: 'a1', actType: 'ATTEMPTED_ENTRY', victimId: 'migrants' }],
      involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'GN' }],
    });
    expect(summary(unknownFacts(entry, rules))).toEqual([
      'R9 inmRequested=yes no_longer_applies a1',
      'R10 judicialOrderShown=no applies a1',
    ]);
  });
});
