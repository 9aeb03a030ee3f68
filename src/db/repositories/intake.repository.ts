import { sql, type Kysely } from 'kysely';
import type { Challenge } from '../../domain/proof-of-work.js';
import type { DB } from '../schema.js';

/**
 * Counts one hit in the current hour for `bucket` and says whether it stays within `limit`. Buckets name
 * a keyed hash of the address, never the address: an anonymous reporter's IP is exactly what must not be
 * kept. Runs in the caller's transaction; a refused hit rolls back with it, so the count stays at the limit.
 */
export async function countHourlyHit(db: Kysely<DB>, bucket: string, limit: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const result = await sql<{ count: number; retry_after: number }>`
    insert into intake_throttle (bucket, window_start, count)
    values (${bucket}, date_trunc('hour', now()), 1)
    on conflict (bucket, window_start) do update set count = intake_throttle.count + 1
    returning count, ceil(extract(epoch from date_trunc('hour', now()) + interval '1 hour' - now()))::int as retry_after`.execute(db);
  const row = result.rows[0]!;
  return { allowed: Number(row.count) <= limit, retryAfterSeconds: Math.max(1, Number(row.retry_after)) };
}

/** Forgets counters older than a day (called now and then by intake itself; they are useless after the hour). */
export async function purgeOldHits(db: Kysely<DB>): Promise<void> {
  await db.deleteFrom('intake_throttle').where('window_start', '<', sql<Date>`now() - interval '1 day'`).execute();
}

/** Marks the challenges spent (expired ones are purged on the way); answers the ids that were not spent before. */
export async function spendChallenges(trx: Kysely<DB>, challenges: readonly Challenge[]): Promise<Set<string>> {
  await trx.deleteFrom('spent_challenges').where('expires_at', '<', sql<Date>`now()`).execute();
  const unique = [...new Map(challenges.map((c) => [c.id, c])).values()];
  if (unique.length === 0) return new Set();
  const inserted = await trx
    .insertInto('spent_challenges')
    .values(unique.map((c) => ({ challenge_id: c.id, expires_at: c.expiresAt })))
    .onConflict((oc) => oc.column('challenge_id').doNothing())
    .returning('challenge_id')
    .execute();
  return new Set(inserted.map((row) => row.challenge_id));
}

/**
 * Locks the address's counter for the current hour (creating it at zero) and reads it, for a caller that
 * decides how many hits fit and then counts them with `countHourlyHits` in the same transaction.
 */
export async function lockHourlyHits(trx: Kysely<DB>, bucket: string): Promise<{ count: number; retryAfterSeconds: number }> {
  const result = await sql<{ count: number; retry_after: number }>`
    insert into intake_throttle (bucket, window_start, count)
    values (${bucket}, date_trunc('hour', now()), 0)
    on conflict (bucket, window_start) do update set count = intake_throttle.count
    returning count, ceil(extract(epoch from date_trunc('hour', now()) + interval '1 hour' - now()))::int as retry_after`.execute(trx);
  const row = result.rows[0]!;
  return { count: Number(row.count), retryAfterSeconds: Math.max(1, Number(row.retry_after)) };
}

/** Adds `n` hits to the address's counter for the current hour (locked by `lockHourlyHits`). */
export async function countHourlyHits(trx: Kysely<DB>, bucket: string, n: number): Promise<void> {
  await sql`update intake_throttle set count = count + ${n} where bucket = ${bucket} and window_start = date_trunc('hour', now())`.execute(trx);
}
