import { openConfiguredDatabase, type Database } from '../db/client.js';
import type { Config } from '../server/config.js';

/** Runs a CLI command's work against the configured database and always closes it afterwards. */
export async function withDatabase<T>(config: Config, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}
