import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Config } from '../server/config.js';

/*
 * Failed sign-ins are counted per account (by the e-mail typed, whether or not such an account exists,
 * so a lock reveals nothing) and per client address. A key that reaches its limit within the window is
 * locked for `lockMinutes`; failures older than the window are forgotten.
 */

type SignInSettings = Config['signIn'];

/** The throttle key for the account an e-mail names (existing or not). */
export function accountKey(email: string): string {
  return `account:${email.trim().toLowerCase()}`;
}

/** The throttle key for a client address. */
export function addressKey(ip: string): string {
  return `ip:${ip}`;
}

/** Whether sign-in may be attempted now, and if not, how long until it may. */
export type ThrottleState = { locked: false } | { locked: true; retryAfterSeconds: number };

/** Reads whether any of `keys` is locked now; the longest remaining lock wins. */
export async function throttleState(db: Kysely<DB>, keys: readonly string[]): Promise<ThrottleState> {
  const result = await sql<{ seconds: number | string | null }>`
    select ceil(extract(epoch from max(locked_until) - now()))::int as seconds
    from sign_in_throttle
    where key in (${sql.join(keys)}) and locked_until > now()`.execute(db);
  const seconds = Number(result.rows[0]?.seconds ?? 0);
  return seconds > 0 ? { locked: true, retryAfterSeconds: seconds } : { locked: false };
}

/**
 * Counts one failure against each key, locking a key that reaches its limit. Runs in the caller's
 * transaction, which must commit even though the sign-in fails (the caller throws after it).
 */
export async function recordFailure(
  trx: Transaction<DB>,
  failures: ReadonlyArray<{ key: string; limit: number }>,
  settings: SignInSettings,
): Promise<void> {
  const window = sql`make_interval(mins => ${settings.lockMinutes})`;
  for (const { key, limit } of failures) {
    // One statement, so that concurrent failures on the same key each count (the upsert locks the row).
    await sql`
      insert into sign_in_throttle as t (key, failures, window_start)
      values (${key}, 1, now())
      on conflict (key) do update set
        failures = case when t.window_start < now() - ${window} then 1 else t.failures + 1 end,
        window_start = case when t.window_start < now() - ${window} then now() else t.window_start end`.execute(trx);
    // Reaching the limit locks the key and starts a fresh count for after the lock.
    await sql`
      update sign_in_throttle
      set locked_until = now() + ${window}, failures = 0, window_start = now()
      where key = ${key} and failures >= ${limit}`.execute(trx);
  }
}

/** Failures for one sign-in attempt: the account typed and the address it came from. */
export function signInFailureKeys(
  email: string,
  ip: string,
  settings: SignInSettings,
): Array<{ key: string; limit: number }> {
  return [
    { key: accountKey(email), limit: settings.maxFailures },
    { key: addressKey(ip), limit: settings.maxFailuresPerAddress },
  ];
}

/** Forgets an account's failures after a successful sign-in; the address keeps its count. */
export async function clearAccountFailures(trx: Transaction<DB>, email: string): Promise<void> {
  await trx.deleteFrom('sign_in_throttle').where('key', '=', accountKey(email)).execute();
}
