import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestOrigin } from '../../../commands/sign-in.js';
import type { SessionRow } from '../../../auth/sessions.js';
import type { UserActor } from '../../../policies/actor.js';
import { AppError } from '../../errors.js';

/** The audit origin of a request: address, browser, request id. */
export function originOf(request: FastifyRequest): RequestOrigin {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: String(request.id) };
}

/**
 * The signed-in person and their cookie session, on routes whose access already demands one; throws
 * rather than trusting the declaration if a route was declared wrongly.
 */
export function signedInUser(request: FastifyRequest): { actor: UserActor; session: SessionRow } {
  const { actor, authSession } = request;
  if (actor.kind !== 'user' || !authSession) {
    throw new AppError('UNAUTHENTICATED', 'Sign in to continue: this needs a person signed in with a session.');
  }
  return { actor, session: authSession };
}

/** Runs `work`, adding Retry-After to a 429 so clients know when to come back. */
export async function withRetryAfter<T>(reply: FastifyReply, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && error.code === 'RATE_LIMITED') {
      const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof seconds === 'number') reply.header('retry-after', String(seconds));
    }
    throw error;
  }
}
