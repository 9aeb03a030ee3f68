import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmSubscription } from '../../../commands/confirm-subscription.js';
import { openPublicAlertResponseDocument } from '../../../commands/alert-response-document.js';
import { readPublicAccountability } from '../../../commands/read-alert-accountability.js';
import { SUBSCRIPTION_REQUESTED_MESSAGE, subscribeToAlerts } from '../../../commands/subscribe-to-alerts.js';
import { unsubscribeFromAlerts } from '../../../commands/unsubscribe-from-alerts.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import type { EvidenceStore } from '../../../evidence/evidence-store.js';
import { createJobRegistry } from '../../../jobs/run.js';
import { access } from '../../../policies/access.js';
import type { Config } from '../../config.js';
import { withRetryAfter } from '../auth/request.js';
import { sendStoredFile } from '../file-response.js';
import { errorResponses } from '../schemas.js';
import { publicAccountabilitySchema, subscriptionBody, token } from './schemas.js';

const tags = ['alert subscriptions'];
const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be an alert address such as hostigamiento-2019' }).max(200) });

/**
 * Public e-mail subscriptions to published alerts (double opt-in, one-click unsubscribe) and the public
 * accountability of an alert, under /api/v1/public.
 */
export function publicAlertReachRoutes(deps: { database: Database; keyring: Keyring; config: Config; store: EvidenceStore }): FastifyPluginAsyncZod {
  const { database, keyring, config, store } = deps;
  const jobs = createJobRegistry(config);
  return async (app) => {
    // Mail clients send the RFC 8058 one-click POST as a form ("List-Unsubscribe=One-Click"); its body says nothing we need.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1_024 }, (_request, _body, done) => done(null, undefined));

    app.post(
      '/subscriptions',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Asks to receive published alerts by e-mail; a confirmation link is sent (the answer is always the same)',
          description: 'Empty `stateCodes` or `actTypes` mean all. Nothing is sent until the link in the confirmation e-mail is opened.',
          body: subscriptionBody,
          response: { 202: z.object({ message: z.string() }), ...errorResponses(400, 429) },
        },
      },
      async (request, reply) => {
        await withRetryAfter(reply, subscribeToAlerts({ database, keyring, config, jobs, ...request.body, ip: request.ip }));
        return reply.code(202).header('cache-control', 'no-store').send({ message: SUBSCRIPTION_REQUESTED_MESSAGE });
      },
    );

    app.post(
      '/subscriptions/confirm',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Confirms a subscription by the token of its confirmation link',
          body: z.object({ token }).strict(),
          response: { 200: z.object({ status: z.literal('confirmed'), language: z.enum(['es', 'en']) }), ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const confirmed = await confirmSubscription({ database, token: request.body.token, ip: request.ip });
        return reply.header('cache-control', 'no-store').send({ status: 'confirmed' as const, ...confirmed });
      },
    );

    app.post(
      '/subscriptions/unsubscribe',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Ends a subscription (RFC 8058 one-click: the URL in List-Unsubscribe, POSTed)',
          querystring: z.object({ token }).strict(),
          response: { 200: z.object({ status: z.literal('unsubscribed'), language: z.enum(['es', 'en']) }), ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const ended = await unsubscribeFromAlerts({ database, token: request.query.token, ip: request.ip });
        return reply.header('cache-control', 'no-store').send({ status: 'unsubscribed' as const, ...ended });
      },
    );

    app.get(
      '/alerts/:slug/accountability',
      {
        config: { access: access.public },
        schema: {
          tags: ['public alerts'],
          summary: "Per addressee of a published alert: answered when (with the network's summary), or not and whether overdue",
          params: slugParams,
          response: { 200: publicAccountabilitySchema, ...errorResponses(400, 404) },
        },
      },
      async (request) => ({ addressees: await readPublicAccountability({ database, slug: request.params.slug }) }),
    );

    app.get(
      '/alerts/:slug/responses/:responseId/document',
      {
        config: { access: access.public },
        schema: {
          tags: ['public alerts'],
          summary: "An authority's answer as a file, when the network marked it public (the accountability links to it)",
          description: 'An image is served as its copy without metadata.',
          params: slugParams.extend({ responseId: z.uuid({ error: 'must be a response id (uuid)' }) }),
          response: { ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const opened = await openPublicAlertResponseDocument({ database, keyring, store, slug: request.params.slug, responseId: request.params.responseId });
        return sendStoredFile(reply, { stream: opened.stream, type: opened.mimeType, fileName: opened.fileName, disposition: 'attachment', cacheable: true });
      },
    );
  };
}
