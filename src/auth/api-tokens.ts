import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/client.js';
import type { ApiTokensTable } from '../db/schema.js';
import { randomSecret, sha256Hex } from './secrets.js';

/*
 * API tokens for integrations: `vgt_` + 32 random bytes (base64url). The prefix lets secret scanners
 * and people recognise a leaked token; the database keeps only its SHA-256.
 */

export type ApiTokenRow = Selectable<ApiTokensTable>;

const API_TOKEN_PATTERN = /^vgt_[A-Za-z0-9_-]{43}$/;

/** A new token secret (shown once to its creator) and the hash to store in api_tokens.token_hash. */
export function createApiTokenSecret(): { secret: string; tokenHash: string } {
  const secret = `vgt_${randomSecret()}`;
  return { secret, tokenHash: sha256Hex(secret) };
}

/** Whether a string has the shape of an API token, before any database lookup. */
export function looksLikeApiToken(secret: string): boolean {
  return API_TOKEN_PATTERN.test(secret);
}

/**
 * The token a secret names, if it is neither revoked nor of an archived organization. Marks it used,
 * at most once a minute so that a busy integration does not write a row per request.
 */
export async function authenticateApiToken(database: Database, secret: string): Promise<ApiTokenRow | undefined> {
  if (!looksLikeApiToken(secret)) return undefined;
  const token = await database.db
    .selectFrom('api_tokens')
    .innerJoin('organizations', 'organizations.id', 'api_tokens.organization_id')
    .selectAll('api_tokens')
    .where('api_tokens.token_hash', '=', sha256Hex(secret))
    .where('api_tokens.revoked_at', 'is', null)
    .where('organizations.archived_at', 'is', null)
    .executeTakeFirst();
  if (!token) return undefined;
  await database.db
    .updateTable('api_tokens')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', token.id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
  return token;
}
