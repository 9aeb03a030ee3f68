import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listSessions } from '../../../auth/sessions.js';
import { revokeEverySession, revokeOthers, revokeOwnSession } from '../../../commands/sign-out.js';
import type { Database } from '../../../db/client.js';
import { findEnabledUser, membershipsOfUser } from '../../../db/repositories/user.repository.js';
import { access } from '../../../policies/access.js';
import {
  currentSessionSchema,
  presentCurrentSession,
  presentSessionSummary,
  sessionSummarySchema,
} from '../../../presenters/session.presenter.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { clearSessionCookie } from '../../plugins/authentication.js';
import { errorResponses } from '../schemas.js';
import { originOf, signedInUser } from './request.js';

const tags = ['auth'];

/** The current session and the person's other sessions: GET /session, /sessions, and revoking them. */
export function sessionRoutes(deps: { database: Database; config: Config }): FastifyPluginAsyncZod {
  const { database, config } = deps;
  return async (app) => {
    app.get(
      '/session',
      {
        config: { access: access.signedInPendingMfa },
        schema: {
          tags,
          summary: 'Who is signed in, their organizations and roles, the CSRF token and the two-factor state',
          response: { 200: currentSessionSchema, ...errorResponses(401) },
        },
      },
      async (request) => {
        const { actor, session } = signedInUser(request);
        const user = await findEnabledUser(database.db, actor.userId);
        if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to continue: this account is no longer active.');
        return presentCurrentSession(user, await membershipsOfUser(database.db, user.id), actor, session);
      },
    );

    app.get(
      '/sessions',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Where the person is signed in: their live sessions, newest first',
          response: { 200: z.object({ data: z.array(sessionSummarySchema) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const { actor } = signedInUser(request);
        const sessions = await listSessions(database.db, actor.userId, config);
        return { data: sessions.map((s) => presentSessionSummary(s, actor.sessionId)) };
      },
    );

    app.delete(
      '/sessions/:id',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Ends one of the person’s own sessions',
          params: z.object({ id: z.uuid({ error: 'must be a session id' }) }),
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { actor } = signedInUser(request);
        await revokeOwnSession({ database, actor, origin: originOf(request), sessionId: request.params.id });
        if (request.params.id === actor.sessionId) clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/sessions/revoke-others',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Signs out everywhere else: ends every session but this one',
          response: { 200: z.object({ revoked: z.number().int() }), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const { actor } = signedInUser(request);
        return { revoked: await revokeOthers({ database, actor, origin: originOf(request) }) };
      },
    );

    app.post(
      '/sessions/revoke-all',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Signs out everywhere, this session included',
          response: { 204: z.null(), ...errorResponses(401, 403) },
        },
      },
      async (request, reply) => {
        const { actor } = signedInUser(request);
        await revokeEverySession({ database, actor, origin: originOf(request) });
        clearSessionCookie(reply, config);
        return reply.code(204).send(null);
      },
    );
  };
}
