import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Readable } from 'node:stream';
import { attachAlertResponseDocument, downloadAlertResponseDocument } from '../../../commands/alert-response-document.js';
import { recordAlertResponse, updateAlertRequest } from '../../../commands/follow-up-alert-request.js';
import { readAlertAccountability } from '../../../commands/read-alert-accountability.js';
import { listWebhookEndpoints, registerWebhookEndpoint, setWebhookEndpointActive } from '../../../commands/webhook-endpoints.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import type { EvidenceStore } from '../../../evidence/evidence-store.js';
import { access } from '../../../policies/access.js';
import type { Config } from '../../config.js';
import { originOf } from '../auth/request.js';
import { AppError } from '../../errors.js';
import { sendStoredFile } from '../file-response.js';
import { errorResponses } from '../schemas.js';
import {
  alertRequestSchema,
  RESPONSE_DOCUMENT_CONTENT_TYPES,
  requestUpdateBody,
  responseBody,
  responseDocumentQuery,
  webhookEndpointBody,
  webhookEndpointSchema,
} from './schemas.js';

const organizationParams = z.object({ id: z.uuid({ error: 'must be an organization id (uuid)' }) });

/** Webhook endpoints of a network (its administrators) and the follow-up of an alert's requests (its reviewers). */
export function workspaceAlertReachRoutes(deps: { database: Database; keyring: Keyring; config: Config; store: EvidenceStore }): FastifyPluginAsyncZod {
  const { database, keyring, config, store } = deps;
  return async (app) => {
    // A response's document arrives as the raw body; its type is decided by its bytes, not by this header.
    app.addContentTypeParser(RESPONSE_DOCUMENT_CONTENT_TYPES, (_request, payload, done) => done(null, payload));

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

    const responseParams = z.object({ id: z.uuid({ error: 'must be a response id (uuid)' }) });

    app.put(
      '/alert-responses/:id/document',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['alert accountability'],
          summary: "Attaches the authority's answer as a file, a PDF or an image (reviewers and administrators of the network)",
          description:
            'The body is the file itself, with its size in Content-Length and any of `application/pdf`, `image/*` or ' +
            '`application/octet-stream` as Content-Type: the type is read from the bytes, and anything but a PDF or an image is ' +
            'refused (415). At most `VIGIA_EVIDENCE_MAX_BYTES` (413). Stored sealed like evidence; the audit entry carries its ' +
            'SHA-256. With `public=true` the public accountability links to it. One document per response (409).',
          params: responseParams,
          querystring: responseDocumentQuery,
          response: {
            201: z.object({ mimeType: z.string(), length: z.number().int(), sha256: z.string(), public: z.boolean() }),
            ...errorResponses(400, 401, 403, 404, 409, 413, 415),
          },
        },
      },
      async (request, reply) => {
        if (!(request.body instanceof Readable)) {
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file itself as the body, with Content-Type application/pdf, image/… or application/octet-stream.');
        }
        const declared = request.headers['content-length'];
        const length = declared === undefined ? Number.NaN : Number(declared);
        if (!Number.isSafeInteger(length) || length < 0) {
          throw new AppError('BAD_REQUEST', 'Send the file as the body with its size in a Content-Length header.');
        }
        const attached = await attachAlertResponseDocument({
          database,
          keyring,
          store,
          actor: request.actor,
          responseId: request.params.id,
          body: request.body,
          length,
          maxBytes: config.evidence.maxBytes,
          public: request.query.public,
          context: originOf(request),
        });
        return reply.code(201).send(attached);
      },
    );

    app.get(
      '/alert-responses/:id/document',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['alert accountability'],
          summary: "The authority's answer as a file (the network's members; every download is in the audit log)",
          description: 'An image is served as its copy without metadata.',
          params: responseParams,
          response: { ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const opened = await downloadAlertResponseDocument({ database, keyring, store, actor: request.actor, responseId: request.params.id, context: originOf(request) });
        return sendStoredFile(reply, { stream: opened.stream, type: opened.mimeType, fileName: opened.fileName, disposition: 'attachment' });
      },
    );
  };
}
