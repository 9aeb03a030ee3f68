import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * The public incident list (open data): the incidents that count publicly (see public-rollups.ts) and
 * whose account the reporter allowed to be published — a reporter who did not tick that box was told
 * the report "only counts in aggregate figures", so it is never a row here. Each row carries no name and
 * no exact place: the month instead of the day, the municipality only where at least `threshold` rows
 * share it (otherwise only the state), and a state's rows only when there are at least `threshold` of
 * them, so the list never shows a smaller number than the dashboard would.
 */
export interface OpenDataRow {
  reference: string;
  month: string;
  stateCode: string;
  stateName: string;
  municipalityCode: string | null;
  municipalityName: string | null;
  /** The municipal seat (cabecera), when the municipality is given. */
  seat: { lat: number; lon: number } | null;
  placeType: string | null;
  actTypes: string[];
  perpetratorTypes: string[];
  title: string;
  narrative: string;
}

export async function readOpenData(options: { db: Kysely<DB>; threshold: number }): Promise<OpenDataRow[]> {
  const { db, threshold } = options;
  const rows = await db
    .selectFrom('incidents as i')
    .innerJoin('ref_states as s', 's.code', 'i.state_code')
    .leftJoin('ref_municipalities as m', 'm.cvegeo', 'i.municipality_code')
    .select([
      'i.reference',
      sql<string>`to_char(i.start_date, 'YYYY-MM')`.as('month'),
      's.code as state_code',
      's.name as state_name',
      'm.cvegeo as municipality_code',
      'm.name as municipality_name',
      'm.lat',
      'm.lon',
      'i.place_type',
      'i.act_types',
      'i.perpetrator_types',
      'i.title',
      sql<string>`coalesce(i.document->>'narrative', '')`.as('narrative'),
    ])
    .where('i.status', '=', 'verified')
    .where('i.shared_with_networks', '=', true)
    .where('i.archived_at', 'is', null)
    .where('i.may_publish', '=', true)
    .where('i.start_date', 'is not', null)
    .orderBy('i.start_date')
    .orderBy('i.reference')
    .execute();
  const perState = new Map<string, number>();
  const perMunicipality = new Map<string, number>();
  for (const r of rows) {
    perState.set(r.state_code, (perState.get(r.state_code) ?? 0) + 1);
    if (r.municipality_code) perMunicipality.set(r.municipality_code, (perMunicipality.get(r.municipality_code) ?? 0) + 1);
  }
  return rows
    .filter((r) => (perState.get(r.state_code) ?? 0) >= threshold)
    .map((r) => {
      const keepMunicipality = r.municipality_code !== null && (perMunicipality.get(r.municipality_code) ?? 0) >= threshold;
      return {
        reference: r.reference,
        month: r.month,
        stateCode: r.state_code,
        stateName: r.state_name,
        municipalityCode: keepMunicipality ? r.municipality_code : null,
        municipalityName: keepMunicipality ? r.municipality_name : null,
        seat: keepMunicipality && r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
        placeType: r.place_type,
        actTypes: r.act_types,
        perpetratorTypes: r.perpetrator_types,
        title: r.title,
        narrative: r.narrative,
      };
    });
}
