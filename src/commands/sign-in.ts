import type { Database } from '../db/client.js';
import { appendAudit } from '../audit/audit-log.js';
import { verifyPassword } from '../auth/passwords.js';
import { createSession, revokeSessionByToken, type CreatedSession } from '../auth/sessions.js';
import { clearAccountFailures, recordFailure, signInFailureKeys, throttleState, accountKey, addressKey } from '../auth/throttle.js';
import { requiresMfa } from '../auth/user-actor.js';
import { findEnabledUserByEmail, membershipsOfUser } from '../db/repositories/user.repository.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';

/** Where a request came from, for the audit entry. */
export interface RequestOrigin {
  ip: string;
  userAgent: string | null;
  requestId?: string | null;
}

/** What the new session still needs: nothing, the person's code, or enrolling a second factor. */
export type MfaStep = 'none' | 'challenge' | 'enrol';

export interface SignInResult {
  user: { id: string; email: string; displayName: string };
  mfa: MfaStep;
  session: CreatedSession;
}

/** The one answer to a wrong e-mail or password, so that it never tells which was wrong. */
export const INVALID_CREDENTIALS_MESSAGE = 'The e-mail address or the password is not correct.';

/** The answer to a locked account or address, the same whether or not the account exists. */
export function rateLimited(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError(
    'RATE_LIMITED',
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    { retryAfterSeconds },
  );
}

/**
 * Signs a person in with e-mail and password, starting a NEW session (any session the browser
 * presented is revoked, so a planted cookie can never become a signed-in one).
 *
 * Wrong e-mail and wrong password look the same from outside: same error, and the password check
 * runs against a dummy hash when there is no account. Audit entries of failures carry the account's id
 * as subject when the account exists: that tells auditors (instance administrators only, as these
 * entries belong to no organization) which person is being targeted, and never the e-mail typed.
 */
export async function signIn(options: {
  database: Database;
  config: Config;
  email: string;
  password: string;
  ip: string;
  userAgent: string | null;
  presentedToken?: string | undefined;
  requestId?: string | null;
}): Promise<SignInResult> {
  const { database, config, password, ip, userAgent } = options;
  const email = options.email.trim().toLowerCase();
  const origin = { ip, userAgent, requestId: options.requestId ?? null };
  const user = await findEnabledUserByEmail(database.db, email);
  const failed = (reason: 'invalid_credentials' | 'locked') =>
    ({
      actorType: 'anonymous',
      action: 'auth.sign_in.failed',
      subjectType: user ? 'user' : null,
      subjectId: user?.id ?? null,
      details: { reason },
      ...origin,
    }) as const;

  const throttle = await throttleState(database.db, [accountKey(email), addressKey(ip)]);
  if (throttle.locked) {
    await database.transaction((trx) => appendAudit(trx, failed('locked')));
    throw rateLimited(throttle.retryAfterSeconds);
  }

  const passwordMatches = await verifyPassword(user?.password_hash, password);
  if (!user || !passwordMatches) {
    // Committed before answering: the failure must count even though the request fails.
    await database.transaction(async (trx) => {
      await recordFailure(trx, signInFailureKeys(email, ip, config.signIn), config.signIn);
      await appendAudit(trx, failed('invalid_credentials'));
    });
    throw new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
  }

  const memberships = await membershipsOfUser(database.db, user.id);
  const enrolled = user.totp_enabled_at !== null;
  const mfa: MfaStep = enrolled ? 'challenge' : requiresMfa(user, memberships) ? 'enrol' : 'none';
  const session = await database.transaction(async (trx) => {
    if (options.presentedToken) await revokeSessionByToken(trx, options.presentedToken);
    await clearAccountFailures(trx, email);
    const created = await createSession(trx, {
      userId: user.id,
      mfaVerified: mfa === 'none',
      ip,
      userAgent,
      config,
    });
    await appendAudit(trx, {
      actorType: 'user',
      actorId: user.id,
      action: 'auth.sign_in.succeeded',
      subjectType: 'session',
      subjectId: created.sessionId,
      details: { mfa },
      ...origin,
    });
    return created;
  });
  return { user: { id: user.id, email: user.email, displayName: user.display_name }, mfa, session };
}
