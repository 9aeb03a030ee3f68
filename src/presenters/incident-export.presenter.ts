import type { IncidentRow } from '../commands/incident-access.js';
import { csvLine } from '../domain/csv.js';
import type { IncidentDocument } from '../domain/incident.js';

// Where the CLI's report and the export have always found it.
export { csvLine };

/**
 * How incidents leave the server in bulk (docs/IMPORT.md, "Export"). A redacted export (the default)
 * carries no sealed field — names, contacts, coordinates are already absent from the open document — and,
 * for an incident whose account may not be published, no free text either: a narrative or a description
 * is where a name or a telephone number ends up in practice, so it is replaced (the narrative by the
 * title) rather than trusted.
 */
export function redactForExport(doc: IncidentDocument, mayPublish: boolean): IncidentDocument {
  const sealedOut: IncidentDocument = {
    ...doc,
    place: { ...doc.place, coordinates: null },
    victims: doc.victims.map((v) => ({ ...v, name: null })),
    sources: doc.sources.map((s) => ({ ...s, name: null, contact: null })),
  };
  if (mayPublish) return sealedOut;
  return {
    ...sealedOut,
    narrative: doc.title,
    victims: sealedOut.victims.map((v) => ({ ...v, description: '' })),
    acts: doc.acts.map((a) => ({ ...a, method: '', consequences: '' })),
    sources: sealedOut.sources.map((s) => ({ ...s, description: '' })),
    interventions: doc.interventions.map((i) => ({ ...i, reference: '', description: '' })),
  };
}

/** The CSV export's columns, one row per incident. */
export const EXPORT_CSV_COLUMNS = [
  'reference',
  'status',
  'start_date',
  'start_date_precision',
  'end_date',
  'end_date_precision',
  'state_code',
  'state_name',
  'municipality_code',
  'municipality_name',
  'place_type',
  'act_types',
  'perpetrator_types',
  'victim_types',
  'legal_rule_ids',
  'title',
  'narrative',
  'archived',
] as const;

/** Names of the places an export mentions, loaded once. */
export interface PlaceNames {
  states: ReadonlyMap<string, string>;
  municipalities: ReadonlyMap<string, string>;
}

/** One incident as a CSV line (with its CRLF). Lists are joined with "; ". */
export function incidentCsvLine(row: IncidentRow, doc: IncidentDocument, places: PlaceNames): string {
  const list = (items: readonly string[]) => items.join('; ');
  const values: Record<(typeof EXPORT_CSV_COLUMNS)[number], string> = {
    reference: row.reference,
    status: row.status,
    start_date: doc.startDate.date,
    start_date_precision: doc.startDate.precision,
    end_date: doc.endDate?.date ?? '',
    end_date_precision: doc.endDate?.precision ?? '',
    state_code: doc.place.stateCode,
    state_name: places.states.get(doc.place.stateCode) ?? '',
    municipality_code: doc.place.municipalityCode ?? '',
    municipality_name: doc.place.municipalityCode ? (places.municipalities.get(doc.place.municipalityCode) ?? '') : '',
    place_type: doc.place.placeType ?? '',
    act_types: list(row.act_types),
    perpetrator_types: list(row.perpetrator_types),
    victim_types: list(row.victim_types),
    legal_rule_ids: list(row.legal_rule_ids),
    title: doc.title,
    narrative: doc.narrative,
    archived: row.archived_at ? 'yes' : 'no',
  };
  return csvLine(EXPORT_CSV_COLUMNS.map((c) => values[c]));
}


/** Vocabulary code → HURIDOCS code, per vocabulary, for the ESF export. */
export type HuridocsCodes = ReadonlyMap<string, string | null>;

/**
 * One incident in HURIDOCS' Events Standard Formats: the event with its acts, victims (persons, and groups
 * or organizations), involvements, sources, interventions and chain of events. Every coded field carries
 * our code and, where the vocabulary maps it, the HURIDOCS micro-thesaurus code.
 */
export function incidentEsfEvent(row: IncidentRow, doc: IncidentDocument, huridocs: HuridocsCodes) {
  const coded = (vocabulary: string, code: string | null) =>
    code === null ? null : { code, huridocsCode: huridocs.get(`${vocabulary}:${code}`) ?? null };
  const ref = (localId: string) => `${row.reference}/${localId}`;
  return {
    eventRecordNumber: row.reference,
    eventId: row.id,
    title: doc.title,
    description: doc.narrative,
    descriptionLanguage: doc.narrativeLanguage,
    initialDate: doc.startDate,
    finalDate: doc.endDate,
    status: row.status,
    confidentiality: row.may_publish ? 'may_publish' : 'restricted',
    geographicalTerm: { stateCode: doc.place.stateCode, municipalityCode: doc.place.municipalityCode, coordinates: doc.place.coordinates },
    typeOfLocation: coded('place_types', doc.place.placeType),
    victims: doc.victims.map((v) => ({
      recordNumber: ref(v.id),
      type: v.kind === 'person' ? 'person' : v.kind,
      name: v.name,
      characteristics: v.characteristics.map((c) => coded('victim_characteristics', c)),
      groupSize: v.count,
      description: v.description,
    })),
    acts: doc.acts.map((a) => ({
      recordNumber: ref(a.id),
      victim: ref(a.victimId),
      typeOfAct: coded('act_types', a.actType),
      date: a.date,
      method: a.method,
      consequences: a.consequences,
    })),
    involvements: doc.involvements.map((i) => ({
      recordNumber: ref(i.id),
      act: ref(i.actId),
      typeOfPerpetrator: coded('perpetrator_types', i.perpetratorType),
      degreeOfInvolvement: coded('involvement_degrees', i.degree),
      unit: i.unit,
    })),
    sources: doc.sources.map((s) => ({
      recordNumber: ref(s.id),
      typeOfSource: coded('source_types', s.sourceType),
      connectionToInformation: coded('source_connections', s.connection),
      reliability: coded('source_reliability', s.reliability),
      name: s.name,
      contact: s.contact,
      date: s.date,
      remarks: s.description,
    })),
    interventions: doc.interventions.map((i) => ({
      recordNumber: ref(i.id),
      typeOfIntervention: coded('intervention_types', i.interventionType),
      status: coded('intervention_statuses', i.status),
      date: i.date,
      addressedTo: i.addressedTo,
      reference: i.reference,
      remarks: i.description,
    })),
    chainOfEvents: doc.links.map((l) => ({ eventId: l.incidentId, typeOfChainOfEvents: l.relation })),
  };
}
