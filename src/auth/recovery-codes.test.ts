import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { insertUser } from '../../test/organizations.js';
import {
  countUnusedRecoveryCodes,
  generateRecoveryCode,
  hashRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_COUNT,
  replaceRecoveryCodes,
  useRecoveryCode,
} from './recovery-codes.js';

describe('recovery code format', () => {
  it('makes two groups of five symbols from an alphabet without look-alikes', () => {
    expect(RECOVERY_CODE_ALPHABET).toHaveLength(31);
    expect(RECOVERY_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    const codes = Array.from({ length: 200 }, generateRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('reads a code however it was copied, and refuses what cannot be one', () => {
    expect(normalizeRecoveryCode('7KQ2M-XH9PA')).toBe('7KQ2MXH9PA');
    expect(normalizeRecoveryCode(' 7kq2m xh9pa ')).toBe('7KQ2MXH9PA');
    expect(normalizeRecoveryCode('7kq2mxh9pa')).toBe('7KQ2MXH9PA');
    expect(normalizeRecoveryCode('7KQ2M-XH9P')).toBeUndefined();
    expect(normalizeRecoveryCode('7KQ2M-XH9PA2')).toBeUndefined();
    expect(normalizeRecoveryCode('0KQ2M-XH9PA')).toBeUndefined();
    expect(normalizeRecoveryCode('')).toBeUndefined();
  });

  it('hashes the same code differently for different people', () => {
    const code = '7KQ2MXH9PA';
    expect(hashRecoveryCode(randomUUID(), code)).not.toBe(hashRecoveryCode(randomUUID(), code));
    expect(hashRecoveryCode('a', code)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describeEachEngine('recovery codes', (getDatabase) => {
  it('stores ten codes only as hashes', async () => {
    const database = getDatabase();
    const userId = await insertUser(database);
    const codes = await database.transaction((trx) => replaceRecoveryCodes(trx, userId));
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);

    const rows = await database.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', userId).execute();
    expect(rows.map((r) => r.code_hash).sort()).toEqual(
      codes.map((c) => hashRecoveryCode(userId, normalizeRecoveryCode(c)!)).sort(),
    );
    const stored = JSON.stringify(rows);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(normalizeRecoveryCode(code));
    }
    expect(await database.transaction((trx) => countUnusedRecoveryCodes(trx, userId))).toBe(10);
  });

  it('accepts each code once', async () => {
    const database = getDatabase();
    const userId = await insertUser(database);
    const [first, second] = await database.transaction((trx) => replaceRecoveryCodes(trx, userId));
    const use = (code: string) => database.transaction((trx) => useRecoveryCode(trx, userId, code));

    expect(await use(first!)).toBe(true);
    expect(await use(first!)).toBe(false);
    expect(await use(first!.toLowerCase().replace('-', ' '))).toBe(false);
    expect(await use(second!.toLowerCase().replace('-', ''))).toBe(true);
    expect(await database.transaction((trx) => countUnusedRecoveryCodes(trx, userId))).toBe(8);
  });

  it("refuses another person's code and codes that were never made", async () => {
    const database = getDatabase();
    const owner = await insertUser(database);
    const stranger = await insertUser(database);
    const [code] = await database.transaction((trx) => replaceRecoveryCodes(trx, owner));
    expect(await database.transaction((trx) => useRecoveryCode(trx, stranger, code!))).toBe(false);
    expect(await database.transaction((trx) => useRecoveryCode(trx, owner, generateRecoveryCode()))).toBe(false);
    expect(await database.transaction((trx) => useRecoveryCode(trx, owner, 'not a code'))).toBe(false);
    expect(await database.transaction((trx) => useRecoveryCode(trx, owner, code!))).toBe(true);
  });

  it('making new codes voids every old one, used or not', async () => {
    const database = getDatabase();
    const userId = await insertUser(database);
    const old = await database.transaction((trx) => replaceRecoveryCodes(trx, userId));
    expect(await database.transaction((trx) => useRecoveryCode(trx, userId, old[0]!))).toBe(true);
    const fresh = await database.transaction((trx) => replaceRecoveryCodes(trx, userId));
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    expect(await database.transaction((trx) => useRecoveryCode(trx, userId, old[1]!))).toBe(false);
    expect(await database.transaction((trx) => countUnusedRecoveryCodes(trx, userId))).toBe(10);
    expect(await database.transaction((trx) => useRecoveryCode(trx, userId, fresh[0]!))).toBe(true);
  });

  it('lets only one of two simultaneous requests spend the same code', async () => {
    const database = getDatabase();
    const userId = await insertUser(database);
    const [code] = await database.transaction((trx) => replaceRecoveryCodes(trx, userId));
    const results = await Promise.all(
      [0, 1].map(() => database.transaction((trx) => useRecoveryCode(trx, userId, code!))),
    );
    expect(results.sort()).toEqual([false, true]);
  });
});
