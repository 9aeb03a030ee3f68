import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Keyring } from '../src/crypto/keyring.js';
import { loadMasterKeys } from '../src/crypto/master-keys.js';
import { loadConfig, type Config } from '../src/server/config.js';

/** A fixed master key for tests (never used anywhere else). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

/** A valid configuration for tests: silent logs, a throw-away data directory, no inline worker. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-test-data-'));
  return loadConfig({
    NODE_ENV: 'test',
    VIGIA_LOG_LEVEL: 'silent',
    VIGIA_DATA_DIR: dataDir,
    VIGIA_WORKER: 'off',
    VIGIA_MASTER_KEY: TEST_MASTER_KEY,
    // Cheap enough that tests solve it in a millisecond, so the real check still runs.
    VIGIA_REPORT_POW_BITS: '4',
    ...overrides,
  });
}

/** A keyring under the test master key, as a test app built from `testConfig()` has. */
export function testKeyring(): Keyring {
  return new Keyring(loadMasterKeys(testConfig()));
}
