/**
 * How fast incident search answers on a realistic amount of data, on either engine:
 *
 *   npx tsx bench/search.bench.ts [--engine pglite|postgres] [--count 100000] [--runs 50] [--url URL] [--explain]
 *
 * It fills a fresh database (PGlite in memory, or a throw-away schema on the PostgreSQL server at --url,
 * default $TEST_DATABASE_URL) with synthetic incidents spread like real ones (mostly along the migrant
 * routes, 2018–2026, Spanish narratives from phrase fragments), then times typical searches and prints
 * median and p95 beside a baseline measured in the same run. The figures go in reports, never in tests.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CompiledQuery, sql, type KyselyPlugin, type PluginTransformQueryArgs } from 'kysely';
import { prepareDatabase } from '../src/db/bootstrap.js';
import type { Database } from '../src/db/client.js';
import {
  searchIncidents,
  searchVectorSql,
  type IncidentSearchQuery,
  type IncidentSearchScope,
} from '../src/db/repositories/incident-search.js';
import type { IncidentStatus } from '../src/db/schema.js';
import { openBenchDatabase } from './bench-database.js';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    count: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '50' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test' },
    explain: { type: 'boolean', default: false },
  },
});
const engine = args.engine === 'postgres' ? 'postgres' : 'pglite';
const COUNT = Number(args.count);
const RUNS = Number(args.runs);
const ORGANIZATIONS = 50;
const TARGET_MS = 50;

// A seeded generator: every run builds the same data set, so figures compare across runs and engines.
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20261128);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const some = <T>(items: readonly T[], max: number): T[] => {
  const n = 1 + Math.floor(random() * max);
  return [...new Set(Array.from({ length: n }, () => pick(items)))];
};

// Weights roughly after where attacks on shelters are documented: the southern border, the Gulf and
// central routes, the northern border cities; every state has some.
const STATE_WEIGHTS: Record<string, number> = {
  '07': 20, '27': 12, '30': 10, '20': 8, '05': 7, '02': 7, '26': 6, '08': 6, '28': 6, '19': 5, '09': 5,
  '21': 4, '14': 4, '24': 3, '11': 3, '15': 3, '25': 2, '32': 2, '16': 2, '12': 2, '10': 2, '13': 2,
  '22': 1, '29': 1, '17': 1, '18': 1, '23': 1, '31': 1, '04': 1, '06': 1, '01': 1, '03': 1,
};
const ACT_TYPES = ['HARASSMENT', 'INTIMIDATION', 'SURVEILLANCE', 'THREAT', 'DEATH_THREAT', 'STIGMATIZATION', 'CRIMINALIZATION', 'ARBITRARY_DETENTION', 'RAID', 'ATTEMPTED_ENTRY', 'MIGRATION_CHECK', 'INFO_DEMAND', 'OBSTRUCTION', 'ROUNDUP_NEARBY', 'PHYSICAL_ATTACK', 'EXCESSIVE_FORCE', 'PROPERTY_DAMAGE', 'THEFT', 'DEPORTATION', 'DISAPPEARANCE'];
const PERPETRATOR_TYPES = ['GN', 'GN', 'GN', 'INM', 'INM', 'INM', 'SEDENA', 'SEMAR', 'POL_EST', 'POL_EST', 'POL_MUN', 'POL_MUN', 'FISCALIA', 'OFFICIAL', 'ORG_CRIME', 'ORG_CRIME', 'PRIV_SEC', 'MOB', 'UNKNOWN'];
const VICTIM_TYPES = ['ORGANIZATION', 'GROUP', 'PERSON', 'MIGRANT', 'SHELTER_STAFF', 'HUMAN_RIGHTS_DEFENDER', 'VOLUNTEER', 'CHILD_ADOLESCENT', 'WOMAN', 'ASYLUM_SEEKER'];
const PLACE_TYPES = ['MIGRANT_SHELTER', 'MIGRANT_SHELTER', 'SHELTER_SURROUNDINGS', 'ROAD', 'CHECKPOINT', 'RAILWAY', 'PUBLIC_SPACE', 'HOME'];
const STATUSES: IncidentStatus[] = ['reported', 'reported', 'in_review', 'verified', 'verified', 'verified', 'rejected', 'needs_information'];

const FORCES = ['la Guardia Nacional', 'agentes del Instituto Nacional de Migración', 'la policía estatal', 'la policía municipal', 'elementos de la SEDENA', 'personas armadas sin identificar', 'la Marina', 'agentes de la Fiscalía'];
const PLACES = ['el albergue', 'la casa del migrante', 'las vías del tren', 'la caseta', 'el comedor', 'la estancia para mujeres', 'la terminal de autobuses', 'la carretera federal'];
const TITLES = [
  (f: string, p: string) => `Ingreso de ${f} a ${p}`,
  (f: string, p: string) => `Revisión migratoria de ${f} frente a ${p}`,
  (f: string, p: string) => `Hostigamiento de ${f} cerca de ${p}`,
  (f: string, p: string) => `Amenazas al personal de ${p}`,
  (f: string, p: string) => `Detención de personas migrantes por ${f} en ${p}`,
  (f: string, p: string) => `Vigilancia de ${f} en ${p}`,
  (f: string, p: string) => `Operativo de ${f} en ${p}`,
];
const SENTENCES = [
  (f: string, p: string) => `Alrededor de las ${1 + Math.floor(random() * 12)} de la noche, ${f} intentó ingresar a ${p} sin mostrar una orden escrita.`,
  (f: string, p: string) => `Los agentes pidieron la lista de personas hospedadas en ${p} y se negaron a identificarse.`,
  (f: string) => `Una patrulla de ${f} permaneció estacionada frente a la entrada durante varias horas.`,
  () => `El coordinador recibió llamadas con amenazas de muerte y mensajes intimidatorios.`,
  (f: string) => `Se realizó una revisión migratoria a las personas que salían a comprar comida; ${f} detuvo a varias de ellas.`,
  () => `Las personas voluntarias documentaron el hecho con fotografías y videos.`,
  (f: string, p: string) => `Vecinos reportaron que ${f} recorría las calles alrededor de ${p} preguntando por centroamericanos.`,
  () => `Una familia hondureña con niñas y niños pequeños fue separada durante la detención.`,
  () => `Se presentó una queja ante la Comisión Nacional de los Derechos Humanos.`,
  (f: string) => `Testigos señalaron que ${f} utilizó fuerza excesiva y golpeó a dos jóvenes.`,
  () => `La puerta principal fue dañada y se llevaron documentos del archivo.`,
  () => `El personal del albergue acompañó a las personas a la estación migratoria para exigir información.`,
  (f: string, p: string) => `Días después, ${f} volvió a ${p} y exigió información sobre las personas solicitantes de asilo.`,
  () => `Las autoridades locales negaron haber ordenado el operativo.`,
];

interface Generated {
  organizations: string[];
}

async function fill(database: Database): Promise<Generated> {
  const db = database.db;
  const organizations: string[] = [];
  for (let i = 0; i < ORGANIZATIONS; i += 1) {
    const { id } = await db
      .insertInto('organizations')
      .values({ slug: `albergue-${i}`, name: `Albergue ${i}`, kind: 'shelter', state_code: pickState() })
      .returning('id')
      .executeTakeFirstOrThrow();
    organizations.push(id);
  }
  const municipalities = new Map<string, string[]>();
  for (const { cvegeo, state_code } of await db.selectFrom('ref_municipalities').select(['cvegeo', 'state_code']).where('retired_in', 'is', null).execute()) {
    municipalities.set(state_code, [...(municipalities.get(state_code) ?? []), cvegeo]);
  }

  // Loading into a table without its secondary indexes and building them afterwards is several times
  // faster than updating them row by row; the indexes are rebuilt from their own definitions, so the
  // searches run on exactly what the migrations made.
  const { rows: indexes } = await sql<{ name: string; definition: string }>`
    select indexname as name, indexdef as definition from pg_indexes
    where schemaname = current_schema() and tablename = 'incidents'
      and indexname not in (select conname from pg_constraint where conrelid = 'incidents'::regclass)`.execute(db);
  for (const { name } of indexes) await sql`drop index ${sql.id(name)}`.execute(db);

  const BATCH = 1000;
  const start2018 = Date.UTC(2018, 0, 1);
  const span = Date.UTC(2026, 11, 31) - start2018;
  for (let done = 0; done < COUNT; done += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, COUNT - done) }, (_, i) => {
      const n = done + i + 1;
      const force = pick(FORCES);
      const place = pick(PLACES);
      const title = pick(TITLES)(force, place);
      const narrative = Array.from({ length: 3 + Math.floor(random() * 5) }, () => pick(SENTENCES)(pick([force, force, pick(FORCES)]), place)).join(' ');
      const state = pickState();
      // A few municipalities per state gather most incidents (the route cities), as in real data.
      const stateMunicipalities = municipalities.get(state)!;
      const municipality = random() < 0.7 ? stateMunicipalities[Math.floor(random() * Math.min(5, stateMunicipalities.length))]! : pick(stateMunicipalities);
      const precisionRoll = random();
      const precision = precisionRoll < 0.75 ? 'day' : precisionRoll < 0.9 ? 'month' : 'approximate';
      let start = new Date(start2018 + Math.floor(random() * span)).toISOString().slice(0, 10);
      let end: string | null = null;
      if (precision === 'month') {
        start = `${start.slice(0, 8)}01`;
        const last = new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)), 0));
        end = last.toISOString().slice(0, 10);
      } else if (random() < 0.1) {
        end = new Date(Date.parse(start) + Math.floor(random() * 10) * 86_400_000).toISOString().slice(0, 10);
      }
      const updated = new Date(Math.min(Date.parse(start) + Math.floor(random() * 400) * 86_400_000, Date.UTC(2026, 11, 31)));
      const document = { title, narrative, narrativeLanguage: 'es', startDate: { date: start, precision }, place: { stateCode: state, municipalityCode: municipality } };
      return {
        id: randomUUID(),
        organization_id: pick(organizations),
        reference: `INC-${String(n).padStart(6, '0')}`,
        status: pick(STATUSES),
        document: JSON.stringify(document),
        title,
        state_code: state,
        municipality_code: municipality,
        place_type: pick(PLACE_TYPES),
        start_date: start,
        date_precision: precision,
        end_date: end,
        act_types: some(ACT_TYPES, 3),
        perpetrator_types: some(PERPETRATOR_TYPES, 2),
        victim_types: some(VICTIM_TYPES, 2),
        has_evidence: random() < 0.3,
        shared_with_networks: random() < 0.4,
        archived_at: random() < 0.03 ? updated : null,
        search_vector: searchVectorSql(title, narrative),
        created_at: updated,
        updated_at: updated,
      } as const;
    });
    await db.insertInto('incidents').values(rows).execute();
  }
  for (const { definition } of indexes) await sql.raw(definition).execute(db);
  await sql`analyze`.execute(db);
  return { organizations };
}

function pickState(): string {
  const total = Object.values(STATE_WEIGHTS).reduce((a, b) => a + b, 0);
  let roll = random() * total;
  for (const [code, weight] of Object.entries(STATE_WEIGHTS)) {
    roll -= weight;
    if (roll < 0) return code;
  }
  return '07';
}

// Captures the statement a search sends, to print its plan with --explain.
class CapturePlugin implements KyselyPlugin {
  last: PluginTransformQueryArgs | undefined;
  transformQuery(args: PluginTransformQueryArgs) {
    this.last = args;
    return args.node;
  }
  async transformResult<R>(args: { result: R }): Promise<R> {
    return args.result;
  }
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const ms = (value: number) => `${value.toFixed(2).padStart(8)} ms`;

async function main(): Promise<void> {
  const openedAt = performance.now();
  const { database, dispose } = await openBenchDatabase(engine, args.url);
  try {
    await prepareDatabase(database);
    const preparedAt = performance.now();
    const { organizations } = await fill(database);
    const filledAt = performance.now();
    console.log(`engine ${engine}: prepared in ${((preparedAt - openedAt) / 1000).toFixed(1)} s, ${COUNT} incidents in ${((filledAt - preparedAt) / 1000).toFixed(1)} s`);

    // A shelter in a network of fifteen: its own incidents and what the other fourteen shared.
    const shelter: IncidentSearchScope = { organizationIds: [organizations[0]!], sharedFromOrganizationIds: organizations.slice(1, 15) };
    // A network coordinator who sees what all fifty shelters shared.
    const network: IncidentSearchScope = { organizationIds: [], sharedFromOrganizationIds: organizations };
    const period = { from: '2022-01-01', to: '2023-12-31' };
    const typical: IncidentSearchQuery = { text: 'guardia nacional albergue', stateCode: '07', ...period, sort: 'relevance', limit: 25 };
    const queries: Array<{ name: string; scope: IncidentSearchScope; query: IncidentSearchQuery }> = [
      { name: 'typical: text + state + period (shelter)', scope: shelter, query: typical },
      { name: 'typical: text + state + period (network)', scope: network, query: typical },
      { name: 'text "revisión migratoria" + perpetrator GN', scope: network, query: { text: 'revisión migratoria', perpetratorTypes: ['GN'], sort: 'relevance', limit: 25 } },
      { name: 'text "revisión migratoria" + GN, by date', scope: network, query: { text: 'revisión migratoria', perpetratorTypes: ['GN'], sort: 'date_desc', limit: 25 } },
      { name: 'text "guardia nacional albergue" alone', scope: network, query: { text: 'guardia nacional albergue', sort: 'relevance', limit: 25 } },
      { name: 'rare words "hondureña asilo"', scope: network, query: { text: 'familia hondureña asilo', stateCode: '05', sort: 'relevance', limit: 25 } },
      { name: 'filters: state + period, by date', scope: shelter, query: { stateCode: '07', ...period, sort: 'date_desc', limit: 25 } },
      { name: 'filters: acts + evidence, by date', scope: network, query: { actTypes: ['RAID', 'ATTEMPTED_ENTRY'], hasEvidence: true, sort: 'date_desc', limit: 25 } },
      { name: 'filters: one organization, by update', scope: shelter, query: { organizationId: organizations[0]!, sort: 'updated_desc', limit: 25 } },
      { name: 'no filter, by date (network)', scope: network, query: { sort: 'date_desc', limit: 25 } },
    ];

    const capture = new CapturePlugin();
    const traced = database.db.withPlugin(capture);
    const results: Array<{ name: string; median: number; p95: number; rows: number }> = [];
    const run = async (name: string, fn: () => Promise<number>) => {
      let rows = 0;
      const samples = await time(async () => {
        rows = await fn();
      });
      results.push({ name, median: quantile(samples, 0.5), p95: quantile(samples, 0.95), rows });
    };

    await run('baseline: select 1', async () => (await sql`select 1`.execute(database.db)).rows.length);
    const { text: _text, ...withoutText } = typical;
    await run('baseline: typical without text', async () => (await searchIncidents(database.db, shelter, { ...withoutText, sort: 'date_desc' })).items.length);
    for (const { name, scope, query } of queries) {
      await run(name, async () => (await searchIncidents(database.db, scope, query)).items.length);
      if (args.explain) {
        await searchIncidents(traced, scope, query);
        const compiled = traced.getExecutor().compileQuery(capture.last!.node, capture.last!.queryId);
        const plan = await database.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, costs off) ${compiled.sql}`, [...compiled.parameters]));
        console.log(`\n-- ${name}\n${plan.rows.map((r) => r['QUERY PLAN'].replace(/'\{[0-9a-f,-]{200,}\}'/g, "'{…ids}'").slice(0, 180)).join('\n')}`);
      }
    }
    // The second page of the network's date list: a keyset page costs what the first one does.
    const first = await searchIncidents(database.db, network, { sort: 'date_desc', limit: 25 });
    await run('no filter, by date, page 2 (cursor)', async () => (await searchIncidents(database.db, network, { sort: 'date_desc', limit: 25, cursor: first.nextCursor! })).items.length);

    console.log(`\n${'query'.padEnd(46)} ${'median'.padStart(11)} ${'p95'.padStart(11)}  rows`);
    for (const r of results) console.log(`${r.name.padEnd(46)} ${ms(r.median)} ${ms(r.p95)}  ${r.rows}`);
    const byName = (name: string) => results.find((r) => r.name === name)!;
    const typicalResult = byName('typical: text + state + period (shelter)');
    const roundTrip = byName('baseline: select 1');
    const withoutWords = byName('baseline: typical without text');
    console.log(`\ntypical / select 1: ${(typicalResult.median / roundTrip.median).toFixed(1)}x; typical / same filters without text: ${(typicalResult.median / withoutWords.median).toFixed(1)}x`);
    const verdict = typicalResult.median < TARGET_MS ? 'YES' : 'NO';
    console.log(`typical filtered text search median ${typicalResult.median.toFixed(2)} ms on ${engine} with ${COUNT} incidents: under ${TARGET_MS} ms? ${verdict}`);
  } finally {
    await dispose();
  }
}

await main();
