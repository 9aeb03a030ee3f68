import { sql, type Kysely } from 'kysely';
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

/** Marks a proof-of-work challenge spent; false when it already was. Expired ones are purged on the way. */
export async function spendChallenge(db: Kysely<DB>, challengeId: string, expiresAt: Date): Promise<boolean> {
  await db.deleteFrom('spent_challenges').where('expires_at', '<', sql<Date>`now()`).execute();
  const inserted = await db
    .insertInto('spent_challenges')
    .values({ challenge_id: challengeId, expires_at: expiresAt })
    .onConflict((oc) => oc.column('challenge_id').doNothing())
    .returning('challenge_id')
    .executeTakeFirst();
  return inserted !== undefined;
}
