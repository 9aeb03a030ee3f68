import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase, quoteIdent, type Database } from '../src/db/client.js';

/**
 * A throw-away database for a benchmark: PGlite in memory, or a schema of its own on the PostgreSQL
 * server at `url`, dropped by `dispose`.
 */
export async function openBenchDatabase(engine: 'pglite' | 'postgres', url: string): Promise<{ database: Database; dispose: () => Promise<void> }> {
  if (engine === 'pglite') {
    const database = await openDatabase({ engine: 'pglite' });
    return { database, dispose: () => database.close() };
  }
  const schema = `vigia_bench_${randomBytes(6).toString('hex')}`;
  const admin = await openDatabase({ engine: 'postgres', url, poolSize: 1 });
  await sql.raw(`create schema ${quoteIdent(schema)}`).execute(admin.db);
  const database = await openDatabase({ engine: 'postgres', url, schema, poolSize: 4 });
  return {
    database,
    dispose: async () => {
      await database.close();
      await sql.raw(`drop schema ${quoteIdent(schema)} cascade`).execute(admin.db);
      await admin.close();
    },
  };
}
