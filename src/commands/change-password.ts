import { appendAudit } from '../audit/audit-log.js';
import { assertAcceptablePassword, hashPassword, verifyPassword } from '../auth/passwords.js';
import { revokeOtherSessions } from '../auth/sessions.js';
import { accountKey, clearAccountFailures, recordFailure, throttleState } from '../auth/throttle.js';
import type { Database } from '../db/client.js';
import { findEnabledUser } from '../db/repositories/user.repository.js';
import type { UserActor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { rateLimited, type RequestOrigin } from './sign-in.js';

/**
 * Changes the signed-in person's password after checking the current one, and ends every other
 * session (whoever knew the old password may be signed in elsewhere). Wrong current passwords count
 * towards the account's sign-in lock, so a stolen session cannot be used to guess the password.
 */
export async function changePassword(options: {
  database: Database;
  config: Config;
  actor: UserActor;
  currentPassword: string;
  newPassword: string;
  origin: RequestOrigin;
}): Promise<{ revokedSessions: number }> {
  const { database, config, actor, origin } = options;
  assertAcceptablePassword(options.newPassword, 'newPassword');
  const user = await findEnabledUser(database.db, actor.userId);
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to continue: this account is no longer active.');

  const throttle = await throttleState(database.db, [accountKey(user.email)]);
  if (throttle.locked) throw rateLimited(throttle.retryAfterSeconds);
  if (!(await verifyPassword(user.password_hash, options.currentPassword))) {
    await database.transaction((trx) =>
      recordFailure(trx, [{ key: accountKey(user.email), limit: config.signIn.maxFailures }], config.signIn),
    );
    throw new AppError('VALIDATION_FAILED', 'Invalid body: currentPassword: is not your current password', [
      { location: 'body', field: 'currentPassword', message: 'is not your current password' },
    ]);
  }

  const passwordHash = await hashPassword(options.newPassword);
  return database.transaction(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
    const revokedSessions = await revokeOtherSessions(trx, user.id, actor.sessionId);
    await clearAccountFailures(trx, user.email);
    await appendAudit(trx, {
      actorType: 'user',
      actorId: user.id,
      action: 'auth.password.changed',
      subjectType: 'user',
      subjectId: user.id,
      details: { revokedSessions },
      ...origin,
    });
    return { revokedSessions };
  });
}
