import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { recordAlertResponse, updateAlertRequest } from '../../../commands/follow-up-alert-request.js';
import { readAlertAccountability } from '../../../commands/read-alert-accountability.js';
import { listWebhookEndpoints, registerWebhookEndpoint, setWebhookEndpointActive } from '../../../commands/webhook-endpoints.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { access } from '../../../policies/access.js';
import type { Config } from '../../config.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';
import { alertRequestSchema, requestUpdateBody, responseBody, webhookEndpointBody, webhookEndpointSchema } from './schemas.js';

const organizationParams = z.object({ id: z.uuid({ error: 'must be an organization id (uuid)' }) });

/** Webhook endpoints of a network (its administrators) and the follow-up of an alert's requests (its reviewers). */
export function workspaceAlertReachRoutes(deps: { database: Database; keyring: Keyring; config: Config }): FastifyPluginAsyncZod {
  const { database, keyring, config } = deps;
  return async (app) => {
    app.get(
      '/organizations/:id/webhooks',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['webhooks'],
          summary: "A network's webhook endpoints with their latest delivery attempts (its administrators)",
          params: organizationParams,
          response: { 200: z.object({ data: z.array(webhookEndpointSchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({ data: await listWebhookEndpoints({ database, actor: request.actor, networkId: request.params.id }) }),
    );

    app.post(
      '/organizations/:id/webhooks',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['webhooks'],
          summary: 'Registers a webhook endpoint; its signing secret is in this answer and never again (its administrators)',
          description:
            'The URL must be https (http only where VIGIA_WEBHOOK_ALLOW_HTTP is set), carry no user name or password, and its host must not be, ' +
            'or resolve to, a loopback, private, link-local, CGNAT, multicast or other non-public address (unless VIGIA_WEBHOOK_ALLOW_PRIVATE is set); ' +
            'otherwise 400 says which rule it broke. Every delivery resolves and checks the host again.',
          params: organizationParams,
          body: webhookEndpointBody,
          response: { 201: z.object({ id: z.uuid(), secret: z.string() }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const created = await registerWebhookEndpoint({
          database,
          keyring,
          actor: request.actor,
          networkId: request.params.id,
          ...request.body,
          targets: config.alerts.webhookTargets,
          context: originOf(request),
        });
        return reply.code(201).header('cache-control', 'no-store').send(created);
      },
    );

    app.put(
      '/organizations/:id/webhooks/:endpointId/active',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['webhooks'],
          summary: 'Switches a webhook endpoint off or on (its administrators)',
          params: organizationParams.extend({ endpointId: z.uuid({ error: 'must be a webhook endpoint id (uuid)' }) }),
          body: z.object({ active: z.boolean() }).strict(),
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await setWebhookEndpointActive({ database, actor: request.actor, networkId: request.params.id, endpointId: request.params.endpointId, active: request.body.active, context: originOf(request) });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/alerts/:id/requests',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['alert accountability'],
          summary: "An alert's requests to the authorities, their answers and whether each is overdue (its network's members)",
          params: z.object({ id: z.uuid({ error: 'must be an alert id (uuid)' }) }),
          response: { 200: z.object({ data: z.array(alertRequestSchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({ data: await readAlertAccountability({ database, actor: request.actor, alertId: request.params.id }) }),
    );

    app.patch(
      '/alert-requests/:id',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['alert accountability'],
          summary: 'Corrects when and how a request was sent; the due date follows (reviewers and administrators of the network)',
          params: z.object({ id: z.uuid({ error: 'must be a request id (uuid)' }) }),
          body: requestUpdateBody,
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await updateAlertRequest({ database, actor: request.actor, config, requestId: request.params.id, ...request.body, context: originOf(request) });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/alert-requests/:id/responses',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['alert accountability'],
          summary: "Records an authority's answer: date, the network's summary (public) and optionally its text (workspace only)",
          params: z.object({ id: z.uuid({ error: 'must be a request id (uuid)' }) }),
          body: responseBody,
          response: { 201: z.object({ id: z.uuid() }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const recorded = await recordAlertResponse({ database, actor: request.actor, requestId: request.params.id, ...request.body, context: originOf(request) });
        return reply.code(201).send(recorded);
      },
    );
  };
}
