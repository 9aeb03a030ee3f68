import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../src/server/config.js';

/** A valid configuration for tests: silent logs, a throw-away data directory, no inline worker. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-test-data-'));
  return loadConfig({
    NODE_ENV: 'test',
    VIGIA_LOG_LEVEL: 'silent',
    VIGIA_DATA_DIR: dataDir,
    VIGIA_WORKER: 'off',
    ...overrides,
  });
}
