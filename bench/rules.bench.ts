/**
 * What the incremental early-warning evaluation costs per newly verified incident, with 10k and with 1M
 * incidents already stored, on either engine:
 *
 *   npm run bench:rules -- [--engine pglite|postgres] [--sizes 10000,1000000] [--measure 100] [--url URL]
 *
 * The history is filled in bulk with generate_series SQL: incidents, and the rollups evaluation reads
 * (alert_incident_facts, alert_daily_counts). The history always spans the same 14 years and is spread
 * over networks of 10k incidents each (about two verified incidents a day, a busy network), so a larger
 * history means more networks and more years of them, as a growing instance would have; the measured
 * network is always the first. Then `--measure` new verified incidents are evaluated one by one (the
 * rules.evaluate job's work: rollups refreshed, every shipped rule evaluated, signals written) and the
 * median and mean per incident printed, with the ratio of the largest size to the smallest, which must
 * stay under 2. The figures go in the README, never in tests.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { evaluateIncident } from '../src/alerts/evaluate.js';
import { prepareDatabase } from '../src/db/bootstrap.js';
import { openDatabase, quoteIdent, type Database } from '../src/db/client.js';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    sizes: { type: 'string', default: '10000,1000000' },
    measure: { type: 'string', default: '100' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test' },
  },
});
const engine = args.engine === 'postgres' ? 'postgres' : 'pglite';
const SIZES = args.sizes!.split(',').map(Number).sort((a, b) => a - b);
const MEASURE = Number(args.measure);
const PER_NETWORK = 10_000;
const SPAN_DAYS = 5000;
const HISTORY_START = '2012-01-01';

async function open(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    const database = await openDatabase({ engine: 'pglite' });
    await prepareDatabase(database);
    return { database, drop: () => database.close() };
  }
  const schema = `vigia_bench_rules_${randomUUID().slice(0, 8)}`;
  const admin = await openDatabase({ engine: 'postgres', url: args.url!, poolSize: 1 });
  await sql.raw(`create schema ${quoteIdent(schema)}`).execute(admin.db);
  const database = await openDatabase({ engine: 'postgres', url: args.url!, schema, poolSize: 2 });
  await prepareDatabase(database);
  return {
    database,
    drop: async () => {
      await database.close();
      await sql.raw(`drop schema ${quoteIdent(schema)} cascade`).execute(admin.db);
      await admin.close();
    },
  };
}

async function network(database: Database, n: number): Promise<{ networkId: string; shelterId: string }> {
  const networkId = randomUUID();
  const shelterId = randomUUID();
  await database.db.insertInto('organizations').values([
    { id: networkId, slug: `red-${n}-${networkId.slice(0, 6)}`, name: `Red ${n}`, kind: 'network' },
    { id: shelterId, slug: `albergue-${n}-${shelterId.slice(0, 6)}`, name: `Albergue ${n}`, kind: 'shelter' },
  ]).execute();
  await database.db.insertInto('network_members').values({ network_id: networkId, organization_id: shelterId }).execute();
  return { networkId, shelterId };
}

// One network's 10k verified incidents over the 14 years, with their facts, in three statements.
async function fillNetwork(database: Database, target: { networkId: string; shelterId: string }, offset: number): Promise<void> {
  await sql`
    insert into incidents (id, organization_id, reference, status, document, title, state_code, start_date,
                           act_types, perpetrator_types, victim_types, place_type, shared_with_networks, verified_at)
    select gen_random_uuid(), ${target.shelterId}::uuid, 'BENCH-' || (${offset}::int + g), 'verified', '{}'::jsonb, 'Incidente histórico',
           lpad(((g * 7) % 32 + 1)::text, 2, '0'), ${HISTORY_START}::date + (g % ${SPAN_DAYS}),
           array[(array['HARASSMENT','SURVEILLANCE','ATTEMPTED_ENTRY','MIGRATION_CHECK','THREAT'])[g % 5 + 1]],
           array[(array['GN','INM','POL_MUN','SEDENA','UNKNOWN'])[g % 5 + 1]], array['ORGANIZATION'],
           (array['MIGRANT_SHELTER','SHELTER_SURROUNDINGS','ROAD','CHECKPOINT'])[g % 4 + 1], true, now()
    from generate_series(1, ${PER_NETWORK}::int) g`.execute(database.db);
  await sql`
    insert into alert_incident_facts (network_id, incident_id, organization_id, state_code, occurred_on, act_types,
                                      perpetrator_types, victim_types, place_type, shelter_key, legal_rule_ids)
    select ${target.networkId}::uuid, id, organization_id, state_code, start_date, act_types, perpetrator_types,
           victim_types, place_type, 'org:h' || (abs(hashtext(id::text)) % 40), '{}'
    from incidents where organization_id = ${target.shelterId}::uuid`.execute(database.db);
  await sql`
    insert into alert_daily_counts (network_id, state_code, day, incidents)
    select network_id, state_code, occurred_on, count(*) from alert_incident_facts
    where network_id = ${target.networkId}::uuid group by network_id, state_code, occurred_on`.execute(database.db);
}

async function measure(database: Database, target: { networkId: string; shelterId: string }, round: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < MEASURE; i++) {
    const id = randomUUID();
    // New incidents land in the last year of the history, where the windows are as full as anywhere.
    await database.db.insertInto('incidents').values({
      id,
      organization_id: target.shelterId,
      reference: `NEW-${round}-${i}`,
      status: 'verified',
      document: JSON.stringify({ place: { shelterOrganizationId: null }, victims: [] }),
      title: 'Incidente nuevo',
      state_code: String(((i * 5) % 32) + 1).padStart(2, '0'),
      start_date: sql<string>`${HISTORY_START}::date + ${SPAN_DAYS - 365 + ((i * 37) % 365)}::int` as never,
      act_types: i % 10 === 0 ? ['DEATH_THREAT'] : ['ATTEMPTED_ENTRY'],
      perpetrator_types: ['GN'],
      victim_types: ['ORGANIZATION'],
      place_type: 'MIGRANT_SHELTER',
      legal_rule_ids: i % 7 === 0 ? ['R1'] : [],
      shared_with_networks: true,
    }).execute();
    const started = performance.now();
    await evaluateIncident(database, id);
    times.push(performance.now() - started);
  }
  return times;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const { database, drop } = await open();
try {
  const first = await network(database, 0);
  let stored = 0;
  const results: Array<{ size: number; median: number; mean: number }> = [];
  for (const [round, size] of SIZES.entries()) {
    const fillStarted = performance.now();
    while (stored < size) {
      const target = stored === 0 ? first : await network(database, stored / PER_NETWORK);
      await fillNetwork(database, target, stored);
      stored += PER_NETWORK;
    }
    await sql`analyze`.execute(database.db);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    // A first few to warm caches and plans, not counted.
    await measure(database, first, 1000 + round);
    const times = await measure(database, first, round);
    results.push({ size, median: median(times), mean: mean(times) });
    console.log(`${engine}: ${stored.toLocaleString('en')} incidents stored (filled in ${fillSeconds.toFixed(1)} s): ` +
      `evaluation per new verified incident median ${median(times).toFixed(2)} ms, mean ${mean(times).toFixed(2)} ms over ${MEASURE}`);
  }
  const base = results[0]!;
  for (const r of results.slice(1)) {
    const ratio = r.median / base.median;
    console.log(`${engine}: ratio ${r.size.toLocaleString('en')} / ${base.size.toLocaleString('en')} stored (median): ${ratio.toFixed(2)} ` +
      `(mean ${(r.mean / base.mean).toFixed(2)}) — ${ratio < 2 ? 'under 2: OK' : 'NOT under 2'}`);
  }
} finally {
  await drop();
}
