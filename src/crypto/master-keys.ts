import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../server/config.js';

/** A 256-bit master key and the short id stored beside everything it wraps. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The key new wraps use, and older keys still accepted for unwrapping while a rotation runs. */
export interface MasterKeys {
  readonly current: MasterKey;
  readonly previous: readonly MasterKey[];
}

/** Why the master key could not be loaded, naming the variable or file to fix. */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

/**
 * A key's id: a hash of the key under a fixed label, so a wrapped value names the key that opens it
 * without revealing anything about the key itself.
 */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('vigia/master-key-id/v1\0').update(key).digest('hex').slice(0, 16);
}

/** Parses a base64 master key, refusing anything that is not exactly 32 bytes. */
export function parseMasterKey(text: string, origin: string): MasterKey {
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new MasterKeyError(`${origin}: must be 32 random bytes written in base64 (44 characters); create one with \`vigia keys init\`.`);
  }
  return Object.freeze({ id: masterKeyId(key), key });
}

/** A new random master key, in the base64 form the configuration takes. */
export function generateMasterKeyText(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Loads the master keys the configuration names: VIGIA_MASTER_KEY, else the key file
 * (VIGIA_MASTER_KEY_FILE, by default `<data dir>/keys/master.key`). A missing key is an error, never a
 * random default: data sealed under a key nobody kept could never be read again.
 */
export function loadMasterKeys(config: Pick<Config, 'masterKey'>): MasterKeys {
  const { masterKey } = config;
  let current: MasterKey;
  if (masterKey.value !== undefined) {
    current = parseMasterKey(masterKey.value, 'VIGIA_MASTER_KEY');
  } else {
    let text: string;
    try {
      text = fs.readFileSync(masterKey.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new MasterKeyError(
        code === 'ENOENT'
          ? `No master key: set VIGIA_MASTER_KEY or VIGIA_MASTER_KEY_FILE, or run \`vigia keys init\` to create ${masterKey.file}.`
          : `VIGIA_MASTER_KEY_FILE: cannot read ${masterKey.file} (${code ?? 'error'}).`,
      );
    }
    current = parseMasterKey(text, `VIGIA_MASTER_KEY_FILE (${masterKey.file})`);
  }
  const previous = masterKey.previous.map((text, i) => parseMasterKey(text, `VIGIA_PREVIOUS_MASTER_KEYS (entry ${i + 1})`));
  return Object.freeze({ current, previous: Object.freeze(previous.filter((k) => k.id !== current.id)) });
}

/**
 * Creates the master key file when neither VIGIA_MASTER_KEY nor an existing file provides a key, readable
 * by its owner only. Returns whether a file was written.
 */
export function ensureMasterKeyFile(config: Config): { created: boolean; file: string } {
  const file = config.masterKey.file;
  if (config.masterKey.value !== undefined || fs.existsSync(file)) return { created: false, file };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx': never overwrite a key that appeared meanwhile; losing a key loses the data it protects.
  fs.writeFileSync(file, `${generateMasterKeyText()}\n`, { mode: 0o600, flag: 'wx' });
  return { created: true, file };
}
