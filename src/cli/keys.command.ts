import { rotateMasterKey } from '../commands/rotate-master-key.js';
import { Keyring } from '../crypto/keyring.js';
import { ensureMasterKeyFile, generateMasterKeyText, loadMasterKeys, MasterKeyError } from '../crypto/master-keys.js';
import { prepareDatabase } from '../db/bootstrap.js';
import type { Config } from '../server/config.js';
import { CliError } from './cli-error.js';
import { withDatabase } from './with-database.js';

/** `vigia keys init`: creates the master key file if no key is configured yet. */
export function keysInit(config: Config): void {
  const { created, file } = ensureMasterKeyFile(config);
  if (config.masterKey.value !== undefined) {
    process.stdout.write('VIGIA_MASTER_KEY is set: no key file is needed.\n');
  } else if (created) {
    process.stdout.write(
      `Created the master key in ${file} (readable by its owner only).\n` +
        'Keep a copy somewhere safe and apart from backups: without it, sealed data cannot be read.\n',
    );
  } else {
    process.stdout.write(`A master key already exists in ${file}; nothing changed.\n`);
  }
}

/** `vigia keys generate`: prints a new random master key, for VIGIA_MASTER_KEY or a key file. */
export function keysGenerate(): void {
  process.stdout.write(`${generateMasterKeyText()}\n`);
}

/**
 * `vigia keys rotate`: re-wraps every organization's data keys under the current master key (the old one
 * must still be listed in VIGIA_PREVIOUS_MASTER_KEYS), and re-seals what is sealed directly under the
 * master key (two-factor secrets, alert subscribers' addresses); with `newDataKeys`, also gives every organization
 * a new data key that new seals use. Servers keep running throughout.
 */
export async function keysRotate(config: Config, options: { newDataKeys: boolean }): Promise<void> {
  let keyring: Keyring;
  try {
    keyring = new Keyring(loadMasterKeys(config));
  } catch (error) {
    if (error instanceof MasterKeyError) throw new CliError(error.message);
    throw error;
  }
  await withDatabase(config, async (database) => {
    await prepareDatabase(database);
    const result = await rotateMasterKey(database.db, keyring, options);
    process.stdout.write(
      `Master key ${keyring.currentMasterKeyId}: re-wrapped ${result.rewrapped} data key(s); ${result.alreadyCurrent} already used it.\n`,
    );
    process.stdout.write(`Sealed ${result.totpSecrets} two-factor secret(s) under the current master key.\n`);
    process.stdout.write(
      `Sealed ${result.subscriptions} alert subscriber address(es) under the current master key (unsubscribe links already sent keep working).\n`,
    );
    if (options.newDataKeys) {
      process.stdout.write(`New data key version for ${result.newDataKeys} organization(s); earlier versions stay to open older data.\n`);
    }
    if (config.masterKey.previous.length > 0) {
      process.stdout.write(
        'Every data key, two-factor secret and subscriber address now uses the current master key: VIGIA_PREVIOUS_MASTER_KEYS can be removed.\n',
      );
    }
  });
}
