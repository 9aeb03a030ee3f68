import { describe, expect, it } from 'vitest';
import { duplicateScore, findLikelyDuplicates, jaccard, shingles, type DuplicateSubject } from './duplicates.js';

const shelterReport: DuplicateSubject = {
  stateCode: '26',
  municipalityCode: '26002',
  date: '2019-07-12',
  text:
    'Elementos de la Guardia Nacional intentaron ingresar al albergue, preguntaron por las personas ' +
    'albergadas y por los donantes, y filmaron al personal.',
};

const pressReport: DuplicateSubject = {
  stateCode: '26',
  municipalityCode: '26002',
  date: '2019-07-14',
  text:
    'La Guardia Nacional intentó ingresar a un albergue de Agua Prieta; los agentes preguntaron por los ' +
    'donantes y filmaron al personal del albergue.',
};

const saltilloReport: DuplicateSubject = {
  stateCode: '05',
  municipalityCode: '05030',
  date: '2019-07-20',
  text: 'La Policía Federal intentó hacer una revisión migratoria en la Casa del Migrante.',
};

describe('duplicateScore', () => {
  it('scores two accounts of the Agua Prieta visit as likely the same incident, for every reason', () => {
    const result = duplicateScore(shelterReport, pressReport);
    expect(result.reasons).toEqual(['same_place', 'close_dates', 'similar_text']);
    expect(result.score).toBeGreaterThan(0.7);
  });

  it('scores reports from other states on other subjects low, with no reasons', () => {
    const result = duplicateScore(shelterReport, saltilloReport);
    expect(result.reasons).toEqual([]);
    expect(result.score).toBeLessThan(0.2);
  });

  it('counts the same state as the same place when one municipality is unknown', () => {
    const result = duplicateScore(shelterReport, { ...pressReport, municipalityCode: null });
    expect(result.reasons).toContain('same_place');
    expect(result.score).toBeLessThan(duplicateScore(shelterReport, pressReport).score);
  });

  it('treats the date window as a parameter', () => {
    const later = { ...pressReport, date: '2019-07-22' };
    expect(duplicateScore(shelterReport, later).reasons).not.toContain('close_dates');
    expect(duplicateScore(shelterReport, later, { maxDays: 14 }).reasons).toContain('close_dates');
  });

  it('lets a missing date count half, neither close nor far', () => {
    const undated = duplicateScore(shelterReport, { ...pressReport, date: null });
    expect(undated.reasons).not.toContain('close_dates');
    expect(undated.score).toBeLessThan(duplicateScore(shelterReport, pressReport).score);
    expect(undated.score).toBeGreaterThan(duplicateScore(shelterReport, { ...pressReport, date: '2020-01-01' }).score);
  });
});

describe('text similarity', () => {
  it('ignores stop words, accents and case', () => {
    expect(jaccard(shingles('La GUARDIA nacional y el albergue'), shingles('guardia nacional albergue'))).toBe(1);
  });

  it('is 0 for empty texts rather than a perfect match', () => {
    expect(jaccard(shingles(''), shingles('de la'))).toBe(0);
  });
});

describe('findLikelyDuplicates', () => {
  it('returns the records above the threshold, most likely first', () => {
    const weaker = { ...pressReport, date: '2019-07-18', text: 'Visita de la Guardia Nacional al albergue.' };
    const result = findLikelyDuplicates(shelterReport, [saltilloReport, weaker, pressReport], { threshold: 0.5 });
    expect(result.map((duplicate) => duplicate.item)).toEqual([pressReport, weaker]);
    expect(result[0]!.score).toBeGreaterThan(result[1]!.score);
  });
});
