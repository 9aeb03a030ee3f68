import { describe, expect, it } from 'vitest';
import { AppError } from '../server/errors.js';
import { isCommonPassword } from './common-passwords.js';
import { assertAcceptablePassword, hashPassword, passwordProblems, verifyPassword } from './passwords.js';

describe('password policy', () => {
  it('refuses a short password, counting code points rather than UTF-16 units', () => {
    expect(passwordProblems('short-pass1')).toEqual(['must be at least 12 characters long (it has 11)']);
    // Eleven emoji are 22 UTF-16 units but only 11 characters.
    expect(passwordProblems('🔒'.repeat(11))).toEqual(['must be at least 12 characters long (it has 11)']);
    expect(passwordProblems('🔒'.repeat(12))).toEqual([]);
  });

  it('refuses a password that is too long', () => {
    expect(passwordProblems('x'.repeat(257))).toEqual(['must be at most 256 characters long (it has 257)']);
  });

  it('refuses common passwords whatever their case, even when long enough', () => {
    expect(isCommonPassword('PASSWORD')).toBe(true);
    const common = passwordProblems('1q2w3e4r5t6y');
    expect(common).toHaveLength(1);
    expect(common[0]).toMatch(/most common passwords/);
  });

  it('accepts a long uncommon passphrase', () => {
    expect(passwordProblems('la frontera sur de noche')).toEqual([]);
  });

  it('reports each problem against the named field in the validation error shape', () => {
    let error: unknown;
    try {
      assertAcceptablePassword('password', 'newPassword');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    expect((error as AppError).details).toEqual([
      { location: 'body', field: 'newPassword', message: 'must be at least 12 characters long (it has 8)' },
      { location: 'body', field: 'newPassword', message: expect.stringMatching(/most common/) },
    ]);
  });
});

describe('password hashing', () => {
  it('stores argon2id with OWASP parameters and verifies only the right password', async () => {
    const stored = await hashPassword('la frontera sur de noche');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'la frontera sur de noche')).toBe(true);
    expect(await verifyPassword(stored, 'La frontera sur de noche')).toBe(false);
  });

  it('answers false for an account without a hash, after doing the same work', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword(undefined, '')).toBe(false);
  });
});
