import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Keyring } from '../crypto/keyring.js';
import { loadMasterKeys } from '../crypto/master-keys.js';
import type { Database } from '../db/client.js';
import { readMigrations } from '../db/migrate.js';
import { EvidenceStore } from '../evidence/evidence-store.js';
import type { Config } from './config.js';
import type { RouteAccess } from '../policies/access.js';
import { WEB_DIST_DIR } from './paths.js';
import { registerAuthentication } from './plugins/authentication.js';
import { registerErrorHandler, sendError } from './plugins/errors.js';
import { registerJsonBodyParser } from './plugins/json-body.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerSecurityHeaders, securityHeaders, setSecurityHeaders } from './plugins/security.js';
import { registerWebApp } from './plugins/web.js';
import { publicAlertReachRoutes } from './routes/alert-reach/public.js';
import { workspaceAlertReachRoutes } from './routes/alert-reach/workspace.js';
import { alertFeedRoutes, publicAlertRoutes, publicBaseUrl } from './routes/alerts/public.js';
import { publicAlertPageHead } from '../presenters/public-alert-page-head.js';
import { auditRoutes } from './routes/audit/index.js';
import { evidenceRoutes } from './routes/evidence/index.js';
import { authRoutes } from './routes/auth/index.js';
import { twoFactorRoutes } from './routes/auth/two-factor.js';
import { passwordResetRoutes } from './routes/auth/password-reset.js';
import { healthRoutes } from './routes/health.js';
import { importRoutes } from './routes/imports/index.js';
import { incidentRoutes } from './routes/incidents/index.js';
import { alertRoutes } from './routes/alerts/index.js';
import { invitationRoutes } from './routes/invitations/index.js';
import { organizationRoutes } from './routes/organizations/index.js';
import { referenceRoutes } from './routes/reference/index.js';
import { publicReportRoutes } from './routes/reports/public.js';
import { triageRoutes } from './routes/reports/triage.js';
import { statisticsRoutes } from './routes/statistics/index.js';
import { openDataRoutes } from './routes/open-data/index.js';
import { signalRoutes } from './routes/signals/index.js';
import { VERSION } from './version.js';

/** One method and path the app answers, as registered. */
export interface RegisteredRoute {
  method: string;
  url: string;
  /** Left out of the OpenAPI document on purpose (the document itself, the docs page's files). */
  hidden: boolean;
  /** Who may call it (`config.access`; none outside /api/v1): tests find every public endpoint by it. */
  access?: RouteAccess['kind'];
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: readonly RegisteredRoute[];
  }
}

export interface AppDependencies {
  config: Config;
  database: Database;
  /** Where the built browser app is; tests point it elsewhere. */
  webDir?: string;
  /** Seals and opens sensitive fields; by default built from the configured master key. */
  keyring?: Keyring;
  /** Where log lines go instead of standard output (tests read them to prove what never reaches a log). */
  logStream?: { write(line: string): void };
  /** The encrypted evidence files; by default under `<dataDir>/evidence`. One store per data directory. */
  evidenceStore?: EvidenceStore;
}

/** Where evidence files live: one directory per upload, all ciphertext. */
export function evidenceStoreFor(config: Config): EvidenceStore {
  return new EvidenceStore(evidenceDirFor(config));
}

/** Where the evidence store keeps its files (also what backups copy). */
export function evidenceDirFor(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir, 'evidence');
}

/**
 * Fields that must never reach a log line: credentials, cookies, and anything a person typed about
 * an incident. Request bodies are never logged at all; these paths catch the rest.
 */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
  '*.email',
  '*.phone',
  '*.contact',
  '*.narrative',
  '*.name',
];

function loggerOptions(config: Config, stream?: AppDependencies['logStream']): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // The path only: query strings can hold search terms, and search terms can be names.
      req: (req) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * Builds the Fastify application with every plugin and route, without listening: tests call
 * `app.inject`, and `main.ts` listens. Plugins go in a fixed order: security and errors, OpenAPI
 * (it must see the routes), the API routes, then the browser app and the not-found answer.
 */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, database } = deps;
  const keyring = deps.keyring ?? new Keyring(loadMasterKeys(config));
  const evidenceStore = deps.evidenceStore ?? evidenceStoreFor(config);
  const headers = securityHeaders({ https: config.publicUrl?.startsWith('https://') ?? false });
  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    // A path whose %-escapes do not decode (`/api/v1/x/%ff`) gets the one error shape too.
    // No hook runs for it, so it is given the security headers here.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(request, reply, headers);
      sendError(request, reply, 'BAD_REQUEST', 400, `The address is not valid: ${error.message}.`);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every route registered, so tests can check that the OpenAPI document and the policies cover them all.
  const registeredRoutes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    // Deny by default: an API route that does not say who may call it is a start-up error.
    if (route.url.startsWith('/api/v1/') && !route.config?.access) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no config.access (see src/policies/access.ts).`);
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      registeredRoutes.push({ method, url: route.url, hidden: Boolean((route.schema as { hide?: boolean })?.hide), ...(route.config?.access ? { access: route.config.access.kind } : {}) });
    }
  });
  app.decorate('registeredRoutes', registeredRoutes);

  registerSecurityHeaders(app, headers);
  registerErrorHandler(app);
  registerJsonBodyParser(app);
  await registerOpenApi(app, { version: VERSION });
  await registerAuthentication(app, { database, config });

  const expectedMigrations = readMigrations().map((m) => m.id);
  await app.register(healthRoutes({ database, expectedMigrations }));
  await app.register(referenceRoutes({ database }), { prefix: '/api/v1/reference' });
  await app.register(authRoutes({ database, config }), { prefix: '/api/v1/auth' });
  await app.register(twoFactorRoutes({ database, keyring, config }), { prefix: '/api/v1/auth/two-factor' });
  await app.register(organizationRoutes({ database }), { prefix: '/api/v1/organizations' });
  await app.register(auditRoutes({ database }), { prefix: '/api/v1/audit' });
  await app.register(passwordResetRoutes({ database, config }), { prefix: '/api/v1/auth/password-reset' });
  await app.register(invitationRoutes({ database, config }), { prefix: '/api/v1' });
  await app.register(incidentRoutes({ database, keyring }), { prefix: '/api/v1' });
  await app.register(alertRoutes({ database, keyring, config }), { prefix: '/api/v1' });
  await app.register(triageRoutes({ database, keyring, store: evidenceStore, config }), { prefix: '/api/v1' });
  await app.register(importRoutes({ database, keyring }), { prefix: '/api/v1' });
  await app.register(publicReportRoutes({ database, keyring, config, store: evidenceStore }), { prefix: '/api/v1/public' });
  await app.register(statisticsRoutes({ database, config }), { prefix: '/api/v1/statistics' });
  await app.register(openDataRoutes({ database, config }), { prefix: '/api/v1/open-data' });
  await app.register(evidenceRoutes({ database, keyring, store: evidenceStore, config }), { prefix: '/api/v1' });
  await app.register(publicAlertReachRoutes({ database, keyring, config, store: evidenceStore }), { prefix: '/api/v1/public' });
  await app.register(workspaceAlertReachRoutes({ database, keyring, config, store: evidenceStore }), { prefix: '/api/v1' });
  await app.register(publicAlertRoutes({ database, config }), { prefix: '/api/v1/public' });
  await app.register(alertFeedRoutes({ database, config }));
  await app.register(signalRoutes({ database }), { prefix: '/api/v1' });

  await registerWebApp(app, {
    webDir: deps.webDir ?? WEB_DIST_DIR,
    pageHead: (request, pathname) => publicAlertPageHead(database.db, pathname, publicBaseUrl(config, request)),
  });
  return app;
}
