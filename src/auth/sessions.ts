import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../db/client.js';
import type { DB, SessionsTable } from '../db/schema.js';
import type { Config } from '../server/config.js';
import { randomSecret, sha256Hex } from './secrets.js';

/*
 * Server-side sessions. The browser holds a random token; the database holds only its SHA-256, so a
 * leaked table cannot be replayed as cookies. A session ends when revoked, when unused for
 * `idleMinutes`, or `absoluteHours` after sign-in however active; all times are the database's clock.
 */

export type SessionRow = Selectable<SessionsTable>;

/** What sign-in hands back: the token goes into the cookie and is never stored or shown again. */
export interface CreatedSession {
  sessionId: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

// Longest user agent kept: enough to tell devices apart in the sessions list, bounded against abuse.
const USER_AGENT_MAX = 512;

/** Starts a session for a person who has just proved who they are (inside the sign-in transaction). */
export async function createSession(
  trx: Transaction<DB>,
  options: {
    userId: string;
    mfaVerified: boolean;
    ip: string | null;
    userAgent: string | null;
    config: Pick<Config, 'sessions'>;
  },
): Promise<CreatedSession> {
  const token = randomSecret();
  const csrfToken = randomSecret();
  const row = await trx
    .insertInto('sessions')
    .values({
      token_hash: sha256Hex(token),
      user_id: options.userId,
      csrf_token: csrfToken,
      mfa_verified: options.mfaVerified,
      expires_at: sql<Date>`now() + make_interval(hours => ${options.config.sessions.absoluteHours})`,
      ip: options.ip,
      user_agent: options.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { sessionId: row.id, token, csrfToken, expiresAt: new Date(row.expires_at) };
}

// Conditions that make a session usable now: not revoked, within both lifetimes.
function live(idleMinutes: number) {
  return sql<boolean>`revoked_at is null and expires_at > now() and last_seen_at > now() - make_interval(mins => ${idleMinutes})`;
}

/**
 * The live session a cookie token names, or undefined. Marks it seen, at most once a minute so that
 * a page's burst of requests does not write a row each.
 */
export async function resolveSession(
  database: Database,
  token: string,
  config: Pick<Config, 'sessions'>,
): Promise<SessionRow | undefined> {
  const session = await database.db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .where(live(config.sessions.idleMinutes))
    .executeTakeFirst();
  if (!session) return undefined;
  await database.db
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id', '=', session.id)
    .where(sql<boolean>`last_seen_at < now() - interval '1 minute'`)
    .execute();
  return session;
}

/** A person's live sessions, newest first, for "where am I signed in". */
export async function listSessions(
  db: Kysely<DB>,
  userId: string,
  config: Pick<Config, 'sessions'>,
): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where(live(config.sessions.idleMinutes))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Revokes one of a person's own sessions; false when it is not theirs or already ended. */
export async function revokeSession(trx: Transaction<DB>, userId: string, sessionId: string): Promise<boolean> {
  const result = await trx
    .updateTable('sessions')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes whatever session a presented cookie token names (whoever it belongs to); true if one was live. */
export async function revokeSessionByToken(trx: Transaction<DB>, token: string): Promise<boolean> {
  const result = await trx
    .updateTable('sessions')
    .set({ revoked_at: sql<Date>`now()` })
    .where('token_hash', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes every session of a person except `keepSessionId` ("sign out everywhere else"); returns how many. */
export function revokeOtherSessions(trx: Transaction<DB>, userId: string, keepSessionId: string): Promise<number> {
  return revokeSessionsOf(trx, userId, keepSessionId);
}

/** Revokes every session of a person (password reset, "sign out everywhere"); returns how many. */
export function revokeAllSessions(trx: Transaction<DB>, userId: string): Promise<number> {
  return revokeSessionsOf(trx, userId, undefined);
}

async function revokeSessionsOf(trx: Transaction<DB>, userId: string, keepSessionId: string | undefined): Promise<number> {
  let query = trx
    .updateTable('sessions')
    .set({ revoked_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keepSessionId !== undefined) query = query.where('id', '<>', keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Records that a session passed the second factor (called by the two-factor routes). */
export async function markSessionMfaVerified(trx: Transaction<DB>, sessionId: string): Promise<void> {
  await trx
    .updateTable('sessions')
    .set({ mfa_verified: true })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}
