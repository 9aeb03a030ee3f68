import type { Database } from '../db/client.js';
import type { Config } from '../server/config.js';
import { rulesEvaluateAllJob, rulesEvaluateJob, rulesEvaluateOrganizationJob } from '../alerts/rules.jobs.js';
import { emailJob } from './email/email.job.js';
import { JobRegistry, type AnyJobDefinition } from './registry.js';
import { webhookJob } from './webhook/webhook.job.js';
import { OutboxWorker, type JobLogger } from './worker.js';

/**
 * The job kinds production Vigía runs: e-mail, outgoing webhooks and the early-warning evaluation. They
 * are listed here, not in registry.ts, because job modules import the registry's helpers: listing them
 * there made an import cycle in which a kind could be read before its module had run.
 */
export const defaultJobDefinitions: readonly AnyJobDefinition[] = [emailJob, webhookJob, rulesEvaluateJob, rulesEvaluateAllJob, rulesEvaluateOrganizationJob];

/** The registry of the job kinds this build runs, with the configured attempt limit. */
export function createJobRegistry(
  config: Pick<Config, 'outbox' | 'dataDir' | 'mail' | 'masterKey' | 'alerts'>,
  database?: Database,
): JobRegistry {
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
