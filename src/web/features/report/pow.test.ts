import { describe, expect, it } from 'vitest';
import { isSolution, leadingZeroBits, searchNonce } from './pow';
import { sha256 } from './sha256';

/** The same check written the slow, obvious way: count zero bits in the digest's bytes. */
function zeroBitsOf(bytes: Uint8Array): number {
  let zeros = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      zeros += 8;
      continue;
    }
    zeros += Math.clz32(byte) - 24;
    break;
  }
  return zeros;
}

describe('proof of work', () => {
  it('counts leading zero bits across word boundaries', () => {
    expect(leadingZeroBits([0x80000000, 0])).toBe(0);
    expect(leadingZeroBits([0x00010000, 0])).toBe(15);
    expect(leadingZeroBits([0, 0x0fffffff])).toBe(36);
    expect(leadingZeroBits([0, 0])).toBe(64);
    // Words from Int32Array are signed; a set top bit is a negative number.
    expect(leadingZeroBits(new Int32Array([-1]))).toBe(0);
  });

  it('finds a nonce whose digest really has the bits asked for, and the smallest one', () => {
    const challenge = 'dGVzdC1jaGFsbGVuZ2UtZm9yLXZpZ2lh';
    const nonce = searchNonce(challenge, 12, 0, 1_000_000);
    expect(nonce).toMatch(/^\d+$/);
    const digest = sha256(new TextEncoder().encode(`${challenge}:${nonce}`));
    expect(zeroBitsOf(digest)).toBeGreaterThanOrEqual(12);
    expect(isSolution(challenge, 12, nonce!)).toBe(true);
    for (let n = 0; n < Number(nonce); n++) {
      expect(zeroBitsOf(sha256(new TextEncoder().encode(`${challenge}:${n}`))) < 12, `nonce ${n}`).toBe(true);
    }
  });

  it('returns nothing when the slice holds no solution, and continues from where it stopped', () => {
    const challenge = 'slices';
    const whole = searchNonce(challenge, 10, 0, 100_000)!;
    expect(searchNonce(challenge, 10, 0, Number(whole))).toBeUndefined();
    expect(searchNonce(challenge, 10, Number(whole), 1)).toBe(whole);
  });

  it('finds the nonce computed independently (Node crypto: the first nonce of 18 bits)', () => {
    // sha256('vigia-known-vector:64968') = 0000182fe21f5f76…, and no smaller nonce has 18 zero bits.
    expect(searchNonce('vigia-known-vector', 18, 0, 100_000)).toBe('64968');
    expect(isSolution('vigia-known-vector', 18, '64968')).toBe(true);
    expect(isSolution('vigia-known-vector', 20, '64968')).toBe(false);
    expect(isSolution('abc', 0, '0')).toBe(true);
  });
});
