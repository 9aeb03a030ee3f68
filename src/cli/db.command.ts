import { prepareDatabase } from '../db/bootstrap.js';
import { migrationStatus } from '../db/migrate.js';
import type { Config } from '../server/config.js';
import { CliError } from './cli-error.js';
import { withDatabase } from './with-database.js';

function describeTarget(config: Config): string {
  if (!config.databaseUrl) return `embedded database in ${config.dataDir}`;
  const url = new URL(config.databaseUrl);
  // Never print the password.
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

/** `vigia db migrate`: applies pending migrations and (re)loads changed reference data. */
export async function dbMigrate(config: Config): Promise<void> {
  await withDatabase(config, async (database) => {
    const result = await prepareDatabase(database);
    const out = process.stdout;
    out.write(`Database: ${describeTarget(config)}\n`);
    out.write(
      result.migrations.length
        ? `Applied ${result.migrations.length} migration(s):\n${result.migrations.map((m) => `  ${m}\n`).join('')}`
        : 'No pending migrations.\n',
    );
    if (result.referenceData.loaded.length) {
      out.write(`Loaded reference data: ${result.referenceData.loaded.join(', ')}\n`);
    }
  });
}

/** `vigia db status`: lists migrations; exits 1 when anything is pending, edited or unknown. */
export async function dbStatus(config: Config): Promise<void> {
  await withDatabase(config, async (database) => {
    const status = await migrationStatus(database);
    const out = process.stdout;
    out.write(`Database: ${describeTarget(config)}\n`);
    for (const m of status.applied) out.write(`  applied  ${m.id}  (${m.appliedAt.toISOString()})\n`);
    for (const id of status.pending) out.write(`  pending  ${id}\n`);
    for (const id of status.modified) out.write(`  EDITED   ${id}  (the file changed after it was applied)\n`);
    for (const id of status.unknown) out.write(`  UNKNOWN  ${id}  (applied by a newer version of Vigía)\n`);
    const problems = status.pending.length + status.modified.length + status.unknown.length;
    if (problems > 0) {
      throw new CliError(
        status.pending.length
          ? `${status.pending.length} migration(s) pending: run \`vigia db migrate\`.`
          : 'The database does not match this version of Vigía (see above).',
      );
    }
    out.write('Up to date.\n');
  });
}
