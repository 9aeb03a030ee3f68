import { z } from 'zod';
// Types only, as for e-mail: registry.ts imports this module to list the kind.
import type { JobDefinition } from '../registry.js';

/** The outbox kind of one webhook delivery (one event to one endpoint). */
export const WEBHOOK_JOB_KIND = 'webhook.deliver';

/** One delivery as it waits in the outbox; `body` is the exact JSON text sent and signed on every attempt. */
export const webhookPayloadSchema = z.object({
  endpointId: z.uuid(),
  alertId: z.uuid(),
  event: z.enum(['alert.published', 'alert.corrected']),
  body: z.string().min(2),
});
export type WebhookPayload = z.output<typeof webhookPayloadSchema>;

/**
 * POSTs an event to a network's endpoint, signed with the endpoint's secret; every attempt goes into
 * `webhook_deliveries`, and a non-2xx answer or a timeout fails the attempt so the outbox retries it.
 */
export const webhookJob: JobDefinition<typeof webhookPayloadSchema> = {
  kind: WEBHOOK_JOB_KIND,
  version: 1,
  payloadSchema: webhookPayloadSchema,
  handler: async (dependencies) => (await import('./deliver-webhook.js')).createWebhookHandler(dependencies),
};
