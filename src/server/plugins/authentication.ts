import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiToken } from '../../auth/api-tokens.js';
import { csrfTokenMatches, CSRF_HEADER, needsCsrfToken } from '../../auth/csrf.js';
import { resolveSession, type SessionRow } from '../../auth/sessions.js';
import { userActor } from '../../auth/user-actor.js';
import type { Database } from '../../db/client.js';
import { findEnabledUser, membershipsOfUser } from '../../db/repositories/user.repository.js';
import type { RouteAccess } from '../../policies/access.js';
import { ANONYMOUS, type Actor } from '../../policies/actor.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

/** The session cookie's name (see the People and access contract). */
export const SESSION_COOKIE = 'vigia_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; ANONYMOUS until authentication proves otherwise. */
    actor: Actor;
    /** The cookie session behind `actor`, when the request came with a live one (null for API tokens). */
    authSession: SessionRow | null;
  }
}

type CookieConfig = Pick<Config, 'publicUrl' | 'sessions'>;

function cookieOptions(config: CookieConfig) {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    // Over plain http (local use) a Secure cookie would never come back, so only when served over https.
    secure: config.publicUrl?.startsWith('https://') ?? false,
  } as const;
}

/** Hands the browser its session token: HttpOnly, SameSite=Strict, living as long as the session can. */
export function setSessionCookie(reply: FastifyReply, token: string, config: CookieConfig): void {
  reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions(config), maxAge: config.sessions.absoluteHours * 3600 });
}

/** Tells the browser to forget its session token (sign-out, revoked or dead session). */
export function clearSessionCookie(reply: FastifyReply, config: CookieConfig): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
}

/** The raw session token the request's cookie carries, if any (sign-in revokes it: no fixation). */
export function presentedSessionToken(request: FastifyRequest): string | undefined {
  const token = request.cookies[SESSION_COOKIE];
  return token ? token : undefined;
}

/**
 * Resolves `request.actor` from the session cookie or an API token and enforces every route's
 * `config.access` and the CSRF rule. Call before registering routes. It all happens in `onRequest`,
 * before the body is read, so an unauthenticated caller cannot make the server parse or validate anything.
 */
export async function registerAuthentication(
  app: FastifyInstance,
  deps: { database: Database; config: Config },
): Promise<void> {
  const { database, config } = deps;
  // Parsing only: the token is a random secret checked against the database, so it needs no signature.
  await app.register(fastifyCookie);
  // Set per request in the hook below: Fastify refuses a shared object as a request decoration's default.
  app.decorateRequest('actor');
  app.decorateRequest('authSession', null);

  async function fromSession(request: FastifyRequest, token: string): Promise<void> {
    const session = await resolveSession(database, token, config);
    if (!session) return;
    const user = await findEnabledUser(database.db, session.user_id);
    if (!user) return;
    const memberships = await membershipsOfUser(database.db, user.id);
    request.actor = userActor(user, memberships, session);
    request.authSession = session;
  }

  async function fromApiToken(request: FastifyRequest, authorization: string): Promise<void> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) return;
    const token = await authenticateApiToken(database, match[1]);
    if (!token) return;
    request.actor = {
      kind: 'api_token',
      tokenId: token.id,
      organizationId: token.organization_id,
      permissions: token.permissions,
    };
  }

  /** The lookup that identifies the caller, or undefined when the request carries no credential. */
  function identify(request: FastifyRequest): Promise<void> | undefined {
    const authorization = request.headers.authorization;
    // An Authorization header decides alone: a caller that sends one is not also judged by its cookie.
    if (authorization !== undefined) return fromApiToken(request, authorization);
    const token = presentedSessionToken(request);
    return token ? fromSession(request, token) : undefined;
  }

  // A callback hook: a request without credentials (every anonymous public read) is judged without a promise.
  app.addHook('onRequest', (request, reply, done) => {
    request.actor = ANONYMOUS;
    request.authSession = null;
    const routeAccess = request.routeOptions.config?.access;
    // Health checks, the browser app's files and unknown paths need no identity: spare them the lookups.
    if (!routeAccess) return done();
    const judge = () => {
      let refusal: Error | undefined;
      try {
        enforce(request, reply, routeAccess);
      } catch (error) {
        refusal = error as Error;
      }
      done(refusal);
    };
    const lookup = identify(request);
    if (lookup) lookup.then(judge, (error: Error) => done(error));
    else judge();
  });

  function enforce(request: FastifyRequest, reply: FastifyReply, routeAccess: RouteAccess): void {
    const { actor, authSession } = request;
    const csrfMissing =
      authSession !== null &&
      needsCsrfToken(request.method) &&
      !csrfTokenMatches(authSession.csrf_token, request.headers[CSRF_HEADER]);

    if (routeAccess.kind === 'public') {
      // A public route still sees who is calling, but a forged cross-site request must not act as them.
      if (csrfMissing) {
        request.actor = ANONYMOUS;
        request.authSession = null;
      }
      return;
    }
    if (actor.kind === 'anonymous') {
      if (presentedSessionToken(request)) clearSessionCookie(reply, config);
      throw new AppError('UNAUTHENTICATED', 'Sign in to continue: there is no valid session or API token.');
    }
    if (actor.kind === 'api_token') {
      if (routeAccess.kind === 'signedInOrToken') return;
      throw new AppError('FORBIDDEN', 'API tokens cannot be used here; this action needs a person signed in.');
    }
    if (csrfMissing) {
      throw new AppError(
        'CSRF_FAILED',
        `This request must repeat the session's CSRF token in the ${CSRF_HEADER} header (see GET /api/v1/auth/session).`,
      );
    }
    const pendingMfaAllowed = routeAccess.kind === 'signedIn' && routeAccess.allowPendingMfa === true;
    // Stricter than "required and not verified": someone who enrolled voluntarily must also pass it.
    if (!actor.mfaVerified && !pendingMfaAllowed) {
      throw new AppError(
        'MFA_REQUIRED',
        actor.mfaEnrolled
          ? 'Enter the code from your authenticator app to continue.'
          : 'Your role requires two-factor sign-in: set up an authenticator app to continue.',
        { enrolled: actor.mfaEnrolled },
      );
    }
    if (routeAccess.kind === 'instanceAdmin' && !actor.isInstanceAdmin) {
      throw new AppError('FORBIDDEN', 'Only an instance administrator may do this.');
    }
  }
}
