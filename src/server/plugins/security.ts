import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Security headers for every response. The Content-Security-Policy allows only this origin's own
 * scripts, styles and connections: no inline script, no third-party host, no framing.
 *
 * Helmet's headers depend on these options only, never on the request: they are worked out once, and
 * each response gets the list (@fastify/helmet rebuilt the whole middleware, parsing every CSP directive,
 * on each request: a fifth of the time of a small public read). A route may still replace one (the
 * sandboxing policy of file downloads), since they are set before its handler runs.
 */
export function securityHeaders(options: { https: boolean }): Readonly<Record<string, string>> {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only means something over HTTPS; sending it from a plain-HTTP dev server is noise.
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  headers['permissions-policy'] = 'camera=(), microphone=(), geolocation=(), interest-cohort=()';
  return Object.freeze(headers);
}

/** Gives a response the security headers and its request id (also used where hooks do not run: unparseable addresses). */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply, headers: Readonly<Record<string, string>>): void {
  reply.headers(headers);
  reply.header('x-request-id', request.id);
}

/** Every response gets `headers` and its request id; API answers are `no-store` unless the route says otherwise. */
export function registerSecurityHeaders(app: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  // Callback hooks, not async ones: they run on every request, and neither waits for anything.
  app.addHook('onRequest', (request, reply, done) => {
    setSecurityHeaders(request, reply, headers);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    // API answers are not kept by browsers or proxies, unless a route says otherwise (reference data, map outlines).
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

/** The headers helmet sets with these options, read off one run of its middleware. */
function helmetHeaders(options: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response, (error?: unknown) => (failure = error));
  if (failure) throw failure;
  if (!headers['content-security-policy']) throw new Error('helmet set no Content-Security-Policy: did its middleware change?');
  return headers;
}
