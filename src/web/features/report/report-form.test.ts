import { describe, expect, it } from 'vitest';
import { checkDraft, draftFromContent, EMPTY_DRAFT, isDraftEmpty, localToday, restoreDraft, toReportContent, type ReportDraft } from './report-form';

const filled: ReportDraft = {
  ...EMPTY_DRAFT,
  whatHappened: '  Entraron agentes al albergue sin orden.  ',
  whenChoice: 'month',
  month: '03',
  year: '2026',
  stateCode: '07',
  municipalityCode: '07089',
  placeType: 'MIGRANT_SHELTER',
  perpetratorType: 'NATIONAL_GUARD',
  perpetratorDescription: 'dos camionetas',
  contact: ' signal: @albergue ',
  mayContact: true,
  mayPublish: false,
};

describe('report form', () => {
  it('turns a filled form into the request the server takes (month precision on the first)', () => {
    expect(toReportContent(filled, 'org-1')).toEqual({
      organizationId: 'org-1',
      whatHappened: 'Entraron agentes al albergue sin orden.',
      when: { date: '2026-03-01', precision: 'month' },
      where: { stateCode: '07', municipalityCode: '07089', placeType: 'MIGRANT_SHELTER', shelterName: '' },
      who: { perpetratorType: 'NATIONAL_GUARD', description: 'dos camionetas' },
      contact: 'signal: @albergue',
      consent: { mayContact: true, mayPublish: false },
    });
  });

  it('sends nulls for what the reporter does not know, and no organization when there is one', () => {
    const content = toReportContent({ ...EMPTY_DRAFT, whatHappened: 'Algo pasó ayer en la puerta.', whenChoice: 'unknown', mayContact: true }, undefined);
    expect(content).not.toHaveProperty('organizationId');
    expect(content.when).toBeNull();
    expect(content.where).toEqual({ stateCode: null, municipalityCode: null, placeType: null, shelterName: '' });
    expect(content.who.perpetratorType).toBeNull();
    expect(content.consent.mayContact).toBe(false);
  });

  it('drops a municipality left over from another state', () => {
    expect(toReportContent({ ...filled, stateCode: '05' }, undefined).where.municipalityCode).toBeNull();
  });

  it('names the problems in the order of the form', () => {
    const today = '2026-04-10';
    expect(checkDraft(EMPTY_DRAFT, { today, organizationRequired: true })).toEqual([
      { field: 'whatHappened', problem: 'required' },
      { field: 'date', problem: 'required' },
      { field: 'organizationId', problem: 'required' },
    ]);
    expect(checkDraft({ ...filled, whatHappened: 'corto' }, { today, organizationRequired: false })).toEqual([
      { field: 'whatHappened', problem: 'tooShort' },
    ]);
    expect(checkDraft({ ...filled, whenChoice: 'day', date: '2026-04-11' }, { today, organizationRequired: false })).toEqual([
      { field: 'date', problem: 'future' },
    ]);
    expect(checkDraft({ ...filled, whenChoice: 'approximate', date: '2026-02-30' }, { today, organizationRequired: false })).toEqual([
      { field: 'date', problem: 'required' },
    ]);
    expect(checkDraft({ ...filled, contact: ' ' }, { today, organizationRequired: false })).toEqual([
      { field: 'contact', problem: 'mayContactNeedsContact' },
    ]);
    expect(checkDraft(filled, { today, organizationRequired: false })).toEqual([]);
  });

  it('restores a stored draft, ignoring what does not belong', () => {
    expect(restoreDraft(undefined)).toEqual(EMPTY_DRAFT);
    expect(restoreDraft({ whatHappened: 'hola', mayPublish: 'yes', extra: 1, whenChoice: 'never' })).toEqual({
      ...EMPTY_DRAFT,
      whatHappened: 'hola',
    });
    expect(isDraftEmpty(EMPTY_DRAFT)).toBe(true);
    expect(isDraftEmpty({ ...EMPTY_DRAFT, whenChoice: 'unknown' })).toBe(true);
    expect(isDraftEmpty({ ...EMPTY_DRAFT, shelterName: 'x' })).toBe(false);
  });

  it('makes a draft back from a refused report', () => {
    const content = toReportContent(filled, 'org-1');
    expect(toReportContent(draftFromContent(content), 'org-1')).toEqual(content);
  });

  it('gives the local date, not the UTC one', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });
});
