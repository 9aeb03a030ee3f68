import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { openDatabase, quoteIdent, type Database, type Engine } from '../src/db/client.js';
import { prepareDatabase } from '../src/db/bootstrap.js';

/** The server PostgreSQL to test against, when there is one (CI sets it). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** Every engine this run tests: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_ENGINES: Engine[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

// The schema of each PostgreSQL test database, so that a test can open a second pool on it.
const postgresSchemas = new WeakMap<Database, string>();

export interface TestDatabase extends Database {
  /** Drops what the test created (the schema on PostgreSQL) and closes the connection. */
  dispose(): Promise<void>;
}

/**
 * A fresh, isolated, prepared database (migrated, reference data loaded). On PGlite: an in-memory copy
 * of the suite's template. On PostgreSQL: a schema of its own, dropped by `dispose`.
 * With `prepared: false` the database is empty (for migration tests).
 */
export async function createTestDatabase(
  engine: Engine,
  options: { prepared?: boolean } = {},
): Promise<TestDatabase> {
  const prepared = options.prepared ?? true;
  if (engine === 'pglite') {
    const database = prepared
      ? await openDatabase({
          engine: 'pglite',
          loadDataDir: new Blob([fs.readFileSync(inject('pgliteTemplate'))]),
        })
      : await openDatabase({ engine: 'pglite' });
    return Object.assign(database, { dispose: () => database.close() });
  }
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `vigia_test_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ engine: 'postgres', url: TEST_DATABASE_URL, poolSize: 1 });
  await sql.raw(`create schema ${quoteIdent(schema)}`).execute(admin.db);
  await admin.close();
  const database = await openDatabase({ engine: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 10 });
  if (prepared) await prepareDatabase(database);
  postgresSchemas.set(database, schema);
  return Object.assign(database, {
    dispose: async () => {
      await database.close();
      const cleaner = await openDatabase({ engine: 'postgres', url: TEST_DATABASE_URL!, poolSize: 1 });
      await sql.raw(`drop schema ${quoteIdent(schema)} cascade`).execute(cleaner.db);
      await cleaner.close();
    },
  });
}

/**
 * A second, independent connection pool on the same PostgreSQL schema as `database`, to test what two
 * processes sharing one database do. The caller closes it. PGlite is a single connection: only ask on
 * PostgreSQL.
 */
export async function openAnotherConnection(database: TestDatabase, poolSize = 4): Promise<Database> {
  const schema = postgresSchemas.get(database);
  if (schema === undefined || !TEST_DATABASE_URL) {
    throw new Error('openAnotherConnection needs a PostgreSQL test database; PGlite has only one connection');
  }
  return openDatabase({ engine: 'postgres', url: TEST_DATABASE_URL, schema, poolSize });
}

/**
 * Runs the same tests once per engine, each with its own prepared database:
 *   describeEachEngine('outbox', (getDb) => { it('...', async () => { const db = getDb(); ... }) })
 */
export function describeEachEngine(
  name: string,
  body: (getDatabase: () => TestDatabase, engine: Engine) => void,
  options: { prepared?: boolean } = {},
): void {
  for (const engine of TEST_ENGINES) {
    describe(`${name} [${engine}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(engine, options);
      });
      afterAll(async () => {
        await database?.dispose();
      });
      body(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      }, engine);
    });
  }
}
