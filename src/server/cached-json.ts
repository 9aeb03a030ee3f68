import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Answers for data that does not change while the server runs (the reference data, loaded at start):
 * each distinct answer is computed once, serialized once and kept with its ETag, and a client that
 * already holds it gets a 304. The first request for a key computes it; one that fails is not kept
 * (a 404 for a name that does not exist costs its query every time, and fills nothing).
 *
 * The answer is sent already serialized, so the route's response schema is not applied to it again:
 * `compute` must return what the schema describes (the presenters do).
 */
export function jsonCache() {
  const entries = new Map<string, Promise<{ body: string; etag: string }>>();
  return async function sendCached(request: FastifyRequest, reply: FastifyReply, key: string, compute: () => Promise<unknown> | unknown, type = 'application/json; charset=utf-8') {
    let entry = entries.get(key);
    if (!entry) {
      entry = Promise.resolve()
        .then(compute)
        .then((value) => {
          const body = JSON.stringify(value);
          return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
        });
      entries.set(key, entry);
      entry.catch(() => entries.delete(key));
    }
    const { body, etag } = await entry;
    // Revalidated on every use: a new release may load other reference data, and the ETag says whether it did.
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(type).send(body);
  };
}
