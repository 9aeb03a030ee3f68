import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { userActor } from '../auth/user-actor.js';
import { importIncidents, type ImportReport } from '../commands/import-incidents.js';
import { isUuid } from '../commands/organization-access.js';
import { Keyring } from '../crypto/keyring.js';
import { loadMasterKeys } from '../crypto/master-keys.js';
import type { Database } from '../db/client.js';
import { findEnabledUserByEmail, membershipsOfUser } from '../db/repositories/user.repository.js';
import { problemsCsv } from '../domain/csv.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { CliError } from './cli-error.js';
import { withDatabase } from './with-database.js';

/** Options of `vigia import incidents`, as the command line gives them. */
export interface ImportIncidentsCliOptions {
  org: string;
  mapping: string;
  as: string;
  dryRun?: boolean;
  skipInvalid?: boolean;
  report?: string;
}

/** Where the command writes; a test gives its own. */
export interface CliOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** `vigia import incidents FILE.csv`: against the configured database, with the configured master key. */
export async function importIncidentsCli(config: Config, file: string, options: ImportIncidentsCliOptions): Promise<void> {
  const keyring = new Keyring(loadMasterKeys(config));
  await withDatabase(config, (database) => runImportIncidents({ database, keyring, file, options, output: process }));
}

/**
 * Imports a CSV as a named person of the organization, so the audit log says who brought these records
 * in (`--as`: the CLI has the server's keys, but acts with that person's permissions, no more). Writes
 * the row-by-row report to `--report` as CSV and a summary to stdout; exits 1 when rows are invalid and
 * nothing was imported.
 */
export async function runImportIncidents(input: { database: Database; keyring: Keyring; file: string; options: ImportIncidentsCliOptions; output: CliOutput }): Promise<ImportReport> {
  const { database, keyring, file, options, output } = input;
  if (!fs.existsSync(file)) throw new CliError(`there is no file ${file}.`);
  let mapping: unknown;
  try {
    mapping = JSON.parse(fs.readFileSync(options.mapping, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read the mapping ${options.mapping}: ${(error as Error).message}`);
  }
  const organization = await database.db
    .selectFrom('organizations')
    .select(['id', 'slug', 'name'])
    .where(isUuid(options.org) ? 'id' : 'slug', '=', options.org)
    .executeTakeFirst();
  if (!organization) throw new CliError(`there is no organization "${options.org}" (give its slug or id).`);
  const user = await findEnabledUserByEmail(database.db, options.as);
  if (!user) throw new CliError(`there is no enabled account with the e-mail ${options.as}.`);
  const actor = userActor(user, await membershipsOfUser(database.db, user.id), { id: randomUUID(), mfa_verified: true });

  const progress = output.stderr.isTTY ? progressLine(output.stderr) : undefined;
  let report: ImportReport;
  try {
    report = await importIncidents({
      database,
      keyring,
      actor,
      organizationId: organization.id,
      openCsv: () => fs.createReadStream(file),
      mapping,
      dryRun: options.dryRun ?? false,
      skipInvalid: options.skipInvalid ?? false,
      ...(progress ? { onProgress: progress } : {}),
    });
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.code === 'FORBIDDEN' ? `${options.as} may not document incidents for ${organization.slug}.` : error.message);
    throw error;
  } finally {
    if (progress) output.stderr.write('\n');
  }

  if (options.report) {
    fs.writeFileSync(options.report, problemsCsv(report.problems));
  }
  const out = output.stdout;
  out.write(`${report.total} row(s) read: ${report.valid} valid, ${report.invalid} invalid.\n`);
  if (report.dryRun) out.write('Dry run: nothing was imported.\n');
  else out.write(`Imported ${report.imported} incident(s) into ${organization.name} as ${user.email}.\n`);
  for (const p of report.problems.slice(0, 10)) out.write(`  row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.problem}\n`);
  if (report.problems.length > 10) out.write(`  ... and ${report.problems.length - 10} more${options.report ? ` in ${options.report}` : ' (use --report FILE.csv to keep them all)'}.\n`);
  if (report.invalid > 0 && report.imported === 0) {
    throw new CliError(report.dryRun || options.skipInvalid ? `${report.invalid} invalid row(s).` : `${report.invalid} invalid row(s): nothing was imported (fix them, or use --skip-invalid).`);
  }
  return report;
}

/** A one-line progress bar redrawn with a carriage return. */
function progressLine(stderr: CliOutput['stderr']) {
  return (done: number, total: number | null, phase: 'validating' | 'importing') => {
    if (total === null || phase === 'validating') {
      stderr.write(`\rValidating... ${done} row(s)`);
      return;
    }
    const share = total === 0 ? 1 : done / total;
    const filled = Math.round(share * 30);
    stderr.write(`\rImporting [${'#'.repeat(filled)}${' '.repeat(30 - filled)}] ${done}/${total} ${Math.round(share * 100)}%   `);
  };
}
