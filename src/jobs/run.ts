import type { Database } from '../db/client.js';
import type { Config } from '../server/config.js';
import { defaultJobDefinitions, JobRegistry } from './registry.js';
import { OutboxWorker, type JobLogger } from './worker.js';

/** The registry of the job kinds this build runs, with the configured attempt limit. */
export function createJobRegistry(config: Pick<Config, 'outbox' | 'dataDir' | 'mail'>, database?: Database): JobRegistry {
  return new JobRegistry(defaultJobDefinitions, {
    defaultMaxAttempts: config.outbox.maxAttempts,
    dependencies: { config, ...(database ? { database } : {}) },
  });
}

/**
 * The outbox worker as configured, used both inside the server (VIGIA_WORKER=inline) and by
 * `vigia worker`, so that the two ways of running jobs cannot drift apart.
 */
export function createOutboxWorker(options: { config: Config; database: Database; logger: JobLogger }): OutboxWorker {
  const { config, database, logger } = options;
  return new OutboxWorker({
    database,
    registry: createJobRegistry(config, database),
    logger,
    pollMs: config.outbox.pollMs,
    leaseMs: config.outbox.leaseSeconds * 1000,
  });
}
