import type { Database } from './client.js';
import { migrate } from './migrate.js';
import { loadReferenceData, type ReferenceLoadResult } from './reference-data.js';

/**
 * Everything a database needs before Vigía serves from it: pending migrations, then the shipped
 * reference data (skipped when the loaded version is current). Used by `start`, `worker`, `demo`,
 * `db migrate` and the tests, so every path prepares a database the same way.
 */
export async function prepareDatabase(
  database: Database,
): Promise<{ migrations: string[]; referenceData: ReferenceLoadResult }> {
  const migrations = await migrate(database);
  const referenceData = await loadReferenceData(database);
  return { migrations, referenceData };
}
