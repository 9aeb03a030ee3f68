/**
 * How fast the public dashboard answers over a million incidents, on either engine:
 *
 *   npm run bench:stats -- [--engine pglite|postgres] [--count 1000000] [--runs 30] [--url URL]
 *
 * It fills a fresh database (PGlite in memory, or a throw-away schema on the PostgreSQL server at --url,
 * default $TEST_DATABASE_URL) with synthetic incidents in one bulk SQL insert (generate_series, states
 * weighted along the migrant routes, 2018–2026), builds the rollups with rebuild_public_rollups(), then
 * times the dashboard API (GET /api/v1/statistics/summary, through the whole Fastify app) against the
 * same figures computed by GROUP BY over the incident table, in the same run. Figures go in the README,
 * never in tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { prepareDatabase } from '../src/db/bootstrap.js';
import type { Database } from '../src/db/client.js';
import { rebuildPublicRollups } from '../src/commands/public-rollups.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { openBenchDatabase } from './bench-database.js';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    count: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '30' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test' },
  },
});
const engine = args.engine === 'postgres' ? 'postgres' : 'pglite';
const COUNT = Number(args.count);
const RUNS = Number(args.runs);
const TARGET_MS = 20;
const TARGET_RATIO = 10;

const STATE_WEIGHTS: Record<string, number> = {
  '07': 20, '27': 12, '30': 10, '20': 8, '05': 7, '02': 7, '26': 6, '08': 6, '28': 6, '19': 5, '09': 5,
  '21': 4, '14': 4, '24': 3, '11': 3, '15': 3, '25': 2, '32': 2, '16': 2, '12': 2, '10': 2, '13': 2,
  '22': 1, '29': 1, '17': 1, '18': 1, '23': 1, '31': 1, '04': 1, '06': 1, '01': 1, '03': 1,
};
const WEIGHTED_STATES = Object.entries(STATE_WEIGHTS).flatMap(([code, w]) => Array<string>(w).fill(code));
const ACT_TYPES = ['HARASSMENT', 'INTIMIDATION', 'SURVEILLANCE', 'THREAT', 'DEATH_THREAT', 'STIGMATIZATION', 'CRIMINALIZATION', 'ARBITRARY_DETENTION', 'RAID', 'ATTEMPTED_ENTRY', 'MIGRATION_CHECK', 'INFO_DEMAND', 'OBSTRUCTION', 'ROUNDUP_NEARBY', 'PHYSICAL_ATTACK', 'EXCESSIVE_FORCE', 'PROPERTY_DAMAGE', 'THEFT', 'DEPORTATION', 'DISAPPEARANCE'];
const PERPETRATOR_TYPES = ['GN', 'GN', 'GN', 'INM', 'INM', 'INM', 'SEDENA', 'SEMAR', 'POL_EST', 'POL_EST', 'POL_MUN', 'POL_MUN', 'FISCALIA', 'OFFICIAL', 'ORG_CRIME', 'ORG_CRIME', 'PRIV_SEC', 'MOB', 'UNKNOWN'];
const PLACE_TYPES = ['MIGRANT_SHELTER', 'MIGRANT_SHELTER', 'SHELTER_SURROUNDINGS', 'ROAD', 'CHECKPOINT', 'RAILWAY', 'PUBLIC_SPACE', 'HOME'];

const textArray = (items: readonly string[]) => sql.raw(`array[${items.map((s) => `'${s}'`).join(',')}]::text[]`);
const pickFrom = (items: readonly string[]) => sql`(${textArray(items)})[1 + floor(random() * ${items.length})::int]`;

/** One INSERT … SELECT over generate_series: a million rows in seconds, not minutes of round trips. */
async function fill(database: Database): Promise<void> {
  const db = database.db;
  const { id: organizationId } = await db.insertInto('organizations').values({ slug: 'bench', name: 'Bench', kind: 'shelter' }).returning('id').executeTakeFirstOrThrow();
  await database.transaction(async (trx) => {
    await sql`select setseed(0.2019)`.execute(trx);
    // The route cities: five municipalities per state gather the incidents.
    await sql`create temporary table bench_municipalities on commit drop as
      select state_code, (row_number() over (partition by state_code order by population_2020 desc nulls last) - 1)::int as idx, cvegeo
      from ref_municipalities where retired_in is null`.execute(trx);
    await sql`
      with r as (
        select g,
          ${pickFrom(WEIGHTED_STATES)} as st,
          floor(random() * 5)::int as mi,
          ${pickFrom(['reported', 'in_review', 'verified', 'verified', 'verified', 'rejected'])} as status,
          date '2018-01-01' + floor(random() * 3287)::int as d,
          ${pickFrom(ACT_TYPES)} as a1, ${pickFrom(ACT_TYPES)} as a2,
          ${pickFrom(PERPETRATOR_TYPES)} as p1,
          ${pickFrom(PLACE_TYPES)} as place,
          random() < 0.8 as shared
        from generate_series(1, ${COUNT}) g
      )
      insert into incidents (id, organization_id, reference, status, document, title, state_code, municipality_code,
        place_type, start_date, date_precision, act_types, perpetrator_types, shared_with_networks)
      select gen_random_uuid(), ${organizationId}, 'BENCH-' || g, r.status, '{}'::jsonb, 'Incidente sintético', r.st, m.cvegeo,
        r.place, r.d, 'day', case when r.a1 = r.a2 then array[r.a1] else array[least(r.a1, r.a2), greatest(r.a1, r.a2)] end,
        array[r.p1], r.shared
      from r left join bench_municipalities m on m.state_code = r.st and m.idx = r.mi`.execute(trx);
  });
  await sql`analyze incidents`.execute(db);
}

/** The dashboard's figures straight from the incidents: what the rollups save. */
async function groupByOverIncidents(database: Database): Promise<void> {
  const counted = sql`status = 'verified' and shared_with_networks and archived_at is null and state_code is not null and start_date is not null`;
  await Promise.all([
    sql`select state_code, date_trunc('month', start_date) as month, count(*) from incidents where ${counted} group by 1, 2`.execute(database.db),
    sql`select a, count(*) from incidents, unnest(act_types) a where ${counted} group by 1`.execute(database.db),
    sql`select p, count(*) from incidents, unnest(perpetrator_types) p where ${counted} group by 1`.execute(database.db),
    sql`select coalesce(place_type, 'UNSPECIFIED'), count(*) from incidents where ${counted} group by 1`.execute(database.db),
  ]);
}

async function time(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  for (let i = 0; i < 2; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}
const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;
const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
const ms = (value: number) => `${value.toFixed(2).padStart(9)} ms`;

async function main(): Promise<void> {
  const { database, dispose } = await openBenchDatabase(engine, args.url);
  try {
    await prepareDatabase(database);
    let t0 = performance.now();
    await fill(database);
    console.log(`engine ${engine}: ${COUNT.toLocaleString('en')} incidents inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    await rebuildPublicRollups(database.db);
    // After a load this size autovacuum would vacuum and analyze the table; the bench does it at once, so that
    // the dashboard is timed in that steady state (pages marked visible: answers from the indexes alone).
    await sql`vacuum analyze public_rollup`.execute(database.db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from public_rollup`.execute(database.db);
    console.log(`rollups rebuilt in ${((performance.now() - t0) / 1000).toFixed(1)} s (${rows[0]!.n.toLocaleString('en')} cube rows)`);

    const config = loadConfig({ VIGIA_LOG_LEVEL: 'silent', VIGIA_WORKER: 'off', VIGIA_DATA_DIR: mkdtempSync(join(tmpdir(), 'vigia-bench-')), VIGIA_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') });
    const app = await buildApp({ config, database });
    await app.ready();
    const urls = ['/api/v1/statistics/summary', '/api/v1/statistics/summary?from=2019-06&to=2019-08&act=ATTEMPTED_ENTRY', '/api/v1/statistics/summary?state=07&perpetrator=GN'];
    let call = 0;
    const api = await time(async () => {
      const response = await app.inject({ method: 'GET', url: urls[call++ % urls.length]! });
      if (response.statusCode !== 200) throw new Error(`dashboard answered ${response.statusCode}`);
    }, RUNS);
    const baseline = await time(() => groupByOverIncidents(database), Math.max(5, Math.floor(RUNS / 3)));
    await app.close();
    const ratio = median(baseline) / median(api);
    console.log(`dashboard API (rollups)      median ${ms(median(api))}  p95 ${ms(p95(api))}  target < ${TARGET_MS} ms: ${median(api) < TARGET_MS ? 'met' : 'MISSED'}`);
    console.log(`GROUP BY over incidents      median ${ms(median(baseline))}  p95 ${ms(p95(baseline))}`);
    console.log(`ratio ${ratio.toFixed(1)}×  target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`);
  } finally {
    await dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
