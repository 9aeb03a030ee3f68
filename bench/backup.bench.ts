/**
 * How fast a backup is written and restored: `npx tsx bench/backup.bench.ts [--rows 20000] [--evidence-mb 64]
 * [--engine pglite|postgres]` (postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, in schemas of their
 * own dropped afterwards). Fills an instance with incidents and evidence files, then prints MB/s for
 * `createBackup` and `restoreBackup`, and, as a baseline measured in the same run on the same data, a
 * plain copy of the data (the PGlite data directory and evidence files with `cp -r`; on PostgreSQL
 * `pg_dump` of the schema plus the evidence copy).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createBackup, restoreBackup } from '../src/backup/backup.js';
import { generateMasterKeyText, parseMasterKey } from '../src/crypto/master-keys.js';
import { prepareDatabase } from '../src/db/bootstrap.js';
import { openDatabase, quoteIdent, type Database } from '../src/db/client.js';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const rows = Number(argument('rows', '20000'));
const evidenceMb = Number(argument('evidence-mb', '64'));
const engine = argument('engine', 'pglite');
if (engine !== 'pglite' && engine !== 'postgres') throw new Error('--engine must be pglite or postgres');
const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
if (engine === 'postgres' && !url) throw new Error('set BENCH_DATABASE_URL or TEST_DATABASE_URL for --engine postgres');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-bench-backup-'));
const masterKey = parseMasterKey(generateMasterKeyText(), 'bench');
const schemas: string[] = [];

async function open(name: string): Promise<Database> {
  if (engine === 'pglite') return openDatabase({ engine: 'pglite', dataDir: path.join(work, name, 'db') });
  const schema = `vigia_bench_${randomBytes(5).toString('hex')}`;
  const admin = await openDatabase({ engine: 'postgres', url: url!, poolSize: 1 });
  await sql.raw(`create schema ${quoteIdent(schema)}`).execute(admin.db);
  await admin.close();
  schemas.push(schema);
  return openDatabase({ engine: 'postgres', url: url!, schema, poolSize: 2 });
}

function sizeOf(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(target).reduce((sum, name) => sum + sizeOf(path.join(target, name)), 0);
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

try {
  const source = await open('source');
  await prepareDatabase(source);
  const organization = await source.db
    .insertInto('organizations')
    .values({ slug: 'bench', name: 'Bench', kind: 'shelter' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const narrative = 'x'.repeat(800);
  for (let done = 0; done < rows; done += 500) {
    const batch = Array.from({ length: Math.min(500, rows - done) }, (_, i) => ({
      id: randomUUID(),
      organization_id: organization.id,
      reference: `BENCH-${done + i}`,
      document: JSON.stringify({ narrative, n: done + i }),
      title: `Incidente ${done + i}`,
    }));
    await source.db.insertInto('incidents').values(batch as never).execute();
  }
  const evidence = path.join(work, 'source', 'evidence');
  for (let i = 0; i < evidenceMb; i += 1) {
    fs.mkdirSync(path.join(evidence, `upload-${String(i).padStart(6, '0')}`), { recursive: true });
    fs.writeFileSync(path.join(evidence, `upload-${String(i).padStart(6, '0')}`, 'original.seal'), randomBytes(1 << 20));
  }

  const file = path.join(work, 'backup.vigia');
  let start = process.hrtime.bigint();
  const out = createWriteStream(file, { mode: 0o600 });
  await createBackup({
    database: source,
    evidenceDir: evidence,
    masterKey,
    sink: (chunk) => new Promise((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve()))),
  });
  await new Promise<void>((resolve) => out.end(resolve));
  const createSeconds = seconds(start);
  const backupBytes = fs.statSync(file).size;

  let baselineSeconds: number;
  let baselineName: string;
  if (engine === 'pglite') {
    await source.close();
    start = process.hrtime.bigint();
    execFileSync('cp', ['-r', path.join(work, 'source'), path.join(work, 'copy')]);
    baselineSeconds = seconds(start);
    baselineName = 'cp -r of the PGlite data directory and evidence (server stopped)';
  } else {
    start = process.hrtime.bigint();
    execFileSync('pg_dump', ['--dbname', url!, '--schema', schemas[0]!, '--format', 'custom', '--file', path.join(work, 'dump.pgc')]);
    execFileSync('cp', ['-r', evidence, path.join(work, 'evidence-copy')]);
    baselineSeconds = seconds(start);
    baselineName = 'pg_dump --format custom of the schema + cp -r of the evidence';
    await source.close();
  }

  const target = await open('target');
  await prepareDatabase(target);
  start = process.hrtime.bigint();
  await restoreBackup({
    database: target,
    evidenceDir: path.join(work, 'target', 'evidence'),
    masterKeys: { current: masterKey, previous: [] },
    source: createReadStream(file),
  });
  const restoreSeconds = seconds(start);
  await target.close();

  const mb = backupBytes / 1e6;
  const baselineRate = mb / baselineSeconds;
  console.log(`engine ${engine}: ${rows} incidents, ${evidenceMb} MB of evidence; backup file ${mb.toFixed(1)} MB`);
  console.log(`create   ${createSeconds.toFixed(2)} s  ${(mb / createSeconds).toFixed(1)} MB/s  (${(mb / createSeconds / baselineRate).toFixed(2)}× baseline)`);
  console.log(`restore  ${restoreSeconds.toFixed(2)} s  ${(mb / restoreSeconds).toFixed(1)} MB/s  (${(mb / restoreSeconds / baselineRate).toFixed(2)}× baseline)`);
  console.log(`baseline ${baselineSeconds.toFixed(2)} s  ${baselineRate.toFixed(1)} MB/s  ${baselineName}`);
} finally {
  if (schemas.length > 0) {
    const admin = await openDatabase({ engine: 'postgres', url: url!, poolSize: 1 });
    for (const schema of schemas) await sql.raw(`drop schema ${quoteIdent(schema)} cascade`).execute(admin.db);
    await admin.close();
  }
  fs.rmSync(work, { recursive: true, force: true });
}
