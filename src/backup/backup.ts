import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { sql, type Transaction } from 'kysely';
import type { MasterKey, MasterKeys } from '../crypto/master-keys.js';
import { quoteIdent, type Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import { VERSION } from '../server/version.js';
import { BackupFileError, BackupSealer, ByteReader, openSealedBackup } from './sealed-file.js';
import { insertRows, readSequences, restoreSequence, tableRows, tablesInForeignKeyOrder, type SequenceState, type TableInfo } from './snapshot.js';

/**
 * The content of a backup, before sealing: a sequence of records `type (1 byte) ‖ length (u32) ‖ payload`.
 *   M  meta (JSON): Vigía version, engine, applied migrations, tables with their columns
 *   T  table (JSON name), then R records: a JSON array of rows as `to_jsonb` writes them
 *   S  sequences (JSON)
 *   F  evidence file (JSON relative path), then D records (its bytes), then E (JSON size and SHA-256)
 *   Z  end (JSON summary); a backup without it is incomplete
 */
type RecordType = 'M' | 'T' | 'R' | 'S' | 'F' | 'D' | 'E' | 'Z';

interface BackupMeta {
  vigia: string;
  engine: string;
  createdAt: string;
  migrations: string[];
  tables: TableInfo[];
}

/** What a backup holds, as counted while writing or restoring it. */
export interface BackupSummary {
  rows: Record<string, number>;
  sequences: number;
  files: number;
  fileBytes: number;
}

/** A refusal to restore (the target is not empty, the schema differs): the message says what to do. */
export class RestoreRefused extends Error {
  override name = 'RestoreRefused';
}

/** Where the bytes of a backup go; awaited, so a slow disk or socket holds the producer back. */
export type BackupSink = (chunk: Buffer) => Promise<void>;

const FILE_CHUNK = 1 << 20;
const ROWS_PER_RECORD = 2000;

function frame(type: RecordType, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const head = Buffer.alloc(5);
  head.write(type, 0, 'ascii');
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/**
 * Writes an encrypted backup of the whole instance to `sink`: every table of the schema and every
 * sequence from one consistent snapshot (on PostgreSQL a REPEATABLE READ READ ONLY transaction; on the
 * embedded engine the single connection, which no other statement can use meanwhile), then the evidence
 * files, which are ciphertext already and only ever written before the records that name them commit.
 */
export async function createBackup(options: {
  database: Database;
  evidenceDir: string;
  masterKey: MasterKey;
  sink: BackupSink;
}): Promise<BackupSummary> {
  const { database, evidenceDir, masterKey, sink } = options;
  const sealer = new BackupSealer(masterKey);
  await sink(sealer.header());
  const put = async (type: RecordType, payload: Buffer | string) => {
    for (const segment of sealer.push(frame(type, payload))) await sink(segment);
  };
  const summary: BackupSummary = { rows: {}, sequences: 0, files: 0, fileBytes: 0 };

  await database.transaction(async (trx) => {
    if (database.engine === 'postgres') await sql`set transaction isolation level repeatable read, read only`.execute(trx);
    const tables = await tablesInForeignKeyOrder(trx);
    const migrations = await trx.selectFrom('schema_migrations').select('id').orderBy('id').execute();
    const meta: BackupMeta = {
      vigia: VERSION,
      engine: database.engine,
      createdAt: new Date().toISOString(),
      migrations: migrations.map((m) => m.id),
      tables,
    };
    await put('M', JSON.stringify(meta));
    for (const table of tables) {
      await put('T', JSON.stringify(table.name));
      let count = 0;
      for await (const rows of tableRows(trx, table.name, ROWS_PER_RECORD)) {
        await put('R', `[${rows.join(',')}]`);
        count += rows.length;
      }
      summary.rows[table.name] = count;
    }
    const sequences = await readSequences(trx);
    summary.sequences = sequences.length;
    await put('S', JSON.stringify(sequences));
  });

  for (const file of await listEvidenceFiles(evidenceDir)) {
    const hash = createHash('sha256');
    let bytes = 0;
    let started = false;
    try {
      for await (const chunk of createReadStream(join(evidenceDir, file), { highWaterMark: FILE_CHUNK }) as AsyncIterable<Buffer>) {
        if (!started) {
          await put('F', JSON.stringify(file));
          started = true;
        }
        hash.update(chunk);
        bytes += chunk.length;
        await put('D', chunk);
      }
    } catch (error) {
      // Removed between listing and reading (an upload finished or was deleted): nothing to keep.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !started) continue;
      throw error;
    }
    if (!started) await put('F', JSON.stringify(file));
    await put('E', JSON.stringify({ bytes, sha256: hash.digest('hex') }));
    summary.files += 1;
    summary.fileBytes += bytes;
  }
  await put('Z', JSON.stringify(summary));
  await sink(sealer.finish());
  return summary;
}

/**
 * The evidence store's files, as paths relative to it with `/` separators. Hidden entries are left
 * out: they are a write in progress or a removal half-done (see EvidenceStore), never committed data.
 */
async function listEvidenceFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  await walk(root);
  return files;
}

/** Reads the records of a backup's plaintext. */
async function* records(plaintext: AsyncIterable<Buffer>): AsyncGenerator<{ type: RecordType; payload: Buffer }> {
  const reader = new ByteReader(plaintext[Symbol.asyncIterator]());
  for (;;) {
    const head = await reader.read(5);
    if (head.length === 0) return;
    if (head.length < 5) throw new BackupFileError('the backup is incomplete: its content ends mid-record.');
    const length = head.readUInt32BE(1);
    const payload = await reader.read(length);
    if (payload.length < length) throw new BackupFileError('the backup is incomplete: its content ends mid-record.');
    yield { type: head.toString('ascii', 0, 1) as RecordType, payload };
  }
}

/**
 * Reads a whole backup file's content, checking every segment and the record structure, without
 * restoring anything: what `backup create` runs on the file it wrote before calling it done.
 */
export async function verifyBackup(source: AsyncIterable<Buffer>, masterKeys: MasterKeys): Promise<BackupSummary> {
  let summary: BackupSummary | undefined;
  for await (const record of records(openSealedBackup(source, masterKeys))) {
    if (record.type === 'Z') summary = JSON.parse(record.payload.toString('utf8')) as BackupSummary;
  }
  if (!summary) throw new BackupFileError('the backup is incomplete: it has no end record.');
  return summary;
}

/**
 * Restores a backup into a freshly prepared, empty instance (refusing anything else), in one
 * transaction: the tables that preparing an instance fills (reference data, counters, the migrations
 * list) are replaced by the backup's, every row keeps its ids, sequences are put back where they stood,
 * and the evidence files are written to a staging directory that becomes the store only if everything
 * was read and authenticated. A failure at any point leaves the instance as it was.
 */
export async function restoreBackup(options: {
  database: Database;
  evidenceDir: string;
  masterKeys: MasterKeys;
  source: AsyncIterable<Buffer>;
}): Promise<BackupSummary> {
  const { database, evidenceDir, masterKeys, source } = options;
  const stream = records(openSealedBackup(source, masterKeys));
  const next = async () => {
    const { value, done } = await stream.next();
    if (done) throw new BackupFileError('the backup is incomplete: it has no end record.');
    return value;
  };
  await refuseNonEmptyEvidenceStore(evidenceDir);
  const staging = join(dirname(evidenceDir), `.evidence-restoring-${randomBytes(6).toString('hex')}`);
  try {
    return await database.transaction(async (trx) => {
      const first = await next();
      if (first.type !== 'M') throw new BackupFileError('the backup does not start with its description: it is damaged.');
      const meta = JSON.parse(first.payload.toString('utf8')) as BackupMeta;
      const targetTables = await checkTarget(trx, meta);
      const summary: BackupSummary = { rows: {}, sequences: 0, files: 0, fileBytes: 0 };

      for (const table of targetTables) await sql.raw(`alter table ${quoteIdent(table.name)} disable trigger user`).execute(trx);
      await sql.raw(`truncate table ${targetTables.map((t) => quoteIdent(t.name)).join(', ')}`).execute(trx);
      const byName = new Map(meta.tables.map((t) => [t.name, t]));

      let record = await next();
      while (record.type === 'T') {
        const table = byName.get(JSON.parse(record.payload.toString('utf8')) as string);
        if (!table) throw new BackupFileError('the backup names a table it did not describe: it is damaged.');
        let count = 0;
        for (record = await next(); record.type === 'R'; record = await next()) {
          const json = record.payload.toString('utf8');
          await insertRows(trx, table, json);
          count += (JSON.parse(json) as unknown[]).length;
        }
        summary.rows[table.name] = count;
      }
      if (record.type !== 'S') throw new BackupFileError('the backup has no sequences record: it is damaged.');
      const sequences = JSON.parse(record.payload.toString('utf8')) as SequenceState[];
      for (const state of sequences) await restoreSequence(trx, state);
      summary.sequences = sequences.length;
      for (const table of targetTables) await sql.raw(`alter table ${quoteIdent(table.name)} enable trigger user`).execute(trx);

      await mkdir(staging, { recursive: true, mode: 0o700 });
      for (record = await next(); record.type === 'F'; record = await next()) {
        const bytes = await restoreFile(staging, JSON.parse(record.payload.toString('utf8')) as string, next);
        summary.files += 1;
        summary.fileBytes += bytes;
      }
      if (record.type !== 'Z') throw new BackupFileError('the backup has an unexpected record where it should end: it is damaged.');
      const written = JSON.parse(record.payload.toString('utf8')) as BackupSummary;
      if (JSON.stringify(written.rows) !== JSON.stringify(summary.rows) || written.files !== summary.files) {
        throw new BackupFileError('the backup content does not match its own summary: it is damaged.');
      }
      if ((await stream.next()).done !== true) throw new BackupFileError('the backup has content after its end record: it is damaged.');
      // Last step before the commit: the staged files become the evidence store.
      await rmdir(evidenceDir).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await rename(staging, evidenceDir);
      return summary;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Writes one evidence file from its D records, checking size and hash against its E record. */
async function restoreFile(
  staging: string,
  relativePath: string,
  next: () => Promise<{ type: RecordType; payload: Buffer }>,
): Promise<number> {
  const parts = relativePath.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
    throw new BackupFileError(`the backup names an evidence file outside the store ("${relativePath}"): it is damaged.`);
  }
  const target = join(staging, ...parts);
  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const handle = await open(target, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  let record;
  try {
    for (record = await next(); record.type === 'D'; record = await next()) {
      await handle.write(record.payload);
      hash.update(record.payload);
      bytes += record.payload.length;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (record.type !== 'E') throw new BackupFileError('an evidence file in the backup has no end: it is damaged.');
  const end = JSON.parse(record.payload.toString('utf8')) as { bytes: number; sha256: string };
  if (end.bytes !== bytes || end.sha256 !== hash.digest('hex')) {
    throw new BackupFileError(`evidence file ${relativePath} does not match its recorded hash: the backup is damaged.`);
  }
  return bytes;
}

async function refuseNonEmptyEvidenceStore(evidenceDir: string): Promise<void> {
  const entries = await readdir(evidenceDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (entries.length > 0) {
    throw new RestoreRefused(
      `the evidence store ${evidenceDir} is not empty. Restore only into a new instance: an empty data directory ` +
        '(and, with PostgreSQL, an empty database), prepared with `vigia db migrate`.',
    );
  }
}

/**
 * Refuses a target that already holds people's data or whose schema differs from the backup's; returns
 * the target's tables. "Empty" means what a freshly prepared instance is: no audit entries (every change
 * a person makes is audited), no users and no organizations; the rest of what preparation filled is
 * reference data and counters, which the backup replaces.
 */
async function checkTarget(trx: Transaction<DB>, meta: BackupMeta): Promise<TableInfo[]> {
  const applied = (await trx.selectFrom('schema_migrations').select('id').orderBy('id').execute()).map((m) => m.id);
  const missing = meta.migrations.filter((id) => !applied.includes(id));
  const extra = applied.filter((id) => !meta.migrations.includes(id));
  if (missing.length > 0) {
    throw new RestoreRefused(
      `this backup comes from a newer schema (migration ${missing[0]} is not known here); restore it with Vigía ${meta.vigia} or later.`,
    );
  }
  if (extra.length > 0) {
    throw new RestoreRefused(
      `this backup comes from an older schema (it predates migration ${extra[0]}); restore it with Vigía ${meta.vigia}, then upgrade.`,
    );
  }
  for (const table of ['audit_log', 'users', 'organizations'] as const) {
    const row = await sql<{ any: boolean }>`select exists (select 1 from ${sql.raw(quoteIdent(table))}) as any`.execute(trx);
    if (row.rows[0]!.any) {
      throw new RestoreRefused(
        `the target instance is not empty (${table} has rows). Restore only into a new instance: an empty data ` +
          'directory (and, with PostgreSQL, an empty database), prepared with `vigia db migrate`. Nothing was changed.',
      );
    }
  }
  const tables = await tablesInForeignKeyOrder(trx);
  const describe = (t: TableInfo) => `${t.name}(${t.columns.join(',')})`;
  const here = new Set(tables.map(describe));
  const mismatch = meta.tables.find((t) => !here.has(describe(t))) ?? tables.find((t) => !meta.tables.some((m) => describe(m) === describe(t)));
  if (mismatch) {
    throw new RestoreRefused(`table ${mismatch.name} differs between the backup and this instance; restore with Vigía ${meta.vigia}.`);
  }
  return tables;
}
