import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isKnownWebPath, languageOfPath } from '../../domain/web-routes.js';
import { injectPageHead, type PageHead } from '../../presenters/public-alert-page-head.js';
import { sendError } from './errors.js';

/**
 * Serves the built browser app and answers everything no route matched: unknown API paths get the
 * JSON 404; page paths get the app's index.html (200 for a known page, 404 otherwise).
 */
export async function registerWebApp(
  app: FastifyInstance,
  options: {
    webDir: string;
    /** Fills in the head of pages that have their own (public alerts): status, title, meta tags. */
    pageHead?: (request: FastifyRequest, pathname: string) => Promise<PageHead | undefined>;
  },
): Promise<void> {
  const indexFile = path.join(options.webDir, 'index.html');
  const built = fs.existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root: options.webDir,
      prefix: '/',
      wildcard: false,
      index: false,
      // Hashed asset names never change content; everything else is revalidated.
      setHeaders: (res, filePath) => {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  const indexHtml = built ? fs.readFileSync(indexFile, 'utf8') : undefined;
  // The same app for the English pages, saying so before its scripts run (screen readers, translators).
  const englishIndexHtml = indexHtml?.replace(/<html lang="[^"]*"/, () => '<html lang="en"');

  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && !pathname.startsWith('/api/');
    if (!wantsPage || !(request.headers.accept ?? '').includes('text/html')) {
      return sendError(request, reply, 'NOT_FOUND', 404, `No route ${request.method} ${pathname}.`);
    }
    if (!indexHtml) {
      return sendError(
        request,
        reply,
        'SERVICE_UNAVAILABLE',
        503,
        'The browser app is not built. Run `npm run build:web`, or `npm run dev` for development.',
      );
    }
    const page = languageOfPath(pathname) === 'en' ? (englishIndexHtml ?? indexHtml) : indexHtml;
    const head = await options.pageHead?.(request, pathname);
    if (head) {
      return reply.code(head.status).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(injectPageHead(page, head));
    }
    return reply
      .code(isKnownWebPath(pathname) ? 200 : 404)
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(page);
  });
}
