import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser, sessionCookieFrom, signIn, TEST_PASSWORD } from '../../../../test/auth.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine } from '../../../../test/db.js';
import { createApiTokenSecret } from '../../../auth/api-tokens.js';
import { sha256Hex } from '../../../auth/secrets.js';
import { verifyAuditChain } from '../../../audit/audit-log.js';
import type { Database } from '../../../db/client.js';
import { access } from '../../../policies/access.js';
import { buildApp } from '../../app.js';

const MAX_FAILURES = 3;
const MAX_FAILURES_PER_ADDRESS = 6;

// Every test signs in from an address of its own, so that per-address counts never leak between tests.
let addressCounter = 0;
function freshAddress(): string {
  addressCounter += 1;
  return `10.0.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

async function insertOrganization(database: Database): Promise<string> {
  const slug = `org-${randomUUID().slice(0, 8)}`;
  const row = await database.db
    .insertInto('organizations')
    .values({ slug, name: `Albergue ${slug}`, kind: 'shelter' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function withoutRequestId(response: LightMyRequestResponse): unknown {
  const body = response.json() as { error: Record<string, unknown> };
  const { requestId: _ignored, ...rest } = body.error;
  return rest;
}

describeEachEngine('authentication', (getDatabase) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildApp({
      config: testConfig({
        VIGIA_SIGNIN_MAX_FAILURES: String(MAX_FAILURES),
        VIGIA_SIGNIN_MAX_FAILURES_PER_ADDRESS: String(MAX_FAILURES_PER_ADDRESS),
        VIGIA_SIGNIN_LOCK_MINUTES: '15',
        VIGIA_SESSION_IDLE_MINUTES: '30',
        VIGIA_SESSION_ABSOLUTE_HOURS: '12',
      }),
      database: getDatabase(),
    });
    // Routes with the other access kinds, which this endpoints do not use.
    app.post('/api/v1/test/token-or-session', { config: { access: access.signedInOrToken } }, async (request) => ({
      kind: request.actor.kind,
    }));
    app.route({
      method: ['GET', 'POST'],
      url: '/api/v1/test/public',
      config: { access: access.public },
      handler: async (request) => ({ kind: request.actor.kind }),
    });
    app.get('/api/v1/test/instance-admin', { config: { access: access.instanceAdmin } }, async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  function attempt(email: string, password: string, remoteAddress: string, cookie?: string) {
    return app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email, password },
      remoteAddress,
      ...(cookie ? { headers: { cookie } } : {}),
    });
  }

  it('signs in with an HttpOnly, SameSite=Strict session cookie and reports the two-factor state', async () => {
    const user = await createUser(getDatabase(), { displayName: 'Ana' });
    const response = await attempt(user.email.toUpperCase(), user.password, freshAddress());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: { id: user.id, email: user.email, displayName: 'Ana' }, mfa: 'none' });
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^vigia_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain(`Max-Age=${12 * 3600}`);
    // Served over http in tests: a Secure cookie would never come back.
    expect(setCookie).not.toContain('Secure');

    const cookie = sessionCookieFrom(response.headers['set-cookie']);
    const session = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual({
      user: { id: user.id, email: user.email, displayName: 'Ana', isInstanceAdmin: false },
      memberships: [],
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      mfa: { required: false, enrolled: false, verified: true },
    });
    // Only the hash of the cookie's token is stored.
    const token = cookie.slice('vigia_session='.length);
    const stored = await getDatabase().db.selectFrom('sessions').select('token_hash').where('user_id', '=', user.id).execute();
    expect(stored).toEqual([{ token_hash: sha256Hex(token) }]);
  });

  it('answers 401 without a session, and with a made-up one', async () => {
    const none = await app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('UNAUTHENTICATED');
    const madeUp = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `vigia_session=${'A'.repeat(43)}` },
    });
    expect(madeUp.statusCode).toBe(401);
    // The dead cookie is cleared so the browser stops sending it.
    expect(String(madeUp.headers['set-cookie'])).toMatch(/^vigia_session=;.*Max-Age=0/);
  });

  it('gives a wrong password and an unknown account the identical 401', async () => {
    const user = await createUser(getDatabase());
    const wrong = await attempt(user.email, 'not the password at all', freshAddress());
    const unknown = await attempt(`nadie-${randomUUID()}@test.vigia.local`, 'not the password at all', freshAddress());
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(withoutRequestId(wrong)).toEqual({ code: 'INVALID_CREDENTIALS', message: expect.any(String) });
    expect(withoutRequestId(unknown)).toEqual(withoutRequestId(wrong));
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('locks an account after repeated failures, even against the right password, and unknown accounts alike', async () => {
    const user = await createUser(getDatabase());
    const ghost = `fantasma-${randomUUID()}@test.vigia.local`;
    for (let i = 0; i < MAX_FAILURES; i += 1) {
      expect((await attempt(user.email, `wrong password ${i}`, freshAddress())).statusCode).toBe(401);
      expect((await attempt(ghost, `wrong password ${i}`, freshAddress())).statusCode).toBe(401);
    }
    const locked = await attempt(user.email, user.password, freshAddress());
    const ghostLocked = await attempt(ghost, 'whatever password', freshAddress());
    expect(locked.statusCode).toBe(429);
    expect(ghostLocked.statusCode).toBe(429);
    expect(withoutRequestId(locked)).toEqual({
      code: 'RATE_LIMITED',
      message: 'Too many failed sign-in attempts. Try again in 15 minutes.',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(withoutRequestId(ghostLocked)).toEqual(withoutRequestId(locked));
    for (const response of [locked, ghostLocked]) {
      const retryAfter = Number(response.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(14 * 60);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    }
    expect(locked.headers['set-cookie']).toBeUndefined();

    // When the lock has passed, the right password works and clears the count.
    await getDatabase()
      .db.updateTable('sign_in_throttle')
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where('key', '=', `account:${user.email}`)
      .execute();
    expect((await attempt(user.email, user.password, freshAddress())).statusCode).toBe(200);
    const left = await getDatabase().db.selectFrom('sign_in_throttle').selectAll().where('key', '=', `account:${user.email}`).execute();
    expect(left).toEqual([]);
  });

  it('locks an address that fails against many accounts', async () => {
    const user = await createUser(getDatabase());
    const address = freshAddress();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i += 1) {
      expect((await attempt(`rociado-${i}-${randomUUID()}@test.vigia.local`, 'password spraying', address)).statusCode).toBe(401);
    }
    const blocked = await attempt(user.email, user.password, address);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect((await attempt(user.email, user.password, freshAddress())).statusCode).toBe(200);
  });

  it('starts a new session at every sign-in and kills the one presented (no fixation)', async () => {
    const user = await createUser(getDatabase());
    const first = await signIn(app, user.email, user.password);
    const again = await attempt(user.email, user.password, freshAddress(), first.cookie);
    expect(again.statusCode).toBe(200);
    const second = sessionCookieFrom(again.headers['set-cookie']);
    expect(second).not.toBe(first.cookie);
    const old = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: first.cookie } });
    expect(old.statusCode).toBe(401);
    const current = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: second } });
    expect(current.statusCode).toBe(200);
    const rows = await getDatabase().db.selectFrom('sessions').select(['id', 'revoked_at']).where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.revoked_at === null)).toHaveLength(1);
  });

  it('ends a session unused for the idle time, or older than its absolute lifetime', async () => {
    const user = await createUser(getDatabase());
    const db = getDatabase().db;
    const idle = await signIn(app, user.email, user.password);
    await db
      .updateTable('sessions')
      .set({ last_seen_at: sql<Date>`now() - interval '31 minutes'` })
      .where('token_hash', '=', sha256Hex(idle.cookie.slice('vigia_session='.length)))
      .execute();
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: idle.cookie } })).statusCode).toBe(401);

    const old = await signIn(app, user.email, user.password);
    await db
      .updateTable('sessions')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('token_hash', '=', sha256Hex(old.cookie.slice('vigia_session='.length)))
      .execute();
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: old.cookie } })).statusCode).toBe(401);

    // Activity keeps a session alive: a request marks it seen (at most once a minute).
    const active = await signIn(app, user.email, user.password);
    const activeHash = sha256Hex(active.cookie.slice('vigia_session='.length));
    await db.updateTable('sessions').set({ last_seen_at: sql<Date>`now() - interval '29 minutes'` }).where('token_hash', '=', activeHash).execute();
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: active.cookie } })).statusCode).toBe(200);
    const seen = await db
      .selectFrom('sessions')
      .select(sql<boolean>`last_seen_at > now() - interval '1 minute'`.as('fresh'))
      .where('token_hash', '=', activeHash)
      .executeTakeFirstOrThrow();
    expect(seen.fresh).toBe(true);
  });

  it('lists sessions and signs out one, everywhere else, everywhere, and here', async () => {
    const user = await createUser(getDatabase());
    const a = await signIn(app, user.email, user.password);
    const b = await signIn(app, user.email, user.password);
    const c = await signIn(app, user.email, user.password);
    const list = await app.inject({ url: '/api/v1/auth/sessions', headers: { cookie: a.cookie } });
    expect(list.statusCode).toBe(200);
    const sessions = list.json().data as Array<{ id: string; current: boolean; ip: string }>;
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);

    const other = sessions.find((s) => !s.current)!;
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.id}`,
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken },
    });
    expect(deleted.statusCode).toBe(204);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.id}`,
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken },
    });
    expect(again.statusCode).toBe(404);

    const others = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-others',
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken },
    });
    expect(others.statusCode).toBe(200);
    expect(others.json()).toEqual({ revoked: 1 });
    for (const gone of [b, c]) {
      expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: gone.cookie } })).statusCode).toBe(401);
    }
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: a.cookie } })).statusCode).toBe(200);

    const all = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-all',
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrfToken },
    });
    expect(all.statusCode).toBe(204);
    expect(String(all.headers['set-cookie'])).toMatch(/^vigia_session=;/);
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: a.cookie } })).statusCode).toBe(401);

    const d = await signIn(app, user.email, user.password);
    const out = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie: d.cookie, 'x-csrf-token': d.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: d.cookie } })).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated change without the right CSRF token', async () => {
    const user = await createUser(getDatabase());
    const { cookie, csrfToken } = await signIn(app, user.email, user.password);
    const post = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/sessions/revoke-others', headers: { cookie, ...headers } });
    const missing = await post({});
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('CSRF_FAILED');
    const wrong = await post({ 'x-csrf-token': `${csrfToken.slice(0, -1)}x` });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('CSRF_FAILED');
    expect((await post({ 'x-csrf-token': csrfToken })).statusCode).toBe(200);
    // Reading needs no token.
    expect((await app.inject({ url: '/api/v1/auth/sessions', headers: { cookie } })).statusCode).toBe(200);
  });

  it('does not let a forged cross-site request to a public route act as the signed-in person', async () => {
    const user = await createUser(getDatabase());
    const { cookie, csrfToken } = await signIn(app, user.email, user.password);
    const forged = await app.inject({ method: 'POST', url: '/api/v1/test/public', headers: { cookie } });
    expect(forged.json()).toEqual({ kind: 'anonymous' });
    const genuine = await app.inject({ method: 'POST', url: '/api/v1/test/public', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(genuine.json()).toEqual({ kind: 'user' });
    const read = await app.inject({ method: 'GET', url: '/api/v1/test/public', headers: { cookie } });
    expect(read.json()).toEqual({ kind: 'user' });
  });

  it('accepts an API token without CSRF on token routes and refuses it on person-only routes', async () => {
    const db = getDatabase().db;
    const organizationId = await insertOrganization(getDatabase());
    const { secret, tokenHash } = createApiTokenSecret();
    expect(secret).toMatch(/^vgt_[A-Za-z0-9_-]{43}$/);
    const token = await db
      .insertInto('api_tokens')
      .values({ organization_id: organizationId, name: 'integración', token_hash: tokenHash, permissions: ['incidents:read'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const bearer = { authorization: `Bearer ${secret}` };

    const ok = await app.inject({ method: 'POST', url: '/api/v1/test/token-or-session', headers: bearer });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ kind: 'api_token' });
    const used = await db.selectFrom('api_tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();

    const personOnly = await app.inject({ url: '/api/v1/auth/sessions', headers: bearer });
    expect(personOnly.statusCode).toBe(403);
    expect(personOnly.json().error.code).toBe('FORBIDDEN');

    const forged = await app.inject({
      method: 'POST',
      url: '/api/v1/test/token-or-session',
      headers: { authorization: `Bearer vgt_${'B'.repeat(43)}` },
    });
    expect(forged.statusCode).toBe(401);

    await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', token.id).execute();
    expect((await app.inject({ method: 'POST', url: '/api/v1/test/token-or-session', headers: bearer })).statusCode).toBe(401);

    // A person on the same route still needs the CSRF token.
    const user = await createUser(getDatabase());
    const { cookie, csrfToken } = await signIn(app, user.email, user.password);
    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/test/token-or-session', headers: { cookie } });
    expect(noCsrf.json().error.code).toBe('CSRF_FAILED');
    const withCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/test/token-or-session',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(withCsrf.json()).toEqual({ kind: 'user' });
  });

  it('holds a reviewer without a verified second factor at MFA_REQUIRED', async () => {
    const database = getDatabase();
    const organizationId = await insertOrganization(database);
    const reviewer = await createUser(database, { memberships: [{ organizationId, roles: ['reviewer', 'documenter'] }] });
    const signInResponse = await attempt(reviewer.email, reviewer.password, freshAddress());
    expect(signInResponse.json().mfa).toBe('enrol');
    const { cookie, csrfToken } = await signIn(app, reviewer.email, reviewer.password);

    const session = await app.inject({ url: '/api/v1/auth/session', headers: { cookie } });
    expect(session.statusCode).toBe(200);
    expect(session.json().mfa).toEqual({ required: true, enrolled: false, verified: false });
    expect(session.json().memberships).toEqual([
      { organization: expect.objectContaining({ id: organizationId, kind: 'shelter' }), roles: ['documenter', 'reviewer'] },
    ]);
    const blocked = await app.inject({ url: '/api/v1/auth/sessions', headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('MFA_REQUIRED');
    // Signing out is allowed while the second factor is pending.
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie, 'x-csrf-token': csrfToken } }))
        .statusCode,
    ).toBe(204);

    // Someone with a second factor enrolled is asked for it, and passes once the session is verified.
    const enrolled = await createUser(database, { totpSecret: 'JBSWY3DPEHPK3PXP', memberships: [{ organizationId, roles: ['administrator'] }] });
    expect((await attempt(enrolled.email, enrolled.password, freshAddress())).json().mfa).toBe('challenge');
    const second = await signIn(app, enrolled.email, enrolled.password);
    expect((await app.inject({ url: '/api/v1/auth/sessions', headers: { cookie: second.cookie } })).json().error.code).toBe(
      'MFA_REQUIRED',
    );
    await database.transaction(async (trx) => {
      const { markSessionMfaVerified } = await import('../../../auth/sessions.js');
      const row = await trx
        .selectFrom('sessions')
        .select('id')
        .where('token_hash', '=', sha256Hex(second.cookie.slice('vigia_session='.length)))
        .executeTakeFirstOrThrow();
      await markSessionMfaVerified(trx, row.id);
    });
    expect((await app.inject({ url: '/api/v1/auth/sessions', headers: { cookie: second.cookie } })).statusCode).toBe(200);

    // A session verified before the person became a reviewer must still enrol a second factor.
    const promoted = await createUser(database);
    const promotedSession = await signIn(app, promoted.email, promoted.password);
    await database.db.insertInto('memberships').values({ user_id: promoted.id, organization_id: organizationId, role: 'reviewer' }).execute();
    const held = await app.inject({ url: '/api/v1/auth/sessions', headers: { cookie: promotedSession.cookie } });
    expect(held.json().error).toMatchObject({ code: 'MFA_REQUIRED', details: { enrolled: false } });
  });

  it('keeps instance-administrator routes for instance administrators', async () => {
    const person = await createUser(getDatabase());
    const personSession = await signIn(app, person.email, person.password);
    const refused = await app.inject({ url: '/api/v1/test/instance-admin', headers: { cookie: personSession.cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('FORBIDDEN');

    const admin = await createUser(getDatabase(), { isInstanceAdmin: true, totpSecret: 'JBSWY3DPEHPK3PXP' });
    const adminSession = await signIn(app, admin.email, admin.password);
    // Without the second factor even an instance administrator is held back.
    expect((await app.inject({ url: '/api/v1/test/instance-admin', headers: { cookie: adminSession.cookie } })).json().error.code).toBe(
      'MFA_REQUIRED',
    );
    await getDatabase().db.updateTable('sessions').set({ mfa_verified: true }).where('user_id', '=', admin.id).execute();
    expect((await app.inject({ url: '/api/v1/test/instance-admin', headers: { cookie: adminSession.cookie } })).statusCode).toBe(200);
  });

  it('stops a disabled account’s sessions at once', async () => {
    const user = await createUser(getDatabase());
    const { cookie } = await signIn(app, user.email, user.password);
    await getDatabase().db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie } })).statusCode).toBe(401);
    expect((await attempt(user.email, user.password, freshAddress())).statusCode).toBe(401);
  });

  it('changes the password only with the current one and a good new one, ending the other sessions', async () => {
    const user = await createUser(getDatabase());
    const here = await signIn(app, user.email, user.password);
    const elsewhere = await signIn(app, user.email, user.password);
    const change = (currentPassword: string, newPassword: string) =>
      app.inject({
        method: 'PUT',
        url: '/api/v1/auth/password',
        headers: { cookie: here.cookie, 'x-csrf-token': here.csrfToken },
        payload: { currentPassword, newPassword },
      });
    const weak = await change(user.password, 'qwertyuiop123');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details).toEqual([{ location: 'body', field: 'newPassword', message: expect.stringMatching(/common/) }]);
    const short = await change(user.password, 'corto');
    expect(short.json().error.details[0]).toEqual({
      location: 'body',
      field: 'newPassword',
      message: 'must be at least 12 characters long (it has 5)',
    });
    const wrongCurrent = await change('not my password', 'un cuaderno nuevo de notas');
    expect(wrongCurrent.statusCode).toBe(400);
    expect(wrongCurrent.json().error.details[0].field).toBe('currentPassword');

    expect((await change(user.password, 'un cuaderno nuevo de notas')).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: elsewhere.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/auth/session', headers: { cookie: here.cookie } })).statusCode).toBe(200);
    expect((await attempt(user.email, user.password, freshAddress())).statusCode).toBe(401);
    expect((await attempt(user.email, 'un cuaderno nuevo de notas', freshAddress())).statusCode).toBe(200);
  });

  it('audits sign-ins, failures, sign-outs, revocations and password changes without e-mails, in a valid chain', async () => {
    const database = getDatabase();
    const user = await createUser(database, { password: TEST_PASSWORD });
    const ghost = `auditado-${randomUUID()}@test.vigia.local`;
    await attempt(user.email, 'wrong password here', freshAddress());
    await attempt(ghost, 'wrong password here', freshAddress());
    const { cookie, csrfToken } = await signIn(app, user.email, user.password);
    await app.inject({ method: 'POST', url: '/api/v1/auth/sessions/revoke-others', headers: { cookie, 'x-csrf-token': csrfToken } });
    await app.inject({
      method: 'PUT',
      url: '/api/v1/auth/password',
      headers: { cookie, 'x-csrf-token': csrfToken },
      payload: { currentPassword: user.password, newPassword: 'otra frase bastante larga' },
    });
    await app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie, 'x-csrf-token': csrfToken } });

    const entries = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where((eb) => eb.or([eb('actor_id', '=', user.id), eb('subject_id', '=', user.id), eb('action', '=', 'auth.sign_in.failed')]))
      .orderBy('seq')
      .execute();
    const mine = entries.filter((e) => e.actor_id === user.id || e.subject_id === user.id);
    expect(mine.map((e) => e.action)).toEqual([
      'auth.sign_in.failed',
      'auth.sign_in.succeeded',
      'auth.sessions.revoked',
      'auth.password.changed',
      'auth.sign_out',
    ]);
    expect(mine[0]).toMatchObject({ actor_type: 'anonymous', subject_type: 'user', subject_id: user.id });
    // The unknown account's failure names no subject at all.
    const ghostFailure = entries.filter((e) => e.action === 'auth.sign_in.failed' && e.subject_id === null).at(-1)!;
    expect(JSON.parse(JSON.stringify(ghostFailure.details))).toEqual({ reason: 'invalid_credentials' });
    const text = JSON.stringify(entries);
    expect(text).not.toContain(user.email);
    expect(text).not.toContain(ghost);
    expect(text).not.toContain('wrong password here');
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true });
  });
});
