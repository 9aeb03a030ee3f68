import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './client.js';

/** Migrations ship as SQL files next to this module (copied into dist/ by the build). */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

const FILE_PATTERN = /^(\d{8}T\d{4})_[a-z0-9_]+\.sql$/;
// Any constant will do; it only has to be the same for every Vigía process sharing a database.
const MIGRATION_LOCK_KEY = 7_421_001;

export interface MigrationFile {
  id: string;
  file: string;
  checksum: string;
  sql: string;
}

export interface MigrationStatus {
  applied: Array<{ id: string; appliedAt: Date }>;
  pending: string[];
  /** Applied migrations whose file changed afterwards: the database no longer matches the code. */
  modified: string[];
  /** Applied migrations this version of Vigía does not know (the database is newer than the code). */
  unknown: string[];
}

/** A migration problem that must stop the start: the message says which file and why. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Reads the migration files in order; a badly named file is an error, not something to skip. */
export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file) => {
    const match = FILE_PATTERN.exec(file);
    if (!match) {
      throw new MigrationError(
        `Migration file ${file} is not named YYYYMMDDTHHMM_description.sql (lower case, digits, underscores).`,
      );
    }
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    return { id: file.replace(/\.sql$/, ''), file, checksum: sha256(text), sql: text };
  });
}

async function ensureTable(database: Database): Promise<void> {
  await sql`create table if not exists schema_migrations (
    id text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(database.db);
}

export async function migrationStatus(database: Database, dir?: string): Promise<MigrationStatus> {
  const files = readMigrations(dir);
  await ensureTable(database);
  const rows = await database.db.selectFrom('schema_migrations').selectAll().orderBy('id').execute();
  const byId = new Map(files.map((f) => [f.id, f]));
  const appliedIds = new Set(rows.map((r) => r.id));
  return {
    applied: rows.map((r) => ({ id: r.id, appliedAt: r.applied_at })),
    pending: files.filter((f) => !appliedIds.has(f.id)).map((f) => f.id),
    modified: rows.filter((r) => byId.has(r.id) && byId.get(r.id)!.checksum !== r.checksum).map((r) => r.id),
    unknown: rows.filter((r) => !byId.has(r.id)).map((r) => r.id),
  };
}

/**
 * Applies pending migrations, each in its own transaction, in file order. Forward only: there are no
 * down migrations. Refuses to run when an applied migration was edited or the database is newer than
 * the code. Safe to run from several processes at once (an advisory lock serializes them).
 */
export async function migrate(database: Database, dir?: string): Promise<string[]> {
  const files = readMigrations(dir);
  const status = await migrationStatus(database, dir);
  if (status.modified.length > 0) {
    throw new MigrationError(
      `Applied migration(s) ${status.modified.join(', ')} changed after they ran. ` +
        'Migrations are forward-only: restore the original file and add a new migration instead.',
    );
  }
  if (status.unknown.length > 0) {
    throw new MigrationError(
      `The database has migration(s) this version of Vigía does not know: ${status.unknown.join(', ')}. ` +
        'Run a newer version of Vigía against this database.',
    );
  }
  const applied: string[] = [];
  for (const migration of files) {
    const done = await database.transaction(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      const already = await trx
        .selectFrom('schema_migrations')
        .select('id')
        .where('id', '=', migration.id)
        .executeTakeFirst();
      if (already) return false;
      try {
        await sql.raw(migration.sql).execute(trx);
      } catch (error) {
        throw new MigrationError(`Migration ${migration.file} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await trx.insertInto('schema_migrations').values({ id: migration.id, checksum: migration.checksum }).execute();
      return true;
    });
    if (done) applied.push(migration.id);
  }
  return applied;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
