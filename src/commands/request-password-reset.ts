import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import {
  newPasswordResetToken,
  PASSWORD_RESET_LIFETIME_MINUTES,
  passwordResetThrottle,
} from '../auth/password-reset.js';
import { recordFailure, throttleState } from '../auth/throttle.js';
import type { Database } from '../db/client.js';
import { findEnabledUserByEmail } from '../db/repositories/user.repository.js';
import { passwordResetEmail, passwordResetLink, webBaseUrl } from '../domain/email-templates.js';
import { enqueueEmail } from '../jobs/email/email.job.js';
import type { JobRegistry } from '../jobs/registry.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import type { RequestOrigin } from './sign-in.js';

/**
 * Asks for a password reset link for an address. The caller answers the same whatever happens here,
 * so the outcome is not returned: with an enabled account behind the address, a one-hour single-use
 * link is e-mailed through the outbox (the newest link replaces any earlier unused one) and
 * 'auth.password.reset_requested' recorded; otherwise nothing is sent.
 *
 * Every request counts against the address typed (account or not) and the client address. Past the
 * per-account limit requests are silently dropped, so nobody can flood a person's inbox; past the
 * per-client limit the client gets 429, which says nothing about any account.
 */
export async function requestPasswordReset(options: {
  database: Database;
  config: Pick<Config, 'signIn' | 'publicUrl' | 'host' | 'port'>;
  jobs: JobRegistry;
  email: string;
  origin: RequestOrigin;
}): Promise<void> {
  const { database, config, origin } = options;
  const email = options.email.trim().toLowerCase();
  const throttle = passwordResetThrottle(email, origin.ip, config.signIn);
  const client = await throttleState(database.db, [throttle.address.key]);
  if (client.locked) {
    const minutes = Math.max(1, Math.ceil(client.retryAfterSeconds / 60));
    throw new AppError(
      'RATE_LIMITED',
      `Too many password reset requests from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { retryAfterSeconds: client.retryAfterSeconds },
    );
  }
  const accountThrottled = (await throttleState(database.db, [throttle.account.key])).locked;

  await database.transaction(async (trx) => {
    await recordFailure(trx, [throttle.account, throttle.address], config.signIn);
    if (accountThrottled) return;
    const user = await findEnabledUserByEmail(trx, email);
    if (!user) return;
    await trx.deleteFrom('password_resets').where('user_id', '=', user.id).where('used_at', 'is', null).execute();
    const { token, tokenHash } = newPasswordResetToken();
    const row = await trx
      .insertInto('password_resets')
      .values({
        token_hash: tokenHash,
        user_id: user.id,
        expires_at: sql<Date>`now() + make_interval(mins => ${PASSWORD_RESET_LIFETIME_MINUTES})`,
      })
      .returning('expires_at')
      .executeTakeFirstOrThrow();
    const content = passwordResetEmail({
      link: passwordResetLink(webBaseUrl(config), token),
      expiresAt: new Date(row.expires_at),
    });
    await enqueueEmail(trx, options.jobs, { to: user.email, ...content, headers: { 'Auto-Submitted': 'auto-generated' } });
    // Anonymous: whoever asked has proved nothing yet; the subject tells auditors which account was targeted.
    await appendAudit(trx, {
      actorType: 'anonymous',
      action: 'auth.password.reset_requested',
      subjectType: 'user',
      subjectId: user.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      requestId: origin.requestId ?? null,
    });
  });
}
