import { describe, expect, it } from 'vitest';
import { loadVocabularyLabels } from '../legal/labels.js';
import { loadLegalRules } from '../legal/rules.js';
import { checkDoNoHarm, EMPTY_SEALED_VALUES } from './do-no-harm.js';
import { draftAlert, type DraftIncidentFacts } from './draft.js';

const stateNames = { '26': 'Sonora', '05': 'Coahuila', '02': 'Baja California', '07': 'Chiapas', '27': 'Tabasco' };
const options = { rules: loadLegalRules(), labels: loadVocabularyLabels(), stateNames, smallNumberThreshold: 3 };

function incident(overrides: Partial<DraftIncidentFacts>): DraftIncidentFacts {
  return {
    id: crypto.randomUUID(),
    stateCode: '26',
    startDate: '2019-06-27',
    datePrecision: 'day',
    endDate: null,
    actTypes: ['ATTEMPTED_ENTRY', 'SURVEILLANCE'],
    perpetratorTypes: ['GN'],
    victimTypes: ['HUMAN_RIGHTS_ORGANIZATION'],
    legalRuleIds: ['R1'],
    caseText: null,
    ...overrides,
  };
}

const fiveStates = [
  incident({ stateCode: '26' }),
  incident({ stateCode: '26', startDate: '2019-06-30' }),
  incident({ stateCode: '26', startDate: '2019-07-02' }),
  incident({ stateCode: '05', startDate: '2019-07-20', actTypes: ['MIGRATION_CHECK'], perpetratorTypes: ['PF'], caseText: { language: 'es', text: 'La Policía Federal intentó\n\nrevisar documentos.' } }),
  incident({ stateCode: '02', startDate: '2019-07-25', endDate: '2019-07-31', perpetratorTypes: ['GN', 'INM'] }),
  incident({ stateCode: '07', startDate: '2019-07-10' }),
  incident({ stateCode: '27', startDate: '2019-07-11', actTypes: ['DEATH_THREAT'], perpetratorTypes: ['POL_EST'], legalRuleIds: ['R11'] }),
];

describe('draftAlert', () => {
  const content = draftAlert(fiveStates, options);

  it('states the period with long dates and the count with a plural that agrees, in both languages', () => {
    expect(content.period).toEqual({ from: '2019-06-27', to: '2019-07-31' });
    expect(content.es.facts).toContain('Entre el 27 de junio de 2019 y el 31 de julio de 2019 se documentaron 7 incidentes verificados en 5 estados');
    expect(content.en.facts).toContain('Between June 27, 2019 and July 31, 2019, 7 verified incidents were documented in 5 states');
  });

  it('joins lists the way each language does', () => {
    expect(content.es.facts).toContain('(Sonora, Baja California, Coahuila, Chiapas y Tabasco)');
    expect(content.en.facts).toContain('(Sonora, Baja California, Coahuila, Chiapas, and Tabasco)');
  });

  it('writes figures for a place under the threshold as "fewer than", and exact figures otherwise', () => {
    expect(content.es.facts).toContain('- Sonora: 3');
    expect(content.es.facts).toContain('- Coahuila: menos de 3');
    expect(content.en.facts).toContain('- Coahuila: fewer than 3');
    expect(content.en.facts).toContain('- Attempted forced entry: 5');
  });

  it('says "fewer than" for the whole when the whole is small, and agrees in the singular', () => {
    const one = draftAlert([incident({ legalRuleIds: ['R1'] })], options);
    expect(one.es.facts).toContain('se documentaron menos de 3 incidentes verificados en Sonora');
    expect(one.en.legalFramework).toContain('Applies to 1 incident.');
    expect(one.es.legalFramework).toContain('Aplica a 1 incidente.');
    expect(one.es.title).toBe('Agresiones a albergues y personas defensoras de migrantes en Sonora');
  });

  it('cites every triggered rule and recommends per rule, and marks the alert urgent for a death threat', () => {
    expect(content.legalRuleIds).toEqual(['R1', 'R11']);
    expect(content.es.legalFramework).toContain('Ley de Migración, art. 76');
    expect(content.en.legalFramework).toContain('To confirm before publication:');
    expect(content.es.recommendations.split('\n').length).toBe(3);
    expect(content.urgent).toBe(true);
  });

  it('tells cases as one list item each, marking the original language', () => {
    expect(content.es.cases).toContain('- Coahuila, 20 de julio de 2019: La Policía Federal intentó revisar documentos.');
    expect(content.en.cases).toContain('- Coahuila, July 20, 2019: La Policía Federal intentó revisar documentos. (original in Spanish)');
  });

  it('chooses addressees by the facts and the rules, per state where the authority is a state one', () => {
    const codes = content.addressees.map((a) => (a.stateCode ? `${a.code}:${a.stateCode}` : a.code));
    expect(codes).toEqual(expect.arrayContaining(['PRESIDENCIA', 'SEGOB', 'INM', 'GN', 'SSPC', 'MECANISMO', 'CNDH', 'CEDH:27', 'FISCALIA_ESTATAL:27', 'GOBIERNO_ESTATAL:27']));
    expect(codes).not.toContain('SEDENA');
    expect(content.addressees.find((a) => a.code === 'CEDH')!.name).toEqual({
      es: 'Comisión estatal de derechos humanos de Tabasco',
      en: 'State human rights commission of Tabasco',
    });
    const later = draftAlert([incident({ startDate: '2025-01-10' })], options);
    expect(later.addressees.map((a) => a.code)).toContain('SEDENA');
  });

  it('passes its own do-no-harm check', () => {
    const placeNames = Object.values(stateNames);
    expect(checkDoNoHarm(content, { sealed: EMPTY_SEALED_VALUES, smallNumberThreshold: 3, placeNames })).toEqual([]);
    const one = draftAlert([incident({})], options);
    expect(checkDoNoHarm(one, { sealed: EMPTY_SEALED_VALUES, smallNumberThreshold: 3, placeNames })).toEqual([]);
  });
});
