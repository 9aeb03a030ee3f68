import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../../../db/client.js';

// PLACEHOLDER — being written by the reference-data helper.
export function referenceRoutes(_deps: { database: Database }): FastifyPluginAsyncZod {
  return async () => {};
}
