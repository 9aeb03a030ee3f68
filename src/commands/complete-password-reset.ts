import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { findUsablePasswordReset, passwordResetNotFound } from '../auth/password-reset.js';
import { assertAcceptablePassword, hashPassword } from '../auth/passwords.js';
import { revokeAllSessions } from '../auth/sessions.js';
import { clearAccountFailures } from '../auth/throttle.js';
import type { Database } from '../db/client.js';
import type { RequestOrigin } from './sign-in.js';

/**
 * Sets a new password with a reset link's token: checks the password policy, marks the token used,
 * ends EVERY session of the account (whoever caused the reset may be signed in somewhere), lifts the
 * account's sign-in lock (the person just proved they read its mailbox) and records
 * 'auth.password.reset' — together, in one transaction. The token row stays locked meanwhile, so one
 * link can set a password only once.
 */
export async function completePasswordReset(options: {
  database: Database;
  token: string;
  password: string;
  origin: RequestOrigin;
}): Promise<{ userId: string; revokedSessions: number }> {
  const { database, token, origin } = options;
  if (!(await findUsablePasswordReset(database.db, token))) throw passwordResetNotFound();
  assertAcceptablePassword(options.password);
  // Hashing takes tens of milliseconds on purpose; done before the transaction so no lock waits on it.
  const passwordHash = await hashPassword(options.password);

  return database.transaction(async (trx) => {
    const reset = await findUsablePasswordReset(trx, token, { forUpdate: true });
    if (!reset) throw passwordResetNotFound();
    await trx.updateTable('password_resets').set({ used_at: sql<Date>`now()` }).where('token_hash', '=', reset.tokenHash).execute();
    const user = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', reset.userId)
      .returning(['id', 'email'])
      .executeTakeFirstOrThrow();
    const revokedSessions = await revokeAllSessions(trx, user.id);
    await clearAccountFailures(trx, user.email);
    await appendAudit(trx, {
      actorType: 'user',
      actorId: user.id,
      action: 'auth.password.reset',
      subjectType: 'user',
      subjectId: user.id,
      details: { revokedSessions },
      ip: origin.ip,
      userAgent: origin.userAgent,
      requestId: origin.requestId ?? null,
    });
    return { userId: user.id, revokedSessions };
  });
}
