import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { randomSecret, sha256Hex } from './secrets.js';
import { accountKey, addressKey } from './throttle.js';

/*
 * Password resets: a link with a random token goes to the account's address; the database keeps only
 * its SHA-256. A token works once, within an hour, and using it ends every session of the account.
 */

/** How long a reset link works: enough to reach the inbox, short enough that an old e-mail is useless. */
export const PASSWORD_RESET_LIFETIME_MINUTES = 60;

/** Reset e-mails one address can be sent per throttle window (VIGIA_SIGNIN_LOCK_MINUTES). */
export const PASSWORD_RESET_REQUESTS_PER_ACCOUNT = 3;

/** The one answer to every reset request, sent whether or not the account exists. */
export const PASSWORD_RESET_REQUESTED_MESSAGE =
  'If an account uses this address, a link to choose a new password is on its way. It works once, for one hour.';

/** A new reset token (for the link) and the hash to store. */
export function newPasswordResetToken(): { token: string; tokenHash: string } {
  const token = randomSecret();
  return { token, tokenHash: sha256Hex(token) };
}

/** The one answer for a reset link that does not work, whatever the reason. */
export function passwordResetNotFound(): AppError {
  return new AppError('NOT_FOUND', 'This password reset link does not work: it may have expired or been used already.');
}

/**
 * Throttle keys for reset requests, apart from sign-in's so that asking for resets never locks anyone
 * out of signing in. The account key counts requests for an address whether or not it has an account.
 */
export function passwordResetThrottle(
  email: string,
  ip: string,
  settings: Config['signIn'],
): { account: { key: string; limit: number }; address: { key: string; limit: number } } {
  return {
    account: { key: `password-reset:${accountKey(email)}`, limit: PASSWORD_RESET_REQUESTS_PER_ACCOUNT },
    address: { key: `password-reset:${addressKey(ip)}`, limit: settings.maxFailuresPerAddress },
  };
}

/** The account a token resets, when the token still works; locks the token row until the transaction ends. */
export async function findUsablePasswordReset(
  db: Kysely<DB>,
  token: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ tokenHash: string; userId: string } | undefined> {
  const row = await db
    .selectFrom('password_resets')
    .innerJoin('users', 'users.id', 'password_resets.user_id')
    .select(['password_resets.token_hash', 'password_resets.user_id'])
    .where('password_resets.token_hash', '=', sha256Hex(token))
    .where('password_resets.used_at', 'is', null)
    .where('password_resets.expires_at', '>', sql<Date>`now()`)
    .where('users.disabled_at', 'is', null)
    .$if(options.forUpdate === true, (query) => query.forUpdate('password_resets'))
    .executeTakeFirst();
  return row ? { tokenHash: row.token_hash, userId: row.user_id } : undefined;
}
