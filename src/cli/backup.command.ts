import { createReadStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { createBackup, restoreBackup, RestoreRefused, verifyBackup, type BackupSummary } from '../backup/backup.js';
import { requestBackup, serverHolds } from '../backup/control-socket.js';
import { BackupFileError } from '../backup/sealed-file.js';
import { loadMasterKeys, MasterKeyError, type MasterKeys } from '../crypto/master-keys.js';
import { prepareDatabase } from '../db/bootstrap.js';
import { embeddedDatabaseDir } from '../db/client.js';
import { evidenceDirFor } from '../server/app.js';
import type { Config } from '../server/config.js';
import { CliError } from './cli-error.js';
import { withDatabase } from './with-database.js';

function masterKeysOf(config: Config): MasterKeys {
  try {
    return loadMasterKeys(config);
  } catch (error) {
    if (error instanceof MasterKeyError) throw new CliError(error.message);
    throw error;
  }
}

function describe(summary: BackupSummary): string {
  const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
  return `${Object.keys(summary.rows).length} tables (${rows} rows), ${summary.sequences} sequences, ` +
    `${summary.files} evidence files (${(summary.fileBytes / 1e6).toFixed(1)} MB)`;
}

/**
 * `vigia backup create FILE`: writes an encrypted, consistent backup while the server runs. With the
 * embedded database held by a running server, the server writes it (over its control socket); otherwise
 * this process reads the database itself. The file is written beside FILE under a temporary name,
 * flushed, read back and checked whole, and only then takes its name.
 */
export async function backupCreate(config: Config, file: string): Promise<void> {
  const masterKeys = masterKeysOf(config);
  if (existsSync(file)) throw new CliError(`${file} already exists; choose a new file name (a backup never overwrites one).`);
  const temporary = join(dirname(file), `.${basename(file)}.partial`);
  const handle = await open(temporary, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot write ${temporary} (${error.code ?? error.message}).`);
  });
  let via = 'read directly';
  try {
    const sink = async (chunk: Buffer) => {
      await handle.write(chunk);
    };
    const fromServer = config.databaseUrl ? undefined : await requestBackup(config.dataDir);
    if (fromServer) {
      via = 'written by the running server';
      for await (const chunk of fromServer) await sink(chunk);
    } else {
      if (!config.databaseUrl && !existsSync(embeddedDatabaseDir(config.dataDir))) {
        throw new CliError(`there is no database in ${config.dataDir} to back up (check VIGIA_DATA_DIR).`);
      }
      await withDatabase(config, (database) =>
        createBackup({ database, evidenceDir: evidenceDirFor(config), masterKey: masterKeys.current, sink }),
      );
    }
    await handle.sync();
    await handle.close();
    const summary = await verifyBackup(createReadStream(temporary), masterKeys).catch((error: unknown) => {
      if (error instanceof BackupFileError) throw new CliError(`the backup written is not whole (${error.message}); nothing was kept.`);
      throw error;
    });
    await rename(temporary, file);
    process.stdout.write(`Backup ${file} (${via}, checked): ${describe(summary)}.\n`);
    process.stdout.write(
      'It is encrypted under the master key: keep the key apart from the backup, or the backup cannot be restored.\n',
    );
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * `vigia backup restore FILE`: restores a backup into a new, empty instance (the data directory, and
 * with DATABASE_URL the database, are prepared first). Refuses a running embedded server, a target that
 * already holds data, a file that is damaged, cut short or made under another master key.
 */
export async function backupRestore(config: Config, file: string): Promise<void> {
  const masterKeys = masterKeysOf(config);
  if (!existsSync(file)) throw new CliError(`${file} does not exist.`);
  if (!config.databaseUrl && (await serverHolds(config.dataDir))) {
    throw new CliError(`a Vigía server is running on ${config.dataDir}; stop it, then restore into a new, empty data directory.`);
  }
  await withDatabase(config, async (database) => {
    await prepareDatabase(database);
    try {
      const summary = await restoreBackup({
        database,
        evidenceDir: evidenceDirFor(config),
        masterKeys,
        source: createReadStream(file),
      });
      process.stdout.write(`Restored ${file}: ${describe(summary)}.\nCheck it with \`vigia audit verify\`.\n`);
    } catch (error) {
      if (error instanceof BackupFileError) throw new CliError(`cannot restore ${file}: ${error.message}`);
      if (error instanceof RestoreRefused) throw new CliError(`restore refused: ${error.message}`);
      throw error;
    }
  });
}
