import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { migrate, migrationStatus, MigrationError, MIGRATIONS_DIR, readMigrations } from './migrate.js';

/** A migrations folder with the given files, plus the shipped migrations unless `alone`. */
function tempMigrations(files: Record<string, string>, { alone = false } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-migrations-'));
  if (!alone) fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

it('reads the shipped migrations in order, each with a checksum', () => {
  const migrations = readMigrations(MIGRATIONS_DIR);
  expect(migrations.length).toBeGreaterThan(0);
  expect(migrations.map((m) => m.id)).toEqual([...migrations.map((m) => m.id)].sort());
  for (const m of migrations) expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
});

it('refuses a badly named migration file', () => {
  const dir = tempMigrations({ 'add_things.sql': 'select 1;' }, { alone: true });
  expect(() => readMigrations(dir)).toThrow(/add_things\.sql is not named YYYYMMDDTHHMM_description\.sql/);
});

describeEachEngine(
  'migrate',
  (getDatabase) => {
    it('applies the shipped migrations once; a second run applies nothing', async () => {
      const database = getDatabase();
      const first = await migrate(database);
      expect(first).toEqual(readMigrations().map((m) => m.id));
      expect(await migrate(database)).toEqual([]);
      const status = await migrationStatus(database);
      expect(status.pending).toEqual([]);
      expect(status.applied.map((a) => a.id)).toEqual(first);
    });

    it('stops at a failing migration, names it, and leaves nothing of it behind', async () => {
      const database = getDatabase();
      const dir = tempMigrations({
        '20990101T0000_good.sql': 'create table mig_good (id int);',
        '20990101T0001_bad.sql': 'create table mig_half (id int);\nselect * from no_such_table;',
        '20990101T0002_later.sql': 'create table mig_later (id int);',
      });
      await expect(migrate(database, dir)).rejects.toThrow(
        new MigrationError('Migration 20990101T0001_bad.sql failed: relation "no_such_table" does not exist'),
      );
      const tables = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_name in ('mig_good', 'mig_half', 'mig_later') and table_schema = current_schema()`.execute(
        database.db,
      );
      expect(tables.rows.map((r) => r.name)).toEqual(['mig_good']);
      const status = await migrationStatus(database, dir);
      expect(status.pending).toEqual(['20990101T0001_bad', '20990101T0002_later']);
    });

    it('refuses to run when an applied migration was edited afterwards', async () => {
      const database = getDatabase();
      const dir = tempMigrations({ '20990101T0000_good.sql': 'create table mig_good (id int, edited int);' });
      await expect(migrate(database, dir)).rejects.toThrow(/20990101T0000_good changed after they ran/);
    });

    it('refuses a database that is newer than the code', async () => {
      const database = getDatabase();
      const dir = tempMigrations({}, { alone: true });
      fs.writeFileSync(path.join(dir, '20990101T0000_good.sql'), 'create table mig_good (id int);');
      await expect(migrate(database, dir)).rejects.toThrow(/does not know: 20261128T0400_foundation/);
    });
  },
  { prepared: false },
);
