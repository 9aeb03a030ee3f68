import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSolution, issueChallenge, leadingZeroBits, solveChallenge } from './proof-of-work.js';
import { hashReceiptSecret, isReceiptSecret, newReceiptCode, newReceiptSecret, normalizeReceiptCode, receiptSecretMatches } from './receipts.js';

const key = Buffer.alloc(32, 9);
const now = new Date('2026-11-28T10:00:00Z');

describe('proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(Uint8Array.from([0x80]))).toBe(0);
    expect(leadingZeroBits(Uint8Array.from([0x00, 0x10]))).toBe(11);
    expect(leadingZeroBits(Uint8Array.from([0x00, 0x00, 0x01]))).toBe(23);
  });

  it('accepts a solved challenge and refuses forged, expired, too easy and unsolved ones', () => {
    const { token, challenge } = issueChallenge(key, 8, now);
    const nonce = solveChallenge(token, 8);
    const hash = createHash('sha256').update(`${token}:${nonce}`).digest();
    expect(leadingZeroBits(hash)).toBeGreaterThanOrEqual(8);
    expect(checkSolution(key, token, nonce, 8, now)).toEqual({ ok: true, challenge });

    expect(checkSolution(Buffer.alloc(32, 1), token, nonce, 8, now)).toEqual({ ok: false, reason: 'forged' });
    const raised = token.replace(/\.8\./, '.9.');
    expect(checkSolution(key, raised, nonce, 8, now)).toEqual({ ok: false, reason: 'forged' });
    expect(checkSolution(key, token, nonce, 8, new Date(now.getTime() + 601_000))).toEqual({ ok: false, reason: 'expired' });
    expect(checkSolution(key, token, nonce, 12, now)).toEqual({ ok: false, reason: 'wrong_difficulty' });
    let wrong = Number(nonce) + 1;
    while (leadingZeroBits(createHash('sha256').update(`${token}:${wrong}`).digest()) >= 8) wrong++;
    expect(checkSolution(key, token, String(wrong), 8, now)).toEqual({ ok: false, reason: 'unsolved' });
    expect(checkSolution(key, 'nonsense', '1', 8, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkSolution(key, token, '12a', 8, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('receipts', () => {
  it('makes readable codes and forgives how people type them', () => {
    const code = newReceiptCode();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(code).not.toMatch(/[0O1IL5S2Z]/);
    expect(normalizeReceiptCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(code);
    expect(normalizeReceiptCode('ABC')).toBeNull();
  });

  it('stores only a hash of the secret and compares it', () => {
    const secret = newReceiptSecret();
    expect(isReceiptSecret(secret)).toBe(true);
    const stored = hashReceiptSecret(secret);
    expect(stored).not.toContain(secret);
    expect(receiptSecretMatches(secret, stored)).toBe(true);
    expect(receiptSecretMatches(newReceiptSecret(), stored)).toBe(false);
  });
});
