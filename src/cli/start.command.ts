import type { Config } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { startServer, stopOnSignals } from '../server/main.js';

/** `vigia start`: runs the server until SIGTERM or SIGINT. */
export async function runStart(config: Config): Promise<void> {
  const logger = createLogger(config);
  const server = await startServer(config, logger);
  logger.info({ url: server.url, engine: server.database.engine }, 'Vigía is listening');
  stopOnSignals(server, logger);
}
