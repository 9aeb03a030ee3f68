import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { protectFigure, protectPartition, type PublicFigure } from '../domain/small-numbers.js';

/**
 * The public dashboard's figures, read from the rollups (never from incidents) and protected against
 * small numbers before they leave: by state (the map), by month, by act, perpetrator and place type, and a
 * state's municipalities. Filters: a period of months, a state, an act type, a perpetrator type.
 */

export interface StatisticsFilters {
  /** First and last month, YYYY-MM; by default the months that have any public figure. */
  from?: string;
  to?: string;
  state?: string;
  act?: string;
  perpetrator?: string;
}

export interface Cell<K extends string = string> {
  key: K;
  figure: PublicFigure;
}

export interface PublicStatistics {
  threshold: number;
  period: { from: string; to: string } | null;
  /** All incidents matching the filters (for a state filter: that state's figure, as on the map). */
  total: PublicFigure;
  /** Every state, with the filters other than the state (the map shows the whole country). */
  byState: Cell[];
  byMonth: Cell[];
  byActType: Cell[];
  byPerpetratorType: Cell[];
  byPlaceType: Cell[];
}

const ANY = '*';

/** YYYY-MM to the first day of that month. */
const firstDay = (month: string) => `${month}-01`;

/** Every month from `from` to `to` (YYYY-MM), inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while ((y < ty || (y === ty && m <= tm)) && months.length < 600) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}

/** The months with any public figure, when no period is asked for. */
async function defaultPeriod(db: Kysely<DB>): Promise<{ from: string; to: string } | null> {
  const row = await db
    .selectFrom('public_rollup')
    .select([sql<string | null>`to_char(min(month), 'YYYY-MM')`.as('from'), sql<string | null>`to_char(max(month), 'YYYY-MM')`.as('to')])
    .where('act_type', '=', ANY)
    .where('perpetrator_type', '=', ANY)
    .where('place_type', '=', ANY)
    .where('state_code', '=', ANY)
    .where('incidents', '>', 0)
    .executeTakeFirst();
  return row?.from && row.to ? { from: row.from, to: row.to } : null;
}

/** Hides every non-zero cell (small ones as "<3"): used when the figure they add up to is itself hidden. */
function hideAll(cells: readonly { key: string; count: number }[], threshold: number): Cell[] {
  return cells.map(({ key, count }) => {
    const small = protectFigure(count, threshold);
    if (small.suppressed || count === 0) return { key, figure: small };
    return { key, figure: { count: null, suppressed: 'complementary', display: '—' } };
  });
}

/**
 * A table that adds up to a figure already published elsewhere (the national total, or a state's cell on
 * the map): protected against that same figure, so that two views never disagree about it; when that
 * figure is hidden, so is every cell that would add up to it.
 */
function partitionOf(cells: readonly { key: string; count: number }[], threshold: number, total: PublicFigure, totalCount: number): Cell[] {
  if (total.suppressed) return hideAll(cells, threshold);
  return protectPartition(cells, threshold, totalCount).cells;
}

export async function readPublicStatistics(options: { db: Kysely<DB>; threshold: number; filters: StatisticsFilters }): Promise<PublicStatistics> {
  const { db, threshold, filters } = options;
  const period = filters.from && filters.to ? { from: filters.from, to: filters.to } : await (async () => {
    const known = await defaultPeriod(db);
    if (!known) return filters.from || filters.to ? { from: filters.from ?? filters.to!, to: filters.to ?? filters.from! } : null;
    return { from: filters.from ?? known.from, to: filters.to ?? known.to };
  })();
  const act = filters.act ?? ANY;
  const perpetrator = filters.perpetrator ?? ANY;
  const base = () => {
    let q = db.selectFrom('public_rollup');
    if (period) q = q.where('month', '>=', firstDay(period.from)).where('month', '<=', firstDay(period.to));
    return q;
  };

  const chosen = { act_type: act, perpetrator_type: perpetrator, place_type: ANY } as const;
  type Dimension = keyof typeof chosen;
  /** Figures by one dimension, the other two held at the filters (or "any"). */
  const breakdown = (dimension: Dimension) => {
    let q = base()
      .select([sql.ref<string>(dimension).as('key'), sql<number>`sum(incidents)::int`.as('n')])
      .where(dimension, '<>', ANY);
    for (const other of Object.keys(chosen) as Dimension[]) if (other !== dimension) q = q.where(other, '=', chosen[other]);
    q = q.where('state_code', '=', filters.state ?? ANY);
    return q.groupBy(dimension).execute();
  };

  // The map's states and the monthly series, each summed in the database: the series reads the "any
  // state" rows (or the chosen state's), which add up to the same total as the states by construction
  // (every public incident has a state), so the two views agree without sending every state-month cell.
  const held = () => base().where('act_type', '=', act).where('perpetrator_type', '=', perpetrator).where('place_type', '=', ANY);
  const [states, byStateRows, byMonthRows, acts, perpetrators, places] = await Promise.all([
    db.selectFrom('ref_states').select('code').orderBy('code').execute(),
    held().select(['state_code', sql<number>`sum(incidents)::int`.as('n')]).where('state_code', '<>', ANY).groupBy('state_code').execute(),
    held()
      .select([sql<string>`to_char(month, 'YYYY-MM')`.as('month'), sql<number>`sum(incidents)::int`.as('n')])
      .where('state_code', '=', filters.state ?? ANY)
      .groupBy('month')
      .execute(),
    breakdown('act_type'),
    breakdown('perpetrator_type'),
    breakdown('place_type'),
  ]);

  const stateCounts = new Map(byStateRows.map((r) => [r.state_code, r.n]));
  const nationalCount = [...stateCounts.values()].reduce((s, n) => s + n, 0);
  const stateTable = protectPartition(
    states.map((s) => ({ key: s.code, count: stateCounts.get(s.code) ?? 0 })),
    threshold,
    nationalCount,
  );
  const focus = filters.state
    ? { count: stateCounts.get(filters.state) ?? 0, figure: stateTable.cells.find((c) => c.key === filters.state)?.figure ?? protectFigure(0, threshold) }
    : { count: nationalCount, figure: stateTable.total };

  const monthCounts = new Map(byMonthRows.map((r) => [r.month, r.n]));
  const months = period ? monthsBetween(period.from, period.to) : [];
  const byMonth = partitionOf(months.map((m) => ({ key: m, count: monthCounts.get(m) ?? 0 })), threshold, focus.figure, focus.count);

  const nonZero = (rows: { key: string; n: number }[]) => rows.filter((r) => r.n > 0).sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
  // Acts and perpetrators are not a partition (an incident can have several), so each figure stands alone;
  // if the focus figure is hidden they are hidden too, since a lone act type would equal it.
  const standalone = (rows: { key: string; n: number }[]) =>
    focus.figure.suppressed
      ? hideAll(nonZero(rows).map((r) => ({ key: r.key, count: r.n })), threshold)
      : nonZero(rows).map((r) => ({ key: r.key, figure: protectFigure(r.n, threshold) }));

  return {
    threshold,
    period,
    total: focus.figure,
    byState: stateTable.cells,
    byMonth,
    byActType: standalone(acts),
    byPerpetratorType: standalone(perpetrators),
    byPlaceType: partitionOf(nonZero(places).map((r) => ({ key: r.key, count: r.n })), threshold, focus.figure, focus.count),
  };
}

/** A state's municipalities for a period, protected against the state's own figure on the map. */
export async function readStateMunicipalities(options: {
  db: Kysely<DB>;
  threshold: number;
  stateCode: string;
  from?: string;
  to?: string;
}): Promise<{ threshold: number; state: PublicFigure; municipalities: Cell[] }> {
  const { db, threshold, stateCode } = options;
  const stats = await readPublicStatistics({ db, threshold, filters: { from: options.from, to: options.to } });
  const state = stats.byState.find((c) => c.key === stateCode)?.figure ?? protectFigure(0, threshold);
  let q = db
    .selectFrom('public_rollup_municipality')
    .select(['municipality_code as key', sql<number>`sum(incidents)::int`.as('n')])
    .where('state_code', '=', stateCode);
  if (stats.period) q = q.where('month', '>=', firstDay(stats.period.from)).where('month', '<=', firstDay(stats.period.to));
  const rows = (await q.groupBy('municipality_code').execute()).filter((r) => r.n > 0);
  const stateCount = rows.reduce((s, r) => s + r.n, 0);
  return { threshold, state, municipalities: partitionOf(rows.map((r) => ({ key: r.key, count: r.n })), threshold, state, stateCount) };
}
