import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';

/**
 * A file served from this origin must never run: no script, no plugin, no frame, even if a crafted
 * file were somehow taken for HTML. `sandbox` also gives it an opaque origin, away from the session.
 */
const FILE_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox";

/**
 * Streams a stored file (evidence, an authority's answer) under the type its bytes declared, which
 * comes from an allow-list and so is never HTML; with nosniff and the sandboxing policy, not even a
 * crafted polyglot can run in this origin. `cacheable` is for public documents only.
 */
export function sendStoredFile(
  reply: FastifyReply,
  file: { stream: Readable; type: string; fileName: string; disposition: 'inline' | 'attachment'; cacheable?: boolean },
): FastifyReply {
  return reply
    .header('content-type', file.type)
    .header('content-disposition', `${file.disposition}; filename="${file.fileName}"`)
    .header('cache-control', file.cacheable ? 'public, max-age=300' : 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', FILE_CONTENT_SECURITY_POLICY)
    .header('cross-origin-resource-policy', 'same-origin')
    .send(file.stream);
}
