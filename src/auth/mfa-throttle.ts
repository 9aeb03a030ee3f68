import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { recordFailure, throttleState } from './throttle.js';

/*
 * Wrong second-factor codes are counted per person, under the sign-in throttle's rules and table. Whoever
 * tries codes already has the password (or a stolen half-signed-in session), so without a limit the
 * 10^6 codes, three of them valid at any moment, would fall within hours.
 */

/** The throttle key for a person's second-factor attempts. */
export function mfaThrottleKey(userId: string): string {
  return `mfa:${userId}`;
}

/**
 * Starts a second-factor attempt inside its transaction: locks the person's row, so that their attempts
 * run one after another and none can pass the lock check while another's failure is still uncounted,
 * then refuses with RATE_LIMITED while the key is locked. Says whether a second factor is enabled.
 */
export async function beginMfaAttempt(trx: Transaction<DB>, userId: string): Promise<{ enrolled: boolean }> {
  const user = await trx
    .selectFrom('users')
    .select('totp_enabled_at')
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to continue: this account no longer exists.');
  const state = await throttleState(trx, [mfaThrottleKey(userId)]);
  if (state.locked) {
    throw new AppError(
      'RATE_LIMITED',
      `Too many wrong codes. Try again in ${Math.ceil(state.retryAfterSeconds / 60)} minutes.`,
      { retryAfterSeconds: state.retryAfterSeconds },
    );
  }
  return { enrolled: user.totp_enabled_at !== null };
}

/** Counts a wrong code; says whether it locked the person's attempts (for the audit entry). */
export async function recordMfaFailure(
  trx: Transaction<DB>,
  userId: string,
  settings: Config['signIn'],
): Promise<{ locked: boolean }> {
  const key = mfaThrottleKey(userId);
  await recordFailure(trx, [{ key, limit: settings.maxFailures }], settings);
  return { locked: (await throttleState(trx, [key])).locked };
}

/** Forgets a person's wrong codes once they have given a right one. */
export async function clearMfaFailures(trx: Transaction<DB>, userId: string): Promise<void> {
  await trx.deleteFrom('sign_in_throttle').where('key', '=', mfaThrottleKey(userId)).execute();
}
