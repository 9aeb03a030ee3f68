import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addReportInformation, readReceiptStatus } from '../../../commands/receipt-access.js';
import { publicReportIntake } from '../../../commands/file-public-report.js';
import { issueReportChallenge } from '../../../commands/issue-report-challenge.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { access } from '../../../policies/access.js';
import { readEvidenceUpload } from '../../../commands/read-evidence-upload.js';
import { receiveEvidenceChunk } from '../../../commands/receive-evidence-chunk.js';
import { MAX_ATTACHMENTS_PER_REPORT, receiptEvidenceGate, startReportAttachment } from '../../../commands/report-attachments.js';
import type { EvidenceStore } from '../../../evidence/evidence-store.js';
import { ANONYMOUS } from '../../../policies/actor.js';
import { presentUploadProgress, uploadProgressSchema, uploadStateSchema } from '../../../presenters/evidence.presenter.js';
import type { Config } from '../../config.js';
import { acceptChunks, CHUNK_CONTENT_TYPE, chunkHeaders, chunkOf, evidenceParams, requireChunkContentType } from '../evidence/schemas.js';
import { withRetryAfter } from '../auth/request.js';
import { errorResponses } from '../schemas.js';
import { additionBody, attachmentBody, idempotencyHeaders, publicReportBody, receiptBody, receiptSchema, receiptSecretHeaders, receiptStatusSchema } from './schemas.js';

const tags = ['public reports'];

const ATTACHMENT_PROTOCOL =
  `Files sent with a report, held by its receipt (at most ${MAX_ATTACHMENTS_PER_REPORT}, while the report is open): ` +
  '(1) `POST /api/v1/public/reports/attachments` with the receipt and the file\'s exact `length` answers its `id` at offset 0. ' +
  `(2) \`PATCH /api/v1/public/attachments/{id}\` with \`Content-Type: ${CHUNK_CONTENT_TYPE}\`, \`Upload-Offset\` and \`X-Receipt-Secret\` ` +
  'sends the next bytes; a wrong offset answers 409 with `details.offset`. (3) `GET` of the same address (same secret header) gives the offset to resume from. ' +
  'As for evidence, the type is read from the bytes, images get a copy without metadata (GPS included) for those who see them, ' +
  'and the SHA-256 goes into the audit chain. Nothing records who sent them.';

/**
 * Anonymous intake at /api/v1/public: anyone may report, with a proof of work and a per-address limit
 * instead of an account, and come back with the receipt. Nothing here records who the reporter is.
 */
export function publicReportRoutes(deps: { database: Database; keyring: Keyring; config: Config; store: EvidenceStore }): FastifyPluginAsyncZod {
  const { database, keyring, config, store } = deps;
  // One intake per server: reports that arrive together are committed together (see publicReportIntake).
  const fileReport = publicReportIntake({ database, keyring, config });
  return async (app) => {
    acceptChunks(app);

    app.get(
      '/intake',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'The networks that take anonymous reports',
          response: { 200: z.object({ organizations: z.array(z.object({ id: z.uuid(), name: z.string() })) }) },
        },
      },
      async () => {
        const rows = await database.db
          .selectFrom('organizations')
          .select(['id', 'name'])
          .where('accepts_public_reports', '=', true)
          .where('archived_at', 'is', null)
          .orderBy('name')
          .execute();
        return { organizations: rows };
      },
    );

    app.post(
      '/reports/challenges',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'A proof-of-work challenge to solve before sending a report',
          description:
            'Find a decimal `nonce` such that SHA-256 of `challenge + ":" + nonce` (UTF-8) starts with `bits` zero bits, ' +
            'then send both with the report before `expiresAt`. Each solution files one report.',
          response: { 201: z.object({ challenge: z.string(), bits: z.number().int(), expiresAt: z.date() }), ...errorResponses(429) },
        },
      },
      async (request, reply) => {
        const issued = await withRetryAfter(reply, issueReportChallenge({ database, keyring, config, ip: request.ip }));
        return reply.code(201).header('cache-control', 'no-store').send(issued);
      },
    );

    app.post(
      '/reports',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Files an anonymous report and answers with its receipt',
          description:
            'Send a random `Idempotency-Key` and a `receiptSecret` you generated: a retry with the same key and secret ' +
            'answers 200 with the same receipt and never files the report twice.',
          headers: idempotencyHeaders,
          body: publicReportBody,
          response: { 200: receiptSchema, 201: receiptSchema, ...errorResponses(400, 409, 429, 503) },
        },
      },
      async (request, reply) => {
        const { organizationId, pow, receiptSecret, ...report } = request.body;
        const filed = await withRetryAfter(
          reply,
          fileReport({
            report,
            organizationId,
            pow,
            receiptSecret,
            idempotencyKey: request.headers['idempotency-key'] ?? null,
            ip: request.ip,
          }),
        );
        return reply
          .code(filed.replayed ? 200 : 201)
          .header('cache-control', 'no-store')
          .send({ receiptCode: filed.receiptCode, status: 'received' as const, submittedAt: filed.submittedAt });
      },
    );

    app.post(
      '/reports/status',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: "A report's status, for whoever holds its receipt code and secret",
          description: 'A POST so that the secret never appears in a URL, a log or a browser history.',
          body: receiptBody,
          response: { 200: receiptStatusSchema, ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const status = await readReceiptStatus({ database, keyring, receiptCode: request.body.receiptCode, secret: request.body.secret });
        return reply.header('cache-control', 'no-store').send(status);
      },
    );

    app.post(
      '/reports/additions',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Adds information to a report, with its receipt code and secret',
          body: additionBody,
          response: { 201: z.object({ at: z.date() }), ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const { receiptCode, secret, text } = request.body;
        return reply.code(201).send(await addReportInformation({ database, keyring, receiptCode, secret, text }));
      },
    );

    app.post(
      '/reports/attachments',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Opens the upload of a file sent with a report, with its receipt code and secret',
          description: ATTACHMENT_PROTOCOL,
          body: attachmentBody,
          response: {
            201: z.object({ id: z.uuid(), offset: z.literal(0), length: z.number().int(), status: z.literal('uploading') }),
            ...errorResponses(400, 404, 409, 413),
          },
        },
      },
      async (request, reply) => {
        const { receiptCode, secret, length, fileName } = request.body;
        const started = await startReportAttachment({ database, keyring, store, maxBytes: config.evidence.maxBytes, receiptCode, secret, length, fileName });
        return reply.code(201).header('cache-control', 'no-store').send(started);
      },
    );

    app.get(
      '/attachments/:id',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Where the upload of an attachment stands, to resume it (secret in X-Receipt-Secret)',
          description: ATTACHMENT_PROTOCOL,
          params: evidenceParams,
          headers: receiptSecretHeaders,
          response: { 200: uploadStateSchema, ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const state = await readEvidenceUpload({
          database,
          store,
          actor: ANONYMOUS,
          evidenceId: request.params.id,
          gate: receiptEvidenceGate(request.headers['x-receipt-secret']),
        });
        return reply.header('cache-control', 'no-store').header('upload-offset', String(state.offset)).send(state);
      },
    );

    app.patch(
      '/attachments/:id',
      {
        config: { access: access.public },
        onRequest: requireChunkContentType,
        schema: {
          tags,
          summary: `Adds a chunk of an attachment (raw bytes, Content-Type ${CHUNK_CONTENT_TYPE}) at Upload-Offset`,
          description: ATTACHMENT_PROTOCOL,
          params: evidenceParams,
          headers: chunkHeaders.extend(receiptSecretHeaders.shape),
          response: { 200: uploadProgressSchema, ...errorResponses(400, 404, 409, 413, 415) },
        },
      },
      async (request) => {
        // Anonymous whoever calls, and no address in the audit entries.
        const progress = await receiveEvidenceChunk({
          database,
          keyring,
          store,
          actor: ANONYMOUS,
          evidenceId: request.params.id,
          ...chunkOf(request),
          gate: receiptEvidenceGate(request.headers['x-receipt-secret']),
        });
        return presentUploadProgress(progress);
      },
    );
  };
}
