import { randomUUID } from 'node:crypto';
import { TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { testKeyring, TEST_MASTER_KEY } from '../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../test/db.js';
import { insertUser } from '../../test/organizations.js';
import { Keyring } from '../crypto/keyring.js';
import { generateMasterKeyText, parseMasterKey } from '../crypto/master-keys.js';
import { AppError } from '../server/errors.js';
import {
  confirmTotpEnrolment,
  generateTotpSecret,
  matchTotpStep,
  openTotpSecret,
  qrCodeSvg,
  resealTotpSecrets,
  startTotpEnrolment,
  totpCode,
  totpStep,
  totpUrl,
  verifyTotp,
} from './totp.js';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII "12345678901234567890"; its base32 form follows.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<{ seconds: number; step: number; code: string }> = [
  { seconds: 59, step: 0x1, code: '94287082' },
  { seconds: 1111111109, step: 0x23523ec, code: '07081804' },
  { seconds: 1111111111, step: 0x23523ed, code: '14050471' },
  { seconds: 1234567890, step: 0x273ef07, code: '89005924' },
  { seconds: 2000000000, step: 0x3f940aa, code: '69279037' },
  { seconds: 20000000000, step: 0x27bc86aa, code: '65353130' },
];

describe('TOTP codes (RFC 6238)', () => {
  it.each(RFC_VECTORS)('at $seconds s the step is $step and the 6-digit code is the last six of $code', (vector) => {
    const atMs = vector.seconds * 1000;
    expect(totpStep(atMs)).toBe(vector.step);
    // RFC 4226 truncation keeps the low digits, so the 6-digit code is the 8-digit vector's tail.
    expect(totpCode(RFC_SECRET, atMs)).toBe(vector.code.slice(-6));
    expect(matchTotpStep(RFC_SECRET, vector.code.slice(-6), atMs)).toBe(vector.step);
  });

  it('reads the seed the same way the RFC does (8 digits, same secret)', () => {
    for (const vector of RFC_VECTORS) {
      const totp = new TOTP({ secret: RFC_SECRET, algorithm: 'SHA1', digits: 8, period: 30 });
      expect(totp.generate({ timestamp: vector.seconds * 1000 })).toBe(vector.code);
    }
  });

  it('accepts the steps either side of now, for clock drift, and nothing further', () => {
    const secret = generateTotpSecret();
    const now = Date.UTC(2026, 10, 28, 12, 0, 15);
    const step = totpStep(now);
    for (const offset of [-1, 0, 1]) {
      expect(matchTotpStep(secret, totpCode(secret, now + offset * 30_000), now)).toBe(step + offset);
    }
    for (const offset of [-3, -2, 2, 3]) {
      const code = totpCode(secret, now + offset * 30_000);
      // A code from two steps away can coincide with a nearer one by chance (1 in 10^6 each).
      const nearer = [-1, 0, 1].map((o) => totpCode(secret, now + o * 30_000));
      if (!nearer.includes(code)) expect(matchTotpStep(secret, code, now)).toBeNull();
    }
  });

  it('refuses what is not a code, and tolerates the space apps show in the middle', () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 0);
    const secret = generateTotpSecret();
    const code = totpCode(secret, now);
    expect(matchTotpStep(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now)).toBe(totpStep(now));
    expect(matchTotpStep(secret, '', now)).toBeNull();
    expect(matchTotpStep(secret, code.slice(0, 5), now)).toBeNull();
    expect(matchTotpStep(secret, `${code}0`, now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
  });
});

describe('TOTP secrets and set-up', () => {
  it('makes 160-bit random secrets in base32', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateTotpSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('builds the otpauth URL apps expect: issuer Vigía, the e-mail, SHA1, 6 digits, 30 s', () => {
    const secret = generateTotpSecret();
    const url = new URL(totpUrl(secret, 'ana@example.org'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Vigía:ana@example.org');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      issuer: 'Vigía',
      secret,
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });

  it('draws the QR code locally as a self-contained SVG', async () => {
    const svg = await qrCodeSvg(totpUrl(generateTotpSecret(), 'ana@example.org'));
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<path');
    expect(svg).not.toMatch(/href|<image|<script/i);
  });
});

async function totpColumns(database: TestDatabase, userId: string) {
  return database.db
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled_at', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

describeEachEngine('TOTP enrolment and replay protection', (getDatabase) => {
  const keyring = testKeyring();
  const start = new Date(Date.UTC(2026, 10, 28, 12, 0, 5));
  const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);

  async function enrolledUser(database: TestDatabase): Promise<{ userId: string; secret: string }> {
    const userId = await insertUser(database);
    const { secret } = await database.transaction((trx) => startTotpEnrolment(trx, keyring, userId));
    const check = await database.transaction((trx) =>
      confirmTotpEnrolment(trx, keyring, userId, totpCode(secret, start.getTime()), { now: start }),
    );
    expect(check).toEqual({ ok: true });
    return { userId, secret };
  }

  it('keeps a pending secret until a code from the app confirms it', async () => {
    const database = getDatabase();
    const userId = await insertUser(database);
    const enrolment = await database.transaction((trx) => startTotpEnrolment(trx, keyring, userId));
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrolment.otpauthUrl).toContain(`secret=${enrolment.secret}`);
    expect(enrolment.qrSvg).toMatch(/^<svg /);
    const pending = await totpColumns(database, userId);
    expect(pending).toMatchObject({ totp_enabled_at: null, totp_last_step: null });
    // Stored sealed under the master key, bound to this person: never the secret itself.
    expect(pending.totp_secret).toMatch(/^p1\./);
    expect(pending.totp_secret).not.toContain(enrolment.secret);
    expect(openTotpSecret(keyring, userId, pending.totp_secret!)).toBe(enrolment.secret);
    expect(() => openTotpSecret(keyring, randomUUID(), pending.totp_secret!)).toThrow();

    // A pending secret is no second factor yet.
    const code = totpCode(enrolment.secret, start.getTime());
    expect(await database.transaction((trx) => verifyTotp(trx, keyring, userId, code, { now: start }))).toEqual({
      ok: false,
      reason: 'not_enrolled',
    });

    const wrong = code === '000000' ? '111111' : '000000';
    expect(
      await database.transaction((trx) => confirmTotpEnrolment(trx, keyring, userId, wrong, { now: start })),
    ).toEqual({ ok: false, reason: 'wrong_code' });
    expect((await totpColumns(database, userId)).totp_enabled_at).toBeNull();

    expect(await database.transaction((trx) => confirmTotpEnrolment(trx, keyring, userId, code, { now: start }))).toEqual({
      ok: true,
    });
    const columns = await totpColumns(database, userId);
    expect(columns.totp_enabled_at).toEqual(start);
    expect(columns.totp_last_step).toBe(totpStep(start.getTime()));
  });

  it('starting again replaces a pending secret, so only the newest app set-up works', async () => {
    const database = getDatabase();
    const userId = await insertUser(database);
    const first = await database.transaction((trx) => startTotpEnrolment(trx, keyring, userId));
    const second = await database.transaction((trx) => startTotpEnrolment(trx, keyring, userId));
    expect(second.secret).not.toBe(first.secret);
    const oldCode = totpCode(first.secret, start.getTime());
    if (oldCode !== totpCode(second.secret, start.getTime())) {
      expect(
        await database.transaction((trx) => confirmTotpEnrolment(trx, keyring, userId, oldCode, { now: start })),
      ).toEqual({ ok: false, reason: 'wrong_code' });
    }
  });

  it('refuses to replace an enabled second factor', async () => {
    const database = getDatabase();
    const { userId, secret } = await enrolledUser(database);
    const attempt = database.transaction((trx) => startTotpEnrolment(trx, keyring, userId));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(openTotpSecret(keyring, userId, (await totpColumns(database, userId)).totp_secret!)).toBe(secret);
  });

  it('accepts a code once: the same code again, or an older one, is refused', async () => {
    const database = getDatabase();
    const { userId, secret } = await enrolledUser(database);
    const verify = (code: string, now: Date) => database.transaction((trx) => verifyTotp(trx, keyring, userId, code, { now }));

    // The enrolment code was spent confirming; a few seconds later it still falls in the window.
    expect(await verify(totpCode(secret, start.getTime()), later(10))).toEqual({ ok: false, reason: 'code_reused' });

    const next = totpCode(secret, later(30).getTime());
    expect(await verify(next, later(31))).toEqual({ ok: true });
    expect(await verify(next, later(40))).toEqual({ ok: false, reason: 'code_reused' });

    // A code from the step before the last accepted one is inside the drift window but older: refused.
    expect(await verify(totpCode(secret, start.getTime()), later(45))).toEqual({ ok: false, reason: 'code_reused' });

    expect(await verify(totpCode(secret, later(60).getTime()), later(61))).toEqual({ ok: true });
    expect((await totpColumns(database, userId)).totp_last_step).toBe(totpStep(later(60).getTime()));
  });

  it('refuses a wrong code without recording anything', async () => {
    const database = getDatabase();
    const { userId, secret } = await enrolledUser(database);
    const right = totpCode(secret, later(30).getTime());
    const wrong = right === '123456' ? '654321' : '123456';
    expect(await database.transaction((trx) => verifyTotp(trx, keyring, userId, wrong, { now: later(30) }))).toEqual({
      ok: false,
      reason: 'wrong_code',
    });
    expect((await totpColumns(database, userId)).totp_last_step).toBe(totpStep(start.getTime()));
  });

  it('lets only one of two simultaneous requests use the same code', async () => {
    const database = getDatabase();
    const { userId, secret } = await enrolledUser(database);
    const code = totpCode(secret, later(30).getTime());
    const results = await Promise.all(
      [0, 1].map(() => database.transaction((trx) => verifyTotp(trx, keyring, userId, code, { now: later(30) }))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'code_reused' }]);
  });

  it('says an account without a second factor has none', async () => {
    const database = getDatabase();
    const userId = await insertUser(database);
    expect(await database.transaction((trx) => verifyTotp(trx, keyring, userId, '123456'))).toEqual({
      ok: false,
      reason: 'not_enrolled',
    });
  });

  it('accepts a secret an earlier version stored in plain text, and seals it once its code is accepted', async () => {
    const database = getDatabase();
    const userId = await insertUser(database);
    const secret = generateTotpSecret();
    await database.db.updateTable('users').set({ totp_secret: secret, totp_enabled_at: start }).where('id', '=', userId).execute();
    const ok = await database.transaction((trx) => verifyTotp(trx, keyring, userId, totpCode(secret, later(30).getTime()), { now: later(30) }));
    expect(ok).toEqual({ ok: true });
    const stored = (await totpColumns(database, userId)).totp_secret!;
    expect(stored).toMatch(/^p1\./);
    expect(openTotpSecret(keyring, userId, stored)).toBe(secret);
  });

  it('re-seals every secret under a new master key, which alone then opens them', async () => {
    const database = getDatabase();
    const { userId, secret } = await enrolledUser(database);
    const next = parseMasterKey(generateMasterKeyText(), 'test');
    const rotated = new Keyring({ current: next, previous: [parseMasterKey(TEST_MASTER_KEY, 'test')] });
    expect(await resealTotpSecrets(database.db, rotated)).toBeGreaterThanOrEqual(1);
    expect(await resealTotpSecrets(database.db, rotated)).toBe(0);
    const stored = (await totpColumns(database, userId)).totp_secret!;
    expect(openTotpSecret(new Keyring({ current: next, previous: [] }), userId, stored)).toBe(secret);
    expect(() => openTotpSecret(keyring, userId, stored)).toThrow(/VIGIA_PREVIOUS_MASTER_KEYS/);
  });
});
