import fs from 'node:fs';
import path from 'node:path';
import { Keyring } from '../crypto/keyring.js';
import { ensureMasterKeyFile, loadMasterKeys } from '../crypto/master-keys.js';
import { loadConfigWith } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { startServer, stopOnSignals } from '../server/main.js';
import { evidenceStoreFor } from '../server/app.js';
import { seedDemo } from '../demo/seed.js';
import { CliError } from './cli-error.js';

export interface DemoOptions {
  dataDir: string;
  port: string;
  host: string;
  reset: boolean;
}

/**
 * `vigia demo`: Vigía on the embedded database in a data directory of its own (never the real one),
 * seeded once with the demo network, listening until stopped.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const dataDir = path.resolve(options.dataDir);
  if (options.reset) fs.rmSync(dataDir, { recursive: true, force: true });
  const config = loadConfigWith({
    VIGIA_DATA_DIR: dataDir,
    DATABASE_URL: undefined,
    PORT: options.port,
    HOST: options.host,
    VIGIA_LOG_LEVEL: 'warn',
    VIGIA_MASTER_KEY: undefined,
    VIGIA_MASTER_KEY_FILE: undefined,
    VIGIA_PREVIOUS_MASTER_KEYS: undefined,
  });
  const logger = createLogger(config);
  // The demo's own key, in its own data directory: a newcomer needs no setup, and real data never shares it.
  ensureMasterKeyFile(config);
  process.stdout.write(`Starting the Vigía demo (data in ${dataDir}) ...\n`);
  const server = await startServer(config, logger).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError(`Port ${options.port} is in use: run \`vigia demo --port <another port>\`.`);
    }
    throw error;
  });
  const summary = await seedDemo(server.database, new Keyring(loadMasterKeys(config)), evidenceStoreFor(config), config);
  stopOnSignals(server, logger);
  const out = process.stdout;
  out.write(`\nVigía demo is running at ${server.url}/\n`);
  out.write(`  API documentation: ${server.url}/api/docs\n`);
  for (const line of summary.lines) out.write(`  ${line}\n`);
  out.write('\nPress Ctrl+C to stop. Run `vigia demo --reset` to start again from fresh demo data.\n');
}
