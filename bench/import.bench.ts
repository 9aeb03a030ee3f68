/**
 * How fast a large spreadsheet imports: `npx tsx bench/import.bench.ts [--rows 100000] [--engine pglite|postgres]`
 * (postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, in a schema of its own dropped afterwards).
 * Prints the dry run (parse + map + validate), the real import (every row through createIncidentIn:
 * permission, codes, sealing, legal qualification, version, audit) and, as a baseline measured in the
 * same run on the same engine, a bare multi-row insert of as many rows with documents of the same size.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { userActor } from '../src/auth/user-actor.js';
import { importIncidents } from '../src/commands/import-incidents.js';
import { Keyring } from '../src/crypto/keyring.js';
import { loadMasterKeys } from '../src/crypto/master-keys.js';
import { prepareDatabase } from '../src/db/bootstrap.js';
import { openDatabase, quoteIdent, type Database } from '../src/db/client.js';
import { membershipsOfUser } from '../src/db/repositories/user.repository.js';
import { loadConfigWith } from '../src/server/config.js';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const rows = Number(argument('rows', '100000'));
const engine = argument('engine', 'pglite');
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive whole number');
if (engine !== 'pglite' && engine !== 'postgres') throw new Error('--engine must be pglite or postgres');

const MAPPING = {
  version: 1,
  title: { column: 'titulo' },
  narrative: { column: 'relato' },
  startDate: { column: 'fecha', format: 'DD/MM/YYYY' },
  state: { column: 'estado' },
  municipality: { column: 'municipio' },
  placeType: { value: 'MIGRANT_SHELTER' },
  acts: { column: 'agresion', separator: ';', values: { Hostigamiento: 'HARASSMENT', Vigilancia: 'SURVEILLANCE', 'Intento de ingreso': 'ATTEMPTED_ENTRY', Amenaza: 'THREAT' } },
  perpetrators: { column: 'perpetrador', values: { 'Guardia Nacional': 'GN', INM: 'INM', 'Policía municipal': 'POL_MUN' }, default: 'UNKNOWN' },
  victim: { kind: { value: 'organization' }, characteristics: { value: 'HUMAN_RIGHTS_ORGANIZATION' } },
  source: { type: { value: 'NGO_REPORT' } },
};
const PLACES = [['Sonora', 'Agua Prieta'], ['Chiapas', 'Tapachula'], ['Coahuila', 'Saltillo'], ['Oaxaca', '043'], ['26', '26030']];
const ACTS = ['Hostigamiento', 'Vigilancia; Hostigamiento', 'Intento de ingreso; Amenaza', 'Amenaza'];
const PERPETRATORS = ['Guardia Nacional', 'INM', 'Policía municipal', 'desconocidos'];

function writeCsv(file: string): void {
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, 'titulo,fecha,estado,municipio,agresion,perpetrador,relato\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const [state, municipality] = PLACES[i % PLACES.length]!;
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    chunk += `Caso ${i + 1} en el albergue,${day}/${month}/${2019 + (i % 6)},${state},${municipality},"${ACTS[i % ACTS.length]}",${PERPETRATORS[i % PERPETRATORS.length]},"Relato del caso ${i + 1}: llegaron, preguntaron por las personas albergadas y se fueron."\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

async function open(): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const database = await openDatabase({ engine: 'pglite' });
    await prepareDatabase(database);
    return { database, cleanup: () => database.close() };
  }
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('--engine postgres needs BENCH_DATABASE_URL or TEST_DATABASE_URL');
  const schema = `vigia_bench_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ engine: 'postgres', url, poolSize: 1 });
  await sql.raw(`create schema ${quoteIdent(schema)}`).execute(admin.db);
  const database = await openDatabase({ engine: 'postgres', url, schema, poolSize: 4 });
  await prepareDatabase(database);
  return {
    database,
    cleanup: async () => {
      await database.close();
      await sql.raw(`drop schema ${quoteIdent(schema)} cascade`).execute(admin.db);
      await admin.close();
    },
  };
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(8)} s  ${Math.round(rows / seconds).toString().padStart(7)} rows/s\n`);
  return seconds;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-bench-'));
const file = path.join(dir, 'incidents.csv');
writeCsv(file);
const config = loadConfigWith({ VIGIA_DATA_DIR: dir, VIGIA_MASTER_KEY: randomBytes(32).toString('base64'), VIGIA_MASTER_KEY_FILE: undefined, VIGIA_PREVIOUS_MASTER_KEYS: undefined, DATABASE_URL: undefined });
const keyring = new Keyring(loadMasterKeys(config));
const { database, cleanup } = await open();
try {
  const organization = await database.db.insertInto('organizations').values({ slug: 'bench', name: 'Albergue de prueba', kind: 'shelter' }).returning('id').executeTakeFirstOrThrow();
  const user = await database.db.insertInto('users').values({ email: 'bench@vigia.local', display_name: 'Bench' }).returningAll().executeTakeFirstOrThrow();
  await database.db.insertInto('memberships').values({ user_id: user.id, organization_id: organization.id, role: 'documenter' }).execute();
  const actor = userActor(user, await membershipsOfUser(database.db, user.id), { id: 'bench', mfa_verified: true });
  const run = (dryRun: boolean) =>
    importIncidents({ database, keyring, actor, organizationId: organization.id, openCsv: () => fs.createReadStream(file), mapping: MAPPING, dryRun }).then((report) => {
      if (report.invalid > 0) throw new Error(`unexpected invalid rows: ${JSON.stringify(report.problems.slice(0, 3))}`);
      return report;
    });

  process.stdout.write(`Import of ${rows} rows (${(fs.statSync(file).size / 1e6).toFixed(1)} MB) on ${engine}, node ${process.version}\n`);
  const dry = await timed('dry run (parse, map, validate)', () => run(true));
  const sample = JSON.stringify({ title: 'Caso 1 en el albergue', narrative: 'x'.repeat(90), acts: [1, 2], involvements: [1, 2] }).padEnd(900, ' ');
  await sql`create table bench_bare (id uuid primary key default gen_random_uuid(), document jsonb not null)`.execute(database.db);
  const bare = await timed('baseline: bare multi-row insert (1000/stmt)', () =>
    database.transaction(async (trx) => {
      for (let i = 0; i < rows; i += 1000) {
        const n = Math.min(1000, rows - i);
        await trx.insertInto('bench_bare' as never).values(Array.from({ length: n }, () => ({ document: JSON.stringify({ s: sample }) })) as never).execute();
      }
    }),
  );
  const real = await timed('import (all-or-nothing, one transaction)', () => run(false));
  const stored = await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  process.stdout.write(`stored ${Number(stored.n)} incidents; import/bare-insert ${(real / bare).toFixed(1)}x; import/dry-run ${(real / dry).toFixed(1)}x\n`);
} finally {
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
}
