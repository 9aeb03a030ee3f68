import { openConfiguredDatabase } from '../db/client.js';
import { prepareDatabase } from '../db/bootstrap.js';
import { createOutboxWorker } from '../jobs/run.js';
import type { Config } from '../server/config.js';
import { createLogger } from '../server/logger.js';

/**
 * `vigia worker`: runs outbox jobs without the web server. With `--once` it runs what is due now and
 * exits (1 if any job failed), which suits a cron-style deployment and scripts.
 */
export async function runWorker(config: Config, options: { once: boolean }): Promise<void> {
  const logger = createLogger(config);
  const database = await openConfiguredDatabase(config, (error) =>
    logger.warn({ err: error.message }, 'database connection error'),
  );
  try {
    await prepareDatabase(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  const worker = createOutboxWorker({ config, database, logger });
  if (options.once) {
    try {
      // One batch claims at most the worker's concurrency; keep going until nothing is due. Jobs that
      // fail are rescheduled after a backoff, so they are not claimed again in this run.
      const result = { claimed: 0, done: 0, retrying: 0, dead: 0, lost: 0 };
      for (;;) {
        const batch = await worker.runOnce();
        for (const key of Object.keys(result) as Array<keyof typeof result>) result[key] += batch[key];
        if (batch.claimed === 0) break;
      }
      process.stdout.write(
        `Ran ${result.claimed} job(s): ${result.done} done, ${result.retrying} to retry, ` +
          `${result.dead} dead, ${result.lost} lost.\n`,
      );
      if (result.retrying + result.dead + result.lost > 0) process.exitCode = 1;
    } finally {
      await database.close();
    }
    return;
  }
  worker.start();
  logger.info({ engine: database.engine }, 'outbox worker running');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'stopping the worker: letting running jobs finish');
    worker
      .stop()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping the worker');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
