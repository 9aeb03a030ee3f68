import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { downloadEvidenceOriginal } from '../../../commands/download-evidence-original.js';
import { listEvidenceOfIncident } from '../../../commands/list-incident-evidence.js';
import type { OpenedEvidenceFile } from '../../../commands/open-evidence-file.js';
import { readEvidenceCustody } from '../../../commands/read-evidence-custody.js';
import { readEvidenceUpload } from '../../../commands/read-evidence-upload.js';
import { receiveEvidenceChunk } from '../../../commands/receive-evidence-chunk.js';
import { startEvidenceUpload } from '../../../commands/start-evidence-upload.js';
import { viewEvidence } from '../../../commands/view-evidence.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import type { EvidenceStore } from '../../../evidence/evidence-store.js';
import { access } from '../../../policies/access.js';
import {
  custodySchema,
  evidenceItemSchema,
  presentCustody,
  presentEvidence,
  presentUploadProgress,
  uploadProgressSchema,
  uploadStateSchema,
} from '../../../presenters/evidence.presenter.js';
import type { Config } from '../../config.js';
import { originOf } from '../auth/request.js';
import { sendStoredFile } from '../file-response.js';
import { errorResponses } from '../schemas.js';
import {
  acceptChunks,
  CHUNK_CONTENT_TYPE,
  chunkHeaders,
  chunkOf,
  evidenceParams,
  incidentParams,
  requireChunkContentType,
  startUploadBody,
  UPLOAD_PROTOCOL,
} from './schemas.js';

const tags = ['evidence'];

/**
 * Evidence of incidents, mounted at /api/v1: uploads (a small resumable protocol, see UPLOAD_PROTOCOL),
 * the list on an incident, the metadata-free copy, the original, and the chain of custody. Every access
 * to a file is audited by its command; responses with file bytes are never cached and never sniffed.
 */
export function evidenceRoutes(deps: {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  config: Config;
}): FastifyPluginAsyncZod {
  const { database, keyring, store, config } = deps;
  return async (app) => {
    acceptChunks(app);

    app.post(
      '/incidents/:id/evidence',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'Opens an evidence upload on an incident',
          description: UPLOAD_PROTOCOL,
          params: incidentParams,
          body: startUploadBody,
          response: {
            201: z.object({ id: z.uuid(), offset: z.literal(0), length: z.number().int(), status: z.literal('uploading') }),
            ...errorResponses(400, 401, 403, 404, 413),
          },
        },
      },
      async (request, reply) => {
        const started = await startEvidenceUpload({
          database,
          keyring,
          store,
          maxBytes: config.evidence.maxBytes,
          actor: request.actor,
          incidentId: request.params.id,
          length: request.body.length,
          fileName: request.body.fileName,
          description: request.body.description,
          context: originOf(request),
        });
        return reply.code(201).header('location', `/api/v1/evidence/${started.id}/upload`).send(started);
      },
    );

    app.get(
      '/incidents/:id/evidence',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: "An incident's evidence, in the order it was sent (refused uploads left out)",
          params: incidentParams,
          response: { 200: z.object({ data: z.array(evidenceItemSchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const listed = await listEvidenceOfIncident({ database, keyring, actor: request.actor, incidentId: request.params.id });
        return { data: listed.map(presentEvidence) };
      },
    );

    app.get(
      '/evidence/:id/upload',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'Where an upload stands, to resume it (also as HEAD, with the Upload-Offset header)',
          description: UPLOAD_PROTOCOL,
          params: evidenceParams,
          response: { 200: uploadStateSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const state = await readEvidenceUpload({ database, store, actor: request.actor, evidenceId: request.params.id });
        return reply.header('upload-offset', String(state.offset)).header('upload-length', String(state.length)).send(state);
      },
    );

    app.patch(
      '/evidence/:id/upload',
      {
        config: { access: access.signedInOrToken },
        onRequest: requireChunkContentType,
        schema: {
          tags,
          summary: `Adds a chunk (raw bytes, Content-Type ${CHUNK_CONTENT_TYPE}) at Upload-Offset`,
          description: UPLOAD_PROTOCOL,
          params: evidenceParams,
          headers: chunkHeaders,
          response: { 200: uploadProgressSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
        },
      },
      async (request) => {
        const progress = await receiveEvidenceChunk({
          database,
          keyring,
          store,
          actor: request.actor,
          evidenceId: request.params.id,
          ...chunkOf(request),
          context: originOf(request),
        });
        return presentUploadProgress(progress);
      },
    );

    app.get(
      '/evidence/:id/content',
      {
        // A HEAD would run the handler and record a view or download that never happened.
        exposeHeadRoute: false,
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'The copy of an image without metadata (audited as a view)',
          description:
            'Images only: GPS position, camera, time and every other metadata removed. Video, audio and PDF have no such copy ' +
            'and answer 404 pointing to `/original`. Each call is an `evidence.viewed` entry in the chain of custody.',
          params: evidenceParams,
          response: errorResponses(400, 401, 403, 404, 409),
        },
      },
      async (request, reply) => {
        const opened = await viewEvidence({ database, keyring, store, actor: request.actor, evidenceId: request.params.id, context: originOf(request) });
        return sendFile(reply, opened, 'inline');
      },
    );

    app.get(
      '/evidence/:id/original',
      {
        // A HEAD would run the handler and record a view or download that never happened.
        exposeHeadRoute: false,
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'The original file, decrypted, with all its metadata (audited as a download)',
          description:
            "Only the owning organization's documenters, reviewers and administrators. Always an attachment. " +
            'Each call is an `evidence.original_downloaded` entry in the chain of custody.',
          params: evidenceParams,
          response: errorResponses(400, 401, 403, 404, 409),
        },
      },
      async (request, reply) => {
        const opened = await downloadEvidenceOriginal({ database, keyring, store, actor: request.actor, evidenceId: request.params.id, context: originOf(request) });
        reply.header('content-length', String(opened.evidence.declared_length));
        return sendFile(reply, opened, 'attachment');
      },
    );

    app.get(
      '/evidence/:id/custody',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'The chain of custody: every audit entry about the evidence, oldest first',
          description:
            'Receipt (with the SHA-256), each view, each download of the original, refusals and exports, each with its ' +
            'place (`seq`) and `hash` in the tamper-evident audit chain, so the account can be checked with `vigia audit verify`.',
          params: evidenceParams,
          response: { 200: custodySchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => presentCustody(await readEvidenceCustody({ database, actor: request.actor, evidenceId: request.params.id })),
    );
  };
}

/**
 * Streams a decrypted file under a name that says nothing but its id (the uploader's name can hold a
 * person or a place), with the type its bytes declare (see sendStoredFile).
 */
function sendFile(reply: FastifyReply, opened: OpenedEvidenceFile, disposition: 'inline' | 'attachment'): FastifyReply {
  const type = opened.type?.mime ?? 'application/octet-stream';
  const extension = opened.type?.extension ?? 'bin';
  return sendStoredFile(reply, { stream: opened.stream, type, fileName: `evidence-${opened.evidence.id}.${extension}`, disposition });
}
