import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../../db/client.js';
import { readinessOf } from '../../db/readiness.js';
import { AppError } from '../errors.js';
import { errorResponses } from './schemas.js';

/** Liveness (the process answers) and readiness (the database answers and is fully migrated). */
export function healthRoutes(deps: { database: Database; expectedMigrations: readonly string[] }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['system'],
          summary: 'The process is up',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['system'],
          summary: 'The database is reachable and every migration is applied',
          response: {
            200: z.object({
              status: z.literal('ready'),
              engine: z.enum(['pglite', 'postgres']),
              migrations: z.object({ applied: z.number().int(), expected: z.number().int() }),
            }),
            ...errorResponses(503),
          },
        },
      },
      async () => {
        const readiness = await readinessOf(deps.database, deps.expectedMigrations);
        if (!readiness.ready) throw new AppError('SERVICE_UNAVAILABLE', readiness.reason, readiness.checks);
        return {
          status: 'ready' as const,
          engine: deps.database.engine,
          migrations: { applied: readiness.applied, expected: deps.expectedMigrations.length },
        };
      },
    );
  };
}
