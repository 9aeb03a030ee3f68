import { describe, expect, it } from 'vitest';
import { incidentDocumentSchema } from '../../src/domain/incident.js';
import { checkDraft, documentFromDraft, draftFromDocument, emptyDraft, newAct, newVictim } from '../../src/web/features/incident-editor/draft.js';
import { draftFromReport, draftTitle } from '../../src/web/features/incident-editor/prefill.js';
import { problemsFromServer } from '../../src/web/features/incident-editor/server-problems.js';
import type { AcceptedSuggestions, ReportForTriage } from '../../src/web/features/triage/types.js';
import { aguaPrietaDocument } from '../incidents.js';

// The browser app's pure modules are tested here: vitest.config.ts leaves src/web out of the run.

const TESTIMONY = 'El 27 de junio llegaron elementos de la Guardia Nacional al albergue en Agua Prieta, Sonora. Intentaron entrar y nos filmaron.';

function report(overrides: Partial<ReportForTriage> = {}): ReportForTriage {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    receiptCode: 'R-ABC',
    channel: 'public',
    status: 'new',
    stateCode: null,
    municipalityCode: null,
    placeType: null,
    occurredOn: '2019-06-27',
    datePrecision: 'day',
    perpetratorType: null,
    mayContact: false,
    mayPublish: true,
    incidentId: null,
    createdAt: '2019-06-28T10:00:00Z',
    updatedAt: '2019-06-28T10:00:00Z',
    whatHappened: TESTIMONY,
    shelterName: 'Albergue Ejemplo',
    whoDescription: 'dos patrullas',
    contact: '',
    extra: null,
    additions: [],
    resolution: null,
    suggestions: { states: [], municipalities: [], perpetratorTypes: [], actTypes: [], placeTypes: [] },
    duplicates: [],
    attachments: [],
    ...overrides,
  };
}

const accepted = (overrides: Partial<AcceptedSuggestions> = {}): AcceptedSuggestions => ({
  states: [],
  municipalities: [],
  perpetratorTypes: [],
  actTypes: [],
  placeTypes: [],
  ...overrides,
});

describe('draftFromReport', () => {
  it('builds a valid record from the report and the accepted suggestions', () => {
    const draft = draftFromReport(
      report(),
      accepted({ states: ['26'], municipalities: ['26002', '05030'], perpetratorTypes: ['GN'], actTypes: ['ATTEMPTED_ENTRY', 'SURVEILLANCE'], placeTypes: ['MIGRANT_SHELTER'] }),
    );
    expect(checkDraft(draft)).toEqual({});
    const doc = incidentDocumentSchema.parse(documentFromDraft(draft));
    expect(doc.title).toBe('El 27 de junio llegaron elementos de la Guardia Nacional…');
    expect(doc.narrative).toBe(TESTIMONY);
    expect(doc.startDate).toEqual({ date: '2019-06-27', precision: 'day' });
    expect(doc.place).toMatchObject({ stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER' });
    expect(doc.victims).toEqual([expect.objectContaining({ id: 'v1', kind: 'organization', name: 'Albergue Ejemplo' })]);
    expect(doc.acts.map((a) => [a.id, a.actType, a.victimId])).toEqual([['a1', 'ATTEMPTED_ENTRY', 'v1'], ['a2', 'SURVEILLANCE', 'v1']]);
    expect(doc.involvements.map((i) => [i.id, i.actId, i.perpetratorType, i.unit])).toEqual([
      ['i1', 'a1', 'GN', 'dos patrullas'],
      ['i2', 'a2', 'GN', 'dos patrullas'],
    ]);
  });

  it("prefers the report's own codes to the suggestions", () => {
    const draft = draftFromReport(
      report({ stateCode: '05', municipalityCode: '05030', placeType: 'HOME', perpetratorType: 'INM' }),
      accepted({ states: ['26'], perpetratorTypes: ['GN'], actTypes: ['THREAT'] }),
    );
    expect([draft.stateCode, draft.municipalityCode, draft.placeType]).toEqual(['05', '05030', 'HOME']);
    expect(draft.involvements.map((i) => i.perpetratorType)).toEqual(['INM', 'GN']);
  });

  it('leaves the date and place for the documenter when the report has none', () => {
    const draft = draftFromReport(report({ occurredOn: null, datePrecision: null }), accepted());
    expect(checkDraft(draft)).toEqual({ startDate: 'required', 'place.stateCode': 'required' });
    expect(draft.acts).toEqual([]);
  });
});

describe('draftTitle', () => {
  it('keeps a short first sentence whole and cuts a long one at ten words', () => {
    expect(draftTitle('Nos amenazaron. Luego se fueron.')).toBe('Nos amenazaron');
    expect(draftTitle('uno dos tres cuatro cinco seis siete ocho nueve diez once')).toBe('uno dos tres cuatro cinco seis siete ocho nueve diez…');
  });
});

describe('checkDraft', () => {
  it('says next to the act that it names no victim, and next to the involvement that it names no act', () => {
    const draft = emptyDraft();
    Object.assign(draft, { title: 'Amenaza', startDate: { date: '2024-05-02', precision: 'day' }, stateCode: '07' });
    draft.acts.push({ ...newAct(draft, 'THREAT'), victimId: '' });
    draft.involvements.push({ id: 'i1', actId: 'a9', perpetratorType: 'GN', degree: 'DIRECTLY_CARRIED_OUT', unit: '' });
    expect(checkDraft(draft)).toEqual({ 'acts.0.victimId': 'noVictim', 'involvements.0.actId': 'noAct' });
    draft.victims.push(newVictim(draft));
    draft.acts[0]!.victimId = 'v1';
    draft.involvements[0]!.actId = 'a1';
    expect(checkDraft(draft)).toEqual({});
  });

  it('checks dates, municipalities, coordinates and counts', () => {
    const draft = emptyDraft();
    Object.assign(draft, {
      title: 'Redada',
      startDate: { date: '2024-05-02', precision: 'day' },
      endDate: { date: '2024-05-01', precision: 'day' },
      stateCode: '07',
      municipalityCode: '05030',
      lat: '31.3',
      lon: '',
    });
    draft.victims.push({ ...newVictim(draft, 'group'), count: 'muchos' });
    expect(checkDraft(draft)).toEqual({
      endDate: 'endBeforeStart',
      'place.municipalityCode': 'notInState',
      'place.coordinates': 'notANumber',
      'victims.0.count': 'notANumber',
    });
  });
});

describe('documentFromDraft and draftFromDocument', () => {
  it('round-trips a full record', () => {
    const doc = incidentDocumentSchema.parse(aguaPrietaDocument());
    expect(incidentDocumentSchema.parse(documentFromDraft(draftFromDocument(doc)))).toEqual(doc);
  });

  it('stores a month as its first day', () => {
    const draft = draftFromDocument(incidentDocumentSchema.parse(aguaPrietaDocument()));
    draft.startDate = { date: '2019-06-27', precision: 'month' };
    expect(documentFromDraft(draft).startDate).toEqual({ date: '2019-06-01', precision: 'month' });
  });
});

describe('problemsFromServer', () => {
  const draft = draftFromDocument(incidentDocumentSchema.parse(aguaPrietaDocument()));

  it('places schema problems by position and vocabulary problems on every part using the code', () => {
    const { fields, unplaced } = problemsFromServer(
      [
        { field: 'document.acts.1.victimId', message: 'names no victim of this incident ("v9")' },
        { field: 'involvements[].perpetratorType', message: '"GN" is not a term of the perpetrator_types vocabulary' },
        { field: 'place.municipalityCode', message: '"26999" is not a municipality of state 26' },
        { field: 'document.startDate.date', message: 'must be a date written YYYY-MM-DD' },
        { field: 'links[0].incidentId', message: 'names no incident ("x")' },
        { field: 'document', message: 'Unrecognized key: "extra"' },
      ],
      { ...draft, links: [{ key: 'l1', incidentId: 'x', relation: 'related' }] },
    );
    expect(fields).toEqual({
      'acts.1.victimId': 'noVictim',
      'involvements.0.perpetratorType': 'unknownCode',
      'involvements.1.perpetratorType': 'unknownCode',
      'involvements.2.perpetratorType': 'unknownCode',
      'place.municipalityCode': 'notInState',
      startDate: 'invalid',
      'links.0.incidentId': 'notAnIncident',
    });
    expect(unplaced).toEqual([{ field: 'document', message: 'Unrecognized key: "extra"' }]);
  });

  it('matches a characteristic to the victims that have it', () => {
    const { fields } = problemsFromServer([{ field: 'victims[].characteristics', message: '"SHELTER_STAFF" is not a term of the victim_characteristics vocabulary' }], draft);
    expect(fields).toEqual({ 'victims.1.characteristics': 'unknownCode' });
  });
});
