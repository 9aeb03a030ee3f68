import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

interface CachedAnswer {
  /** Kept as bytes: a string would be encoded to UTF-8 again (and measured for its length) on every send. */
  body: Buffer;
  etag: string;
}

/**
 * Answers for data that does not change while the server runs (the reference data, loaded at start):
 * each distinct answer is computed once, serialized once and kept with its ETag, and a client that
 * already holds it gets a 304. The first request for a key computes it; one that fails is not kept
 * (a 404 for a name that does not exist costs its query every time, and fills nothing). Once an answer
 * is kept it is sent without waiting for anything: the route's handler need not be async.
 *
 * The answer is sent already serialized, so the route's response schema is not applied to it again:
 * `compute` must return what the schema describes (the presenters do).
 */
export function jsonCache() {
  const ready = new Map<string, CachedAnswer>();
  const computing = new Map<string, Promise<CachedAnswer>>();

  function send(request: FastifyRequest, reply: FastifyReply, { body, etag }: CachedAnswer, type: string): void {
    // Revalidated on every use: a new release may load other reference data, and the ETag says whether it did.
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) reply.code(304).send();
    else reply.type(type).send(body);
  }

  return function sendCached(
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    compute: () => Promise<unknown> | unknown,
    type = 'application/json; charset=utf-8',
  ): void | Promise<void> {
    const answer = ready.get(key);
    if (answer) return send(request, reply, answer, type);
    let pending = computing.get(key);
    if (!pending) {
      pending = Promise.resolve()
        .then(compute)
        .then((value) => {
          const body = Buffer.from(JSON.stringify(value), 'utf8');
          const made = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
          ready.set(key, made);
          return made;
        })
        .finally(() => computing.delete(key));
      computing.set(key, pending);
    }
    return pending.then((made) => send(request, reply, made, type));
  };
}
