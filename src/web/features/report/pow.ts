import { Sha256 } from './sha256';

/*
 * The proof of work the server asks of a public report before taking it: find a decimal `nonce` such
 * that SHA-256(UTF-8 of `challenge + ":" + nonce`) starts with at least `bits` zero bits. Each extra
 * bit doubles the expected work (18 bits: about 260 000 hashes), which costs a phone a second or two
 * and a flood of automated reports a great deal.
 */

/** What the server hands out: solve it before `expiresAt`, once. */
export interface PowChallenge {
  challenge: string;
  bits: number;
  expiresAt: string;
}

/** The number of zero bits at the start of a digest given as 32-bit big-endian words. */
export function leadingZeroBits(words: ArrayLike<number>): number {
  let zeros = 0;
  for (let i = 0; i < words.length; i++) {
    const clz = Math.clz32(words[i]!);
    zeros += clz;
    if (clz < 32) break;
  }
  return zeros;
}

/** Whether `nonce` solves `challenge` at `bits` (the server's check, repeated here for tests). */
export function isSolution(challenge: string, bits: number, nonce: string): boolean {
  const message = new TextEncoder().encode(`${challenge}:${nonce}`);
  return leadingZeroBits(new Sha256().digestWords(message)) >= bits;
}

/**
 * Tries the nonces `from`, `from + 1`, … (`count` of them) and returns the first that solves the
 * challenge, or undefined. Searching in slices lets the caller report progress and stop between them.
 */
export function searchNonce(challenge: string, bits: number, from: number, count: number): string | undefined {
  const prefix = new TextEncoder().encode(`${challenge}:`);
  // Room for the prefix and any nonce up to 2^53, which no search will reach.
  const buffer = new Uint8Array(prefix.length + 16);
  buffer.set(prefix);
  const hasher = new Sha256();
  for (let n = from; n < from + count; n++) {
    const digits = String(n);
    for (let i = 0; i < digits.length; i++) buffer[prefix.length + i] = digits.charCodeAt(i);
    if (leadingZeroBits(hasher.digestWords(buffer, prefix.length + digits.length)) >= bits) return digits;
  }
  return undefined;
}

/** The expected number of hashes for `bits`, to show progress against. */
export function expectedAttempts(bits: number): number {
  return 2 ** bits;
}
