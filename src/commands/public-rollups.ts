import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { IncidentRow } from './incident-access.js';

/**
 * The upkeep of the public statistics rollups (migration 20261129T0400_public_statistics.sql): every
 * command that changes an incident's status, sharing, archive state or content calls
 * `updatePublicRollups` in its own transaction with the row before and after, so the public figures are
 * never behind the records and the dashboard never scans incidents.
 */

/** The columns of an incident that decide whether and where it counts publicly. */
export type RollupSource = Pick<
  IncidentRow,
  'status' | 'shared_with_networks' | 'archived_at' | 'state_code' | 'municipality_code' | 'start_date' | 'place_type' | 'act_types' | 'perpetrator_types'
>;

/**
 * Whether an incident counts in public figures: verified, shared by its organization with its networks,
 * not archived, with a state and a date. Consent to publish is not asked for a count (the reporter was
 * told an unticked report still counts in aggregates); it decides only what leaves as a row.
 * Keep in step with `rebuild_public_rollups()` in the migration.
 */
export function countsPublicly(row: RollupSource | null | undefined): row is RollupSource & { state_code: string; start_date: string } {
  return Boolean(row && row.status === 'verified' && row.shared_with_networks && !row.archived_at && row.state_code && row.start_date);
}

/** The first day of an incident's month, from its start date. */
function monthOf(date: string | Date): string {
  const text = typeof date === 'string' ? date : date.toISOString().slice(0, 10);
  return `${text.slice(0, 7)}-01`;
}

function cubeKeys(row: RollupSource & { state_code: string; start_date: string }): string[] {
  const month = monthOf(row.start_date);
  const keys: string[] = [];
  for (const state of [row.state_code, '*']) {
    for (const act of new Set([...row.act_types, '*'])) {
      for (const perpetrator of new Set([...row.perpetrator_types, '*'])) {
        for (const place of [row.place_type ?? 'UNSPECIFIED', '*']) keys.push([month, state, act, perpetrator, place].join('\u0000'));
      }
    }
  }
  return keys;
}

function municipalityKey(row: RollupSource & { state_code: string; start_date: string }): string {
  return [monthOf(row.start_date), row.state_code, row.municipality_code ?? ''].join('\u0000');
}

function add(deltas: Map<string, number>, key: string, by: number): void {
  deltas.set(key, (deltas.get(key) ?? 0) + by);
}

/**
 * Moves an incident's contribution in the rollups from what `before` counted to what `after` counts
 * (either may be null: a new incident has no before). Only the cells that change are written.
 */
export async function updatePublicRollups(trx: Kysely<DB>, before: RollupSource | null, after: RollupSource | null): Promise<void> {
  const cube = new Map<string, number>();
  const municipal = new Map<string, number>();
  if (countsPublicly(before)) {
    for (const key of cubeKeys(before)) add(cube, key, -1);
    add(municipal, municipalityKey(before), -1);
  }
  if (countsPublicly(after)) {
    for (const key of cubeKeys(after)) add(cube, key, 1);
    add(municipal, municipalityKey(after), 1);
  }
  const cubeRows = [...cube].filter(([, n]) => n !== 0).map(([key, incidents]) => {
    const [month, state_code, act_type, perpetrator_type, place_type] = key.split('\u0000') as [string, string, string, string, string];
    return { month, state_code, act_type, perpetrator_type, place_type, incidents };
  });
  if (cubeRows.length > 0) {
    await trx
      .insertInto('public_rollup')
      .values(cubeRows)
      .onConflict((oc) =>
        oc.columns(['act_type', 'perpetrator_type', 'place_type', 'state_code', 'month']).doUpdateSet({ incidents: sql`public_rollup.incidents + excluded.incidents` }),
      )
      .execute();
  }
  const municipalRows = [...municipal].filter(([, n]) => n !== 0).map(([key, incidents]) => {
    const [month, state_code, municipality_code] = key.split('\u0000') as [string, string, string];
    return { month, state_code, municipality_code, incidents };
  });
  if (municipalRows.length > 0) {
    await trx
      .insertInto('public_rollup_municipality')
      .values(municipalRows)
      .onConflict((oc) => oc.columns(['state_code', 'month', 'municipality_code']).doUpdateSet({ incidents: sql`public_rollup_municipality.incidents + excluded.incidents` }))
      .execute();
  }
}

/** Recomputes the rollups from the incidents (the benchmark's bulk load; a check against drift). */
export async function rebuildPublicRollups(db: Kysely<DB>): Promise<void> {
  await sql`select rebuild_public_rollups()`.execute(db);
}
