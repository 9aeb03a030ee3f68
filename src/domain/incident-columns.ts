import type { IncidentDocument } from './incident.js';
import { victimTypesOf } from './incident.js';

/**
 * The plain columns kept beside an incident's document for filters, search and rollups: derived from the
 * document on every save, never edited on their own, so they cannot drift from the record.
 */
export interface IncidentColumns {
  title: string;
  state_code: string;
  municipality_code: string | null;
  place_type: string | null;
  start_date: string;
  date_precision: 'day' | 'month' | 'approximate';
  end_date: string | null;
  act_types: string[];
  perpetrator_types: string[];
  victim_types: string[];
}

export function incidentColumns(doc: IncidentDocument): IncidentColumns {
  return {
    title: doc.title,
    state_code: doc.place.stateCode,
    municipality_code: doc.place.municipalityCode,
    place_type: doc.place.placeType,
    start_date: doc.startDate.date,
    date_precision: doc.startDate.precision,
    end_date: doc.endDate?.date ?? null,
    act_types: [...new Set(doc.acts.map((a) => a.actType))].sort(),
    perpetrator_types: [...new Set(doc.involvements.map((i) => i.perpetratorType))].sort(),
    victim_types: victimTypesOf(doc),
  };
}
