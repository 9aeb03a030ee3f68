import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PASSWORD_RESET_REQUESTED_MESSAGE } from '../../../auth/password-reset.js';
import { completePasswordReset } from '../../../commands/complete-password-reset.js';
import { requestPasswordReset } from '../../../commands/request-password-reset.js';
import type { Database } from '../../../db/client.js';
import { createJobRegistry } from '../../../jobs/run.js';
import { access } from '../../../policies/access.js';
import type { Config } from '../../config.js';
import { clearSessionCookie } from '../../plugins/authentication.js';
import { errorResponses } from '../schemas.js';
import { originOf, withRetryAfter } from './request.js';

const tags = ['auth'];

// Not validated as an address: a malformed one must get the same answer as any other.
const requestBody = z.object({ email: z.string({ error: 'is required' }).trim().min(1, 'is required').max(320) });
const tokenParams = z.object({ token: z.string().max(128) });
const completeBody = z.object({ password: z.string({ error: 'is required' }).max(1024) });

const requestedSchema = z.object({ message: z.string() }).meta({ id: 'PasswordResetRequested' });

/** Forgotten passwords: ask for a link by e-mail, then set a new password with it. Mounted at /api/v1/auth/password-reset. */
export function passwordResetRoutes(deps: { database: Database; config: Config }): FastifyPluginAsyncZod {
  const { database, config } = deps;
  const jobs = createJobRegistry(config);
  return async (app) => {
    app.post(
      '/',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Sends a link to choose a new password, if an account uses this address',
          description:
            'Always 202 with the same body, whether or not the account exists. Too many requests from one ' +
            'client give 429 with Retry-After.',
          body: requestBody,
          response: { 202: requestedSchema, ...errorResponses(400, 429) },
        },
      },
      async (request, reply) => {
        await withRetryAfter(
          reply,
          requestPasswordReset({ database, config, jobs, email: request.body.email, origin: originOf(request) }),
        );
        return reply.code(202).send({ message: PASSWORD_RESET_REQUESTED_MESSAGE });
      },
    );

    app.post(
      '/:token',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: "Sets a new password with a reset link's token and signs the account out everywhere",
          description: 'One 404 for every link that does not work (unknown, expired or used).',
          params: tokenParams,
          body: completeBody,
          response: { 204: z.null(), ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const { userId } = await completePasswordReset({
          database,
          token: request.params.token,
          password: request.body.password,
          origin: originOf(request),
        });
        // Every session of the account just ended; a cookie of another account in this browser is left alone.
        if (request.authSession?.user_id === userId) clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );
  };
}
