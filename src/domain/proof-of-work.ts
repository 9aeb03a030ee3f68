import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A self-hosted proof of work for anonymous reports: the server hands out a signed challenge, the
 * browser finds a nonce whose SHA-256 over `challenge:nonce` starts with `bits` zero bits (a second or two
 * on a phone), and the server checks it in microseconds. It makes a flood of reports expensive without a
 * third-party captcha that would tell another company who reports what. Challenges are stateless (an HMAC
 * over id, difficulty and expiry); the caller records spent ids so one solution files one report.
 */

/** A challenge as parsed from its token. */
export interface Challenge {
  id: string;
  bits: number;
  expiresAt: Date;
}

/** Why a solution was refused, for the one error the client acts on (get a new challenge, solve again). */
export type PowRefusal = 'malformed' | 'forged' | 'expired' | 'wrong_difficulty' | 'unsolved';

const TOKEN = /^([A-Za-z0-9_-]{22})\.(\d{1,2})\.(\d{10,13})\.([A-Za-z0-9_-]{43})$/;

/** Issues a challenge valid for `ttlSeconds`, signed with `key`. */
export function issueChallenge(key: Buffer, bits: number, now: Date, ttlSeconds = 600): { token: string; challenge: Challenge } {
  const id = randomBytes(16).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const body = `${id}.${bits}.${expiresAt.getTime()}`;
  return { token: `${body}.${sign(key, body)}`, challenge: { id, bits, expiresAt } };
}

/** Checks a token and its nonce; returns the challenge or why it was refused. */
export function checkSolution(
  key: Buffer,
  token: string,
  nonce: string,
  minimumBits: number,
  now: Date,
): { ok: true; challenge: Challenge } | { ok: false; reason: PowRefusal } {
  const match = TOKEN.exec(token);
  if (!match || !/^\d{1,20}$/.test(nonce)) return { ok: false, reason: 'malformed' };
  const [, id, bitsText, expiresText, signature] = match;
  const body = `${id}.${bitsText}.${expiresText}`;
  const expected = Buffer.from(sign(key, body));
  const given = Buffer.from(signature!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
  const bits = Number(bitsText);
  const expiresAt = new Date(Number(expiresText));
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  if (bits < minimumBits) return { ok: false, reason: 'wrong_difficulty' };
  if (leadingZeroBits(createHash('sha256').update(`${token}:${nonce}`, 'utf8').digest()) < bits) {
    return { ok: false, reason: 'unsolved' };
  }
  return { ok: true, challenge: { id: id!, bits, expiresAt } };
}

/** How many leading bits of `hash` are zero. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

/** Finds a nonce by brute force (tests and the load benchmark; browsers use their own solver). */
export function solveChallenge(token: string, bits: number): string {
  for (let nonce = 0; ; nonce++) {
    const hash = createHash('sha256').update(`${token}:${nonce}`, 'utf8').digest();
    if (leadingZeroBits(hash) >= bits) return String(nonce);
  }
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
