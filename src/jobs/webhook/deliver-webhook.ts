import { Keyring } from '../../crypto/keyring.js';
import { loadMasterKeys } from '../../crypto/master-keys.js';
import { webhookSignature } from '../../domain/alert-reach.js';
import type { JobDependencies, JobHandler } from '../registry.js';
import type { WebhookPayload } from './webhook.job.js';
import { postToPinnedAddress, resolveWebhookTarget, WebhookTargetError } from './webhook-target.js';

/** Sealing context of an endpoint's secret under its network's data key. */
export const WEBHOOK_SECRET_CONTEXT = 'webhook-secret';

/** Recorded errors are short: a status line or a network error's name, never a response body. */
const ERROR_MAX_CHARS = 300;

export class WebhookDeliveryError extends Error {
  override name = 'WebhookDeliveryError';
}

/**
 * The handler of `webhook.deliver` jobs. An endpoint switched off (or removed) since the job was queued
 * is skipped, not retried. The timestamp is taken per attempt, so a receiver may reject stale ones. The
 * URL's host is resolved and checked before every attempt (a private or loopback answer is refused and
 * logged as a failed attempt), and the request goes to the checked address; redirects are not followed.
 */
export function createWebhookHandler({ config, database, resolveHost }: JobDependencies): JobHandler<WebhookPayload> {
  if (!database) throw new Error('webhook.deliver needs the database (createJobRegistry(config, database))');
  const keyring = new Keyring(loadMasterKeys(config));
  return async ({ job, signal, logger }) => {
    const endpoint = await database.db
      .selectFrom('webhook_endpoints')
      .select(['id', 'network_id', 'url', 'secret_sealed', 'active'])
      .where('id', '=', job.payload.endpointId)
      .executeTakeFirst();
    if (!endpoint?.active) {
      logger.info({ jobId: job.id, endpointId: job.payload.endpointId }, 'webhook endpoint inactive; delivery skipped');
      return;
    }
    const secret = await keyring.openJson<string>(database.db, endpoint.network_id, WEBHOOK_SECRET_CONTEXT, endpoint.secret_sealed);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    const timeout = AbortSignal.timeout(config.alerts.webhookTimeoutMs);
    try {
      // Resolved and checked on every attempt, and the connection made to the checked address.
      const { url, target } = await resolveWebhookTarget(endpoint.url, config.alerts.webhookTargets, resolveHost);
      const response = await postToPinnedAddress(url, target, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Vigia-Webhooks/1',
          'vigia-event': job.payload.event,
          'vigia-delivery': String(job.id),
          'vigia-timestamp': timestamp,
          'vigia-signature': webhookSignature(secret, timestamp, job.payload.body),
        },
        body: job.payload.body,
        signal: AbortSignal.any([signal, timeout]),
      });
      statusCode = response.statusCode;
      if (statusCode >= 300 && statusCode <= 399) error = `HTTP ${statusCode}: redirects are not followed`;
      else if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
    } catch (caught) {
      const e = caught as Error;
      if (e instanceof WebhookTargetError) error = `refused: ${e.message}`;
      else if (timeout.aborted) error = `timed out after ${config.alerts.webhookTimeoutMs} ms`;
      else error = `${e.name}: ${(e.cause as Error | undefined)?.message ?? e.message}`;
    }
    const durationMs = Math.round(performance.now() - started);
    await database.db
      .insertInto('webhook_deliveries')
      .values({
        endpoint_id: endpoint.id,
        job_id: job.id,
        attempt: job.attempt,
        alert_id: job.payload.alertId,
        event: job.payload.event,
        status_code: statusCode,
        duration_ms: durationMs,
        error: error?.slice(0, ERROR_MAX_CHARS) ?? null,
        succeeded: error === null,
      })
      .execute();
    if (error !== null) throw new WebhookDeliveryError(`Webhook delivery failed: ${error}`);
    logger.info({ jobId: job.id, endpointId: endpoint.id, statusCode, durationMs }, 'webhook delivered');
  };
}
