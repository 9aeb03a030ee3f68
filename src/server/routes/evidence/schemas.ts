import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';

/** The media type of a chunk, as in tus: raw bytes, placed at an offset. */
export const CHUNK_CONTENT_TYPE = 'application/offset+octet-stream';

/**
 * Lets chunks reach the handler as the raw request stream: the store seals them as they arrive and
 * enforces the bytes left, so a file is never held whole in memory. Scoped to the plugin it is called in.
 */
export function acceptChunks(app: FastifyInstance): void {
  app.addContentTypeParser(CHUNK_CONTENT_TYPE, (_request, payload, done) => done(null, payload));
}

/** An `onRequest` hook, before the body is touched: a wrong media type gets an answer that says which one to use. */
export async function requireChunkContentType(request: FastifyRequest): Promise<void> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== CHUNK_CONTENT_TYPE) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', `Send chunks as raw bytes with Content-Type: ${CHUNK_CONTENT_TYPE}.`);
  }
}

/** The chunk of a PATCH request as receiveEvidenceChunk takes it: where it goes, its bytes, its declared size. */
export function chunkOf(request: FastifyRequest): { offset: number; chunk: Readable; chunkLength: number | undefined } {
  const contentLength = request.headers['content-length'];
  return {
    offset: Number(request.headers['upload-offset']),
    chunk: request.body as Readable,
    chunkLength: contentLength === undefined ? undefined : Number(contentLength),
  };
}

/** How evidence is uploaded, for the OpenAPI document. */
export const UPLOAD_PROTOCOL =
  'Evidence is uploaded in resumable chunks (like tus, but smaller): ' +
  '(1) `POST /api/v1/incidents/{id}/evidence` with the file\'s exact `length` in bytes opens an upload and answers its `id` at offset 0. ' +
  `(2) \`PATCH /api/v1/evidence/{id}/upload\` with \`Content-Type: ${CHUNK_CONTENT_TYPE}\`, header \`Upload-Offset\` set to the current offset, ` +
  'and the next bytes as the raw body (any size up to what is left) answers the new `offset`. A wrong offset answers 409 with `details.offset`, the offset to resume from. ' +
  '(3) After a broken connection, `HEAD` or `GET /api/v1/evidence/{id}/upload` gives the offset (also in the `Upload-Offset` header); continue from there. ' +
  'The chunk that brings the offset to the length completes the evidence: its SHA-256 is computed and written into the audit chain, ' +
  'its type is read from its bytes (a refused type answers 415 and nothing is kept), and an image gets a copy without metadata. ' +
  'If completing fails on the server after every byte arrived, send an empty chunk at the final offset to complete it. ' +
  'Everything is stored encrypted; the file name and description are sealed and never appear in logs or the audit log.';

export const incidentParams = z.object({ id: z.uuid({ error: 'must be an incident id (uuid)' }) });
export const evidenceParams = z.object({ id: z.uuid({ error: 'must be an evidence id (uuid)' }) });

export const startUploadBody = z
  .object({
    length: z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte').describe('The exact size of the file in bytes'),
    fileName: z.string().trim().min(1).max(255).optional().describe('Sealed; shown only to those who may edit the incident'),
    description: z.string().trim().min(1).max(5000).optional().describe('Sealed'),
  })
  .strict();

export const chunkHeaders = z.object({
  'upload-offset': z
    .string({ error: 'must be sent: the offset this chunk starts at' })
    .regex(/^\d{1,15}$/, 'must be the offset this chunk starts at, in bytes (a whole number)')
    .describe('The offset this chunk starts at: the current offset of the upload'),
});
