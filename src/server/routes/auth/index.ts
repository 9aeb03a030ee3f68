import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changePassword } from '../../../commands/change-password.js';
import { signIn } from '../../../commands/sign-in.js';
import { signOut } from '../../../commands/sign-out.js';
import type { Database } from '../../../db/client.js';
import { access } from '../../../policies/access.js';
import { signInResponseSchema } from '../../../presenters/session.presenter.js';
import type { Config } from '../../config.js';
import { clearSessionCookie, presentedSessionToken, setSessionCookie } from '../../plugins/authentication.js';
import { errorResponses } from '../schemas.js';
import { originOf, signedInUser, withRetryAfter } from './request.js';
import { sessionRoutes } from './session.js';

const tags = ['auth'];

// Long enough for any real address and passphrase, short enough that hashing it costs nothing unusual.
const signInBody = z.object({
  email: z.string({ error: 'is required' }).trim().min(1, 'is required').max(320),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(1024),
});

const changePasswordBody = z.object({
  currentPassword: z.string({ error: 'is required' }).min(1, 'is required').max(1024),
  newPassword: z.string({ error: 'is required' }).max(1024),
});

/** Signing in and out, changing one's password, and the session endpoints. Mounted at /api/v1/auth. */
export function authRoutes(deps: { database: Database; config: Config }): FastifyPluginAsyncZod {
  const { database, config } = deps;
  return async (app) => {
    app.post(
      '/sign-in',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Signs in with e-mail and password and starts a new session (cookie)',
          description:
            'Wrong e-mail and wrong password give the same 401. Repeated failures lock the account and the ' +
            'address for a while (429 with Retry-After), whether or not the account exists.',
          body: signInBody,
          response: { 200: signInResponseSchema, ...errorResponses(400, 401, 429) },
        },
      },
      async (request, reply) => {
        const result = await withRetryAfter(
          reply,
          signIn({
            database,
            config,
            email: request.body.email,
            password: request.body.password,
            presentedToken: presentedSessionToken(request),
            ...originOf(request),
          }),
        );
        setSessionCookie(reply, result.session.token, config);
        return { user: result.user, mfa: result.mfa };
      },
    );

    app.post(
      '/sign-out',
      {
        config: { access: access.signedInPendingMfa },
        schema: { tags, summary: 'Ends the current session', response: { 204: z.null(), ...errorResponses(401, 403) } },
      },
      async (request, reply) => {
        await signOut({ database, actor: signedInUser(request).actor, origin: originOf(request) });
        clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );

    app.put(
      '/password',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Changes the password (the current one is required) and ends every other session',
          body: changePasswordBody,
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        await withRetryAfter(
          reply,
          changePassword({
            database,
            config,
            actor: signedInUser(request).actor,
            currentPassword: request.body.currentPassword,
            newPassword: request.body.newPassword,
            origin: originOf(request),
          }),
        );
        return reply.code(204).send(null);
      },
    );

    await app.register(sessionRoutes(deps));
  };
}
