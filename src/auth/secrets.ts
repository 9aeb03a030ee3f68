import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Bearer secrets (session cookies, CSRF tokens, API tokens) are 32 random bytes: guessing one is out of
 * reach, so a fast hash is enough to store them (unlike passwords, which people choose and need argon2).
 */

/** 32 random bytes, base64url: the body of every bearer secret Vigía hands out. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex of a secret, the only form in which the database keeps bearer secrets. */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Whether two secrets are equal, in time that does not depend on where they differ. Both sides are
 * hashed first so that their lengths match (timingSafeEqual demands it) without revealing the length.
 */
export function secretsEqual(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(a, b);
}
