import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../../../test/auth.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { insertOrganization } from '../../../../test/organizations.js';
import { generateTotpSecret, totpCode } from '../../../auth/totp.js';
import { buildApp } from '../../app.js';

const BASE = '/api/v1/auth/two-factor';
// Any route that needs a fully signed-in person.
const PROTECTED = '/api/v1/auth/sessions';
const MAX_FAILURES = 3;

type Browser = { cookie: string; csrfToken: string };

// The app shows the code of the current 30-second step; one step ahead is still inside the drift
// window, which lets a test use two fresh codes without waiting for the clock.
const codeAt = (secret: string, stepsAhead = 0) => totpCode(secret, Date.now() + stepsAhead * 30_000);

function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1, 2].map((s) => codeAt(secret, s)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

describeEachEngine('two-factor API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let organizationId: string;

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({
      config: testConfig({ VIGIA_SIGNIN_MAX_FAILURES: String(MAX_FAILURES) }),
      database,
    });
    await app.ready();
    organizationId = (await insertOrganization(database)).id;
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (browser: Browser, url: string, payload?: object) =>
    app.inject({
      method: 'POST',
      url: `${BASE}${url}`,
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken },
      ...(payload ? { payload } : {}),
    } satisfies InjectOptions);
  const getProtected = (browser: Browser) => app.inject({ method: 'GET', url: PROTECTED, headers: { cookie: browser.cookie } });
  const reviewer = (totpSecret?: string): Promise<TestUser> =>
    createUser(database, { memberships: [{ organizationId, roles: ['reviewer'] }], ...(totpSecret ? { totpSecret } : {}) });
  const auditActions = async (userId: string) =>
    (
      await database.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('subject_id', '=', userId)
        .where('action', 'like', 'auth.mfa.%')
        .orderBy('seq')
        .execute()
    ).map((row) => ({ action: row.action, details: row.details }));

  it('a reviewer must enrol before anything else, then is let through', async () => {
    const user = await reviewer();
    const browser = await signIn(app, user.email, user.password);

    const blocked = await getProtected(browser);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('MFA_REQUIRED');

    const enrolment = await post(browser, '/enrolment');
    expect(enrolment.statusCode).toBe(200);
    const { secret, otpauthUrl, qrSvg } = enrolment.json() as { secret: string; otpauthUrl: string; qrSvg: string };
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrSvg).toMatch(/^<svg /);
    // Still pending: the secret alone does not let the session through.
    expect((await getProtected(browser)).statusCode).toBe(403);

    const wrong = await post(browser, '/enrolment/confirm', { code: wrongCode(secret) });
    expect(wrong.statusCode).toBe(400);

    const confirmed = await post(browser, '/enrolment/confirm', { code: codeAt(secret) });
    expect(confirmed.statusCode).toBe(200);
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect((await getProtected(browser)).statusCode).toBe(200);

    const again = await post(browser, '/enrolment');
    expect(again.statusCode).toBe(409);

    const audit = await auditActions(user.id);
    expect(audit).toEqual([{ action: 'auth.mfa.enrolled', details: { method: 'totp', recoveryCodes: 10 } }]);
    const everything = JSON.stringify(await database.db.selectFrom('audit_log').select(['details']).execute());
    expect(everything).not.toContain(secret);
    for (const code of recoveryCodes) expect(everything).not.toContain(code);
  });

  it('an enrolled person passes the challenge with the current code, and the same code is not taken twice', async () => {
    const secret = generateTotpSecret();
    const user = await reviewer(secret);
    const first = await signIn(app, user.email, user.password);
    expect((await getProtected(first)).json().error.code).toBe('MFA_REQUIRED');

    const code = codeAt(secret);
    expect((await post(first, '/challenge', { code })).statusCode).toBe(204);
    expect((await getProtected(first)).statusCode).toBe(200);

    const second = await signIn(app, user.email, user.password);
    const replayed = await post(second, '/challenge', { code });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'invalid_code' } });
    expect((await getProtected(second)).statusCode).toBe(403);
    expect((await post(second, '/challenge', { code: codeAt(secret, 1) })).statusCode).toBe(204);
    expect((await getProtected(second)).statusCode).toBe(200);

    expect((await auditActions(user.id)).map((e) => e.action)).toEqual([
      'auth.mfa.challenge_succeeded',
      'auth.mfa.challenge_failed',
      'auth.mfa.challenge_succeeded',
    ]);
  });

  it('a recovery code works once', async () => {
    const user = await reviewer();
    const enrolling = await signIn(app, user.email, user.password);
    const { secret } = (await post(enrolling, '/enrolment')).json() as { secret: string };
    const { recoveryCodes } = (await post(enrolling, '/enrolment/confirm', { code: codeAt(secret) })).json() as {
      recoveryCodes: string[];
    };
    const recoveryCode = recoveryCodes[3]!;

    const lostPhone = await signIn(app, user.email, user.password);
    expect((await post(lostPhone, '/challenge', { recoveryCode: recoveryCode.toLowerCase() })).statusCode).toBe(204);
    expect((await getProtected(lostPhone)).statusCode).toBe(200);

    const again = await signIn(app, user.email, user.password);
    expect((await post(again, '/challenge', { recoveryCode })).statusCode).toBe(401);
    expect((await getProtected(again)).statusCode).toBe(403);

    const audit = await auditActions(user.id);
    expect(audit.slice(1)).toEqual([
      { action: 'auth.mfa.challenge_succeeded', details: { method: 'recovery_code', sessionId: expect.any(String) } },
      { action: 'auth.mfa.recovery_code_used', details: { remaining: 9 } },
      {
        action: 'auth.mfa.challenge_failed',
        details: { method: 'recovery_code', reason: 'wrong_code', purpose: 'sign_in', locked: false },
      },
    ]);
  });

  it('guessing codes is throttled: after the limit even the right code is refused for a while', async () => {
    const secret = generateTotpSecret();
    const user = await reviewer(secret);
    const browser = await signIn(app, user.email, user.password);
    const guess = wrongCode(secret);
    for (let attempt = 1; attempt <= MAX_FAILURES; attempt++) {
      expect((await post(browser, '/challenge', { code: guess })).statusCode).toBe(401);
    }
    const locked = await post(browser, '/challenge', { code: codeAt(secret) });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await getProtected(browser)).statusCode).toBe(403);

    const failures = (await auditActions(user.id)).map((e) => (e.details as { locked: boolean }).locked);
    expect(failures).toEqual([false, false, true]);
  });

  it('guesses sent all at once cannot outrun the lock', async () => {
    const secret = generateTotpSecret();
    const user = await reviewer(secret);
    const browser = await signIn(app, user.email, user.password);
    const guess = wrongCode(secret);
    const answers = await Promise.all(
      Array.from({ length: MAX_FAILURES * 3 }, () => post(browser, '/challenge', { code: guess })),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(MAX_FAILURES * 2);
  });

  it('a right code clears the count of earlier wrong ones', async () => {
    const secret = generateTotpSecret();
    const user = await reviewer(secret);
    const browser = await signIn(app, user.email, user.password);
    for (let attempt = 1; attempt < MAX_FAILURES; attempt++) {
      expect((await post(browser, '/challenge', { code: wrongCode(secret) })).statusCode).toBe(401);
    }
    expect((await post(browser, '/challenge', { code: codeAt(secret) })).statusCode).toBe(204);
    const later = await signIn(app, user.email, user.password);
    expect((await post(later, '/challenge', { code: wrongCode(secret) })).statusCode).toBe(401);
    expect((await post(later, '/challenge', { code: codeAt(secret, 1) })).statusCode).toBe(204);
  });

  it('new recovery codes need a current code and void the old ones', async () => {
    const user = await reviewer();
    const browser = await signIn(app, user.email, user.password);
    const { secret } = (await post(browser, '/enrolment')).json() as { secret: string };
    const old = (await post(browser, '/enrolment/confirm', { code: codeAt(secret) })).json() as {
      recoveryCodes: string[];
    };

    const missing = await post(browser, '/recovery-codes', {});
    expect(missing.statusCode).toBe(400);
    expect((await post(browser, '/recovery-codes', { code: wrongCode(secret) })).statusCode).toBe(401);

    const fresh = await post(browser, '/recovery-codes', { code: codeAt(secret, 1) });
    expect(fresh.statusCode).toBe(200);
    const { recoveryCodes } = fresh.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(recoveryCodes.filter((c) => old.recoveryCodes.includes(c))).toEqual([]);

    const next = await signIn(app, user.email, user.password);
    expect((await post(next, '/challenge', { recoveryCode: old.recoveryCodes[0]! })).statusCode).toBe(401);
    expect((await post(next, '/challenge', { recoveryCode: recoveryCodes[0]! })).statusCode).toBe(204);
    expect((await auditActions(user.id)).map((e) => e.action)).toContain('auth.mfa.recovery_codes_regenerated');
  });

  it('a half-signed-in session cannot mint recovery codes, and nobody can without a session', async () => {
    const secret = generateTotpSecret();
    const user = await reviewer(secret);
    const browser = await signIn(app, user.email, user.password);
    const pending = await post(browser, '/recovery-codes', { code: codeAt(secret) });
    expect(pending.statusCode).toBe(403);
    expect(pending.json().error.code).toBe('MFA_REQUIRED');

    for (const url of ['/enrolment', '/enrolment/confirm', '/challenge', '/recovery-codes']) {
      const anonymous = await app.inject({ method: 'POST', url: `${BASE}${url}`, payload: { code: '123456' } });
      expect(anonymous.statusCode).toBe(401);
    }
  });

  it('refuses a challenge without a CSRF token, and a person with no second factor gets 409', async () => {
    const user = await createUser(database, { memberships: [{ organizationId, roles: ['documenter'] }] });
    const browser = await signIn(app, user.email, user.password);
    const forged = await app.inject({
      method: 'POST',
      url: `${BASE}/challenge`,
      headers: { cookie: browser.cookie },
      payload: { code: '123456' },
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('CSRF_FAILED');
    expect((await post(browser, '/challenge', { code: '123456' })).statusCode).toBe(409);
  });
});
