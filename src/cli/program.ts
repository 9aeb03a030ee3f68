import { Command, CommanderError } from 'commander';
import { MasterKeyError } from '../crypto/master-keys.js';
import { MigrationError } from '../db/migrate.js';
import { ConfigError, loadConfig, type Config } from '../server/config.js';
import { VERSION } from '../server/version.js';
import { auditCheckpoint, auditVerify } from './audit.command.js';
import { backupCreate, backupRestore } from './backup.command.js';
import { dbMigrate, dbStatus } from './db.command.js';
import { importIncidentsCli, type ImportIncidentsCliOptions } from './import.command.js';
import { keysGenerate, keysInit, keysRotate } from './keys.command.js';
import { runDemo } from './demo.command.js';
import { runStart } from './start.command.js';
import { runWorker } from './worker.command.js';

import { CliError } from './cli-error.js';

function config(): Config {
  return loadConfig();
}

/** The `vigia` command line: every sub-command has --help, and every failure exits non-zero. */
export function buildCli(): Command {
  const program = new Command('vigia')
    .description('Vigía: documentation and early warning of attacks on people who defend migrants in Mexico.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nConfiguration comes from environment variables (see the README). Without DATABASE_URL, Vigía ' +
        'uses an embedded PostgreSQL (PGlite) under VIGIA_DATA_DIR (default ./data).',
    );

  program
    .command('start')
    .description('Start the server (and the outbox worker unless VIGIA_WORKER=off); migrations run first.')
    .action(async () => runStart(config()));

  program
    .command('worker')
    .description('Run only the outbox worker, for deployments that separate it from the web server.')
    .option('--once', 'run the jobs that are due now, then exit')
    .action(async (options: { once?: boolean }) => runWorker(config(), { once: options.once ?? false }));

  const db = program.command('db').description('Database maintenance.');
  db.command('migrate')
    .description('Apply pending migrations and load the shipped reference data.')
    .action(async () => dbMigrate(config()));
  db.command('status')
    .description('Show applied and pending migrations; exits 1 when the database is not up to date.')
    .action(async () => dbStatus(config()));

  const audit = program.command('audit').description('The tamper-evident audit log of who did what.');
  audit
    .command('verify')
    .description('Recompute the audit log\'s hash chain; exits 1 naming the first entry changed, removed or inserted.')
    .option('--checkpoint <seq:hash>', 'also prove the log still contains a checkpoint kept earlier')
    .action(async (options: { checkpoint?: string }) => auditVerify(config(), options));
  audit
    .command('checkpoint')
    .description('Print the head of the audit log, for someone outside the server to keep as proof of history so far.')
    .action(async () => auditCheckpoint(config()));

  const backup = program.command('backup').description('Encrypted backups of the whole instance: records, evidence files and the audit log.');
  backup
    .command('create <file>')
    .description('Write an encrypted, consistent backup to <file>, also while the server runs (docs/BACKUP.md).')
    .action(async (file: string) => backupCreate(config(), file));
  backup
    .command('restore <file>')
    .description('Restore a backup into a new, empty instance; refuses a damaged file, another master key or a target holding data.')
    .action(async (file: string) => backupRestore(config(), file));

  const importing = program.command('import').description('Bring records kept elsewhere into Vigía.');
  importing
    .command('incidents <file>')
    .description('Import incidents from a CSV file through a mapping (docs/IMPORT.md); exits 1 when rows are invalid and nothing was imported.')
    .requiredOption('--org <slug-or-id>', 'the organization whose record receives the incidents')
    .requiredOption('--mapping <file>', 'the mapping (JSON) from columns to record fields')
    .requiredOption('--as <email>', 'the documenter doing the import, named in the audit log')
    .option('--dry-run', 'validate every row and report, importing nothing')
    .option('--skip-invalid', 'import the valid rows and report the others (default: import nothing if any row is invalid)')
    .option('--report <file>', 'write every problem as CSV (row, column, problem)')
    .action(async (file: string, options: ImportIncidentsCliOptions) => importIncidentsCli(config(), file, options));

  const keys = program.command('keys').description('The master key that protects identities, contacts, places and evidence.');
  keys
    .command('init')
    .description('Create the master key file (VIGIA_MASTER_KEY_FILE) if no master key is configured yet.')
    .action(() => keysInit(config()));
  keys
    .command('generate')
    .description('Print a new random master key (for VIGIA_MASTER_KEY, or a key file), changing nothing.')
    .action(() => keysGenerate());
  keys
    .command('rotate')
    .description(
      'Re-wrap every data key under the current master key; list the old one in VIGIA_PREVIOUS_MASTER_KEYS first.',
    )
    .option('--new-data-keys', 'also give every organization a new data key for what is sealed from now on')
    .action(async (options: { newDataKeys?: boolean }) => keysRotate(config(), { newDataKeys: options.newDataKeys ?? false }));

  program
    .command('demo')
    .description('Start Vigía on its own demo data directory, seeded with a realistic example network.')
    .option('--data-dir <dir>', 'where the demo keeps its data', './data/demo')
    .option('--port <port>', 'port to listen on', '3000')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--reset', 'delete the demo data directory first and seed it anew')
    .action(async (options: { dataDir: string; port: string; host: string; reset?: boolean }) =>
      runDemo({ dataDir: options.dataDir, port: options.port, host: options.host, reset: options.reset ?? false }),
    );

  return program;
}

/** Runs the CLI with `argv`, turning known failures into a message and exit code 1. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildCli().exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander but successes to the user.
      process.exitCode = error.exitCode;
      return;
    }
    if (
      error instanceof ConfigError ||
      error instanceof CliError ||
      error instanceof MigrationError ||
      error instanceof MasterKeyError
    ) {
      process.stderr.write(`vigia: ${error.message}\n`);
    } else if (isConnectionError(error)) {
      process.stderr.write(
        `vigia: cannot reach the database (${error.code}${error.address ? ` at ${error.address}:${error.port}` : ''}). ` +
          'Check DATABASE_URL and that the PostgreSQL server is running.\n',
      );
    } else {
      process.stderr.write(`vigia: ${(error as Error).stack ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}


function isConnectionError(error: unknown): error is NodeJS.ErrnoException & { address?: string; port?: number } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH';
}
