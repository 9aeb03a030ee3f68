import type { IncidentDocument } from '../../../domain/incident.js';

/*
 * The incident record as the editor holds it while someone types: every input's text as typed (a count
 * or a coordinate is a string until it is saved), so that a half-written number is not lost or turned
 * into NaN. `documentFromDraft` turns it into the record the API takes; `checkDraft` finds, before
 * sending, the mistakes the server would refuse (an act that names no victim, an involvement no act).
 */

export type Answer = 'yes' | 'no' | 'unknown';
export type Precision = 'day' | 'month' | 'approximate';
export type VictimKind = 'organization' | 'person' | 'group';
export const CIRCUMSTANCES = ['writtenOrderShown', 'agentsIdentified', 'inmRequested', 'judicialOrderShown'] as const;
export type Circumstance = (typeof CIRCUMSTANCES)[number];
export const LINK_RELATIONS = ['same_campaign', 'related', 'follow_up', 'duplicate'] as const;
export type LinkRelation = (typeof LINK_RELATIONS)[number];

export interface DateDraft {
  date: string;
  precision: Precision;
}

export interface VictimDraft {
  id: string;
  kind: VictimKind;
  /** Sealed on save. */
  name: string;
  organizationId: string | null;
  characteristics: string[];
  count: string;
  description: string;
}

export interface ActDraft {
  id: string;
  actType: string;
  victimId: string;
  date: DateDraft;
  method: string;
  consequences: string;
}

export interface InvolvementDraft {
  id: string;
  actId: string;
  perpetratorType: string;
  degree: string;
  unit: string;
}

export interface SourceDraft {
  id: string;
  sourceType: string;
  connection: string;
  reliability: string;
  /** Sealed on save, with the contact. */
  name: string;
  contact: string;
  date: DateDraft;
  description: string;
}

export interface InterventionDraft {
  id: string;
  interventionType: string;
  status: string;
  date: DateDraft;
  addressedTo: string;
  reference: string;
  description: string;
}

export interface LinkDraft {
  /** Only to keep React's rows apart; links have no id of their own in the record. */
  key: string;
  incidentId: string;
  relation: LinkRelation;
}

export interface IncidentDraft {
  title: string;
  narrative: string;
  narrativeLanguage: 'es' | 'en';
  startDate: DateDraft;
  endDate: DateDraft;
  stateCode: string;
  municipalityCode: string;
  placeType: string;
  shelterOrganizationId: string | null;
  /** Sealed on save. */
  lat: string;
  lon: string;
  circumstances: Record<Circumstance, Answer>;
  victims: VictimDraft[];
  acts: ActDraft[];
  involvements: InvolvementDraft[];
  sources: SourceDraft[];
  interventions: InterventionDraft[];
  links: LinkDraft[];
}

/** What is wrong with a field, as a code the page words in the reader's language. */
export type Problem =
  | 'required'
  | 'tooShort'
  | 'noVictim'
  | 'noAct'
  | 'endBeforeStart'
  | 'notInState'
  | 'unknownCode'
  | 'notANumber'
  | 'coordinatesOutside'
  | 'notAnIncident'
  | 'invalid';

/** Problems by field path (`title`, `acts.0.victimId`, `place.municipalityCode`, …). */
export type DraftProblems = Record<string, Problem>;

export const emptyDate = (): DateDraft => ({ date: '', precision: 'day' });

export function emptyDraft(): IncidentDraft {
  return {
    title: '',
    narrative: '',
    narrativeLanguage: 'es',
    startDate: emptyDate(),
    endDate: emptyDate(),
    stateCode: '',
    municipalityCode: '',
    placeType: '',
    shelterOrganizationId: null,
    lat: '',
    lon: '',
    circumstances: { writtenOrderShown: 'unknown', agentsIdentified: 'unknown', inmRequested: 'unknown', judicialOrderShown: 'unknown' },
    victims: [],
    acts: [],
    involvements: [],
    sources: [],
    interventions: [],
    links: [],
  };
}

/** The next free id with `prefix` ("v3" after "v1" and "v2"), so new parts never collide with old ones. */
export function nextId(prefix: string, taken: ReadonlyArray<{ id: string }>): string {
  const used = new Set(taken.map((item) => item.id));
  let n = taken.length + 1;
  while (used.has(`${prefix}${n}`)) n += 1;
  return `${prefix}${n}`;
}

export function newVictim(draft: IncidentDraft, kind: VictimKind = 'organization'): VictimDraft {
  return { id: nextId('v', draft.victims), kind, name: '', organizationId: null, characteristics: [], count: '', description: '' };
}

export function newAct(draft: IncidentDraft, actType = ''): ActDraft {
  return { id: nextId('a', draft.acts), actType, victimId: draft.victims[0]?.id ?? '', date: emptyDate(), method: '', consequences: '' };
}

export function newInvolvement(draft: IncidentDraft, perpetratorType = ''): InvolvementDraft {
  return { id: nextId('i', draft.involvements), actId: draft.acts[0]?.id ?? '', perpetratorType, degree: 'DIRECTLY_CARRIED_OUT', unit: '' };
}

export function newSource(draft: IncidentDraft): SourceDraft {
  return { id: nextId('s', draft.sources), sourceType: '', connection: 'UNKNOWN', reliability: 'UNKNOWN', name: '', contact: '', date: emptyDate(), description: '' };
}

export function newIntervention(draft: IncidentDraft): InterventionDraft {
  return { id: nextId('n', draft.interventions), interventionType: '', status: 'PLANNED', date: emptyDate(), addressedTo: '', reference: '', description: '' };
}

export function newLink(draft: IncidentDraft): LinkDraft {
  return { key: nextId('l', draft.links.map((l) => ({ id: l.key }))), incidentId: '', relation: 'related' };
}

function dateDraft(value: { date: string; precision: Precision } | null): DateDraft {
  return value ? { date: value.date, precision: value.precision } : emptyDate();
}

/** An existing record as the editor shows it. */
export function draftFromDocument(doc: IncidentDocument): IncidentDraft {
  return {
    title: doc.title,
    narrative: doc.narrative,
    narrativeLanguage: doc.narrativeLanguage,
    startDate: dateDraft(doc.startDate),
    endDate: dateDraft(doc.endDate),
    stateCode: doc.place.stateCode,
    municipalityCode: doc.place.municipalityCode ?? '',
    placeType: doc.place.placeType ?? '',
    shelterOrganizationId: doc.place.shelterOrganizationId,
    lat: doc.place.coordinates ? String(doc.place.coordinates.lat) : '',
    lon: doc.place.coordinates ? String(doc.place.coordinates.lon) : '',
    circumstances: { ...doc.circumstances },
    victims: doc.victims.map((v) => ({
      id: v.id,
      kind: v.kind,
      name: v.name ?? '',
      organizationId: v.organizationId,
      characteristics: [...v.characteristics],
      count: v.count === null ? '' : String(v.count),
      description: v.description,
    })),
    acts: doc.acts.map((a) => ({ id: a.id, actType: a.actType, victimId: a.victimId, date: dateDraft(a.date), method: a.method, consequences: a.consequences })),
    involvements: doc.involvements.map((i) => ({ ...i })),
    sources: doc.sources.map((s) => ({
      id: s.id,
      sourceType: s.sourceType,
      connection: s.connection,
      reliability: s.reliability,
      name: s.name ?? '',
      contact: s.contact ?? '',
      date: dateDraft(s.date),
      description: s.description,
    })),
    interventions: doc.interventions.map((n) => ({
      id: n.id,
      interventionType: n.interventionType,
      status: n.status,
      date: dateDraft(n.date),
      addressedTo: n.addressedTo,
      reference: n.reference,
      description: n.description,
    })),
    links: doc.links.map((l, i) => ({ key: `l${i + 1}`, incidentId: l.incidentId, relation: l.relation })),
  };
}

/** A date as the record stores it: none when empty; a month as its first day. */
export function fuzzyDate(value: DateDraft): { date: string; precision: Precision } | null {
  if (value.date === '') return null;
  return { date: value.precision === 'month' ? `${value.date.slice(0, 7)}-01` : value.date, precision: value.precision };
}

function numberOrNull(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? null : Number(trimmed);
}

/** The record the API takes. Call `checkDraft` first: this does not check, it converts. */
export function documentFromDraft(draft: IncidentDraft): IncidentDocument {
  const lat = numberOrNull(draft.lat);
  const lon = numberOrNull(draft.lon);
  return {
    title: draft.title.trim(),
    narrative: draft.narrative.trim(),
    narrativeLanguage: draft.narrativeLanguage,
    startDate: fuzzyDate(draft.startDate) ?? { date: '', precision: draft.startDate.precision },
    endDate: fuzzyDate(draft.endDate),
    place: {
      stateCode: draft.stateCode,
      municipalityCode: draft.municipalityCode || null,
      placeType: draft.placeType || null,
      shelterOrganizationId: draft.shelterOrganizationId,
      coordinates: lat === null || lon === null ? null : { lat, lon },
    },
    circumstances: { ...draft.circumstances },
    victims: draft.victims.map((v) => ({
      id: v.id,
      kind: v.kind,
      name: v.name.trim() || null,
      organizationId: v.organizationId,
      characteristics: [...v.characteristics],
      count: v.kind === 'group' ? numberOrNull(v.count) : null,
      description: v.description.trim(),
    })),
    acts: draft.acts.map((a) => ({
      id: a.id,
      actType: a.actType,
      victimId: a.victimId,
      date: fuzzyDate(a.date),
      method: a.method.trim(),
      consequences: a.consequences.trim(),
    })),
    involvements: draft.involvements.map((i) => ({ id: i.id, actId: i.actId, perpetratorType: i.perpetratorType, degree: i.degree, unit: i.unit.trim() })),
    sources: draft.sources.map((s) => ({
      id: s.id,
      sourceType: s.sourceType,
      connection: s.connection,
      reliability: s.reliability,
      name: s.name.trim() || null,
      contact: s.contact.trim() || null,
      date: fuzzyDate(s.date),
      description: s.description.trim(),
    })),
    interventions: draft.interventions.map((n) => ({
      id: n.id,
      interventionType: n.interventionType,
      status: n.status,
      date: fuzzyDate(n.date),
      addressedTo: n.addressedTo.trim(),
      reference: n.reference.trim(),
      description: n.description.trim(),
    })),
    links: draft.links.map((l) => ({ incidentId: l.incidentId.trim(), relation: l.relation })),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the server would refuse, found before sending, by field: required fields, the references between
 * the parts (an act must name a victim of this record, an involvement one of its acts), the dates' order,
 * and numbers that are not numbers. Empty when the draft can be sent.
 */
export function checkDraft(draft: IncidentDraft): DraftProblems {
  const problems: DraftProblems = {};
  const title = draft.title.trim();
  if (title === '') problems.title = 'required';
  else if (title.length < 3) problems.title = 'tooShort';
  if (draft.startDate.date === '') problems.startDate = 'required';
  const start = fuzzyDate(draft.startDate);
  const end = fuzzyDate(draft.endDate);
  if (start && end && end.date < start.date) problems.endDate = 'endBeforeStart';
  if (draft.stateCode === '') problems['place.stateCode'] = 'required';
  else if (draft.municipalityCode && !draft.municipalityCode.startsWith(draft.stateCode)) problems['place.municipalityCode'] = 'notInState';
  const lat = numberOrNull(draft.lat);
  const lon = numberOrNull(draft.lon);
  if ((lat === null) !== (lon === null) || (lat !== null && Number.isNaN(lat)) || (lon !== null && Number.isNaN(lon))) {
    problems['place.coordinates'] = 'notANumber';
  } else if (lat !== null && lon !== null && (lat < 14 || lat > 33.5 || lon < -118.5 || lon > -86.5)) {
    problems['place.coordinates'] = 'coordinatesOutside';
  }
  draft.victims.forEach((v, i) => {
    if (v.kind === 'group' && v.count.trim() !== '') {
      const count = Number(v.count);
      if (!Number.isInteger(count) || count < 1) problems[`victims.${i}.count`] = 'notANumber';
    }
  });
  const victimIds = new Set(draft.victims.map((v) => v.id));
  draft.acts.forEach((a, i) => {
    if (a.actType === '') problems[`acts.${i}.actType`] = 'required';
    if (!victimIds.has(a.victimId)) problems[`acts.${i}.victimId`] = 'noVictim';
  });
  const actIds = new Set(draft.acts.map((a) => a.id));
  draft.involvements.forEach((inv, i) => {
    if (!actIds.has(inv.actId)) problems[`involvements.${i}.actId`] = 'noAct';
    if (inv.perpetratorType === '') problems[`involvements.${i}.perpetratorType`] = 'required';
  });
  draft.sources.forEach((s, i) => {
    if (s.sourceType === '') problems[`sources.${i}.sourceType`] = 'required';
  });
  draft.interventions.forEach((n, i) => {
    if (n.interventionType === '') problems[`interventions.${i}.interventionType`] = 'required';
  });
  draft.links.forEach((l, i) => {
    if (!UUID.test(l.incidentId.trim())) problems[`links.${i}.incidentId`] = 'notAnIncident';
  });
  return problems;
}
