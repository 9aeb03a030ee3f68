import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth.js';
import { testConfig } from '../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../test/db.js';
import { deliverQueuedEmails, tokenFromLink } from '../jobs/email/email.test-helper.js';
import { allJobs, emptyOutbox } from '../jobs/jobs.test-helper.js';
import type { Config } from '../server/config.js';
import { buildApp } from '../server/app.js';
import { PASSWORD_RESET_REQUESTS_PER_ACCOUNT } from './password-reset.js';

const BASE = '/api/v1/auth/password-reset';
const NEW_PASSWORD = 'una frase nueva y larga 2026';

describeEachEngine('password reset API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let config: Config;

  beforeAll(async () => {
    database = getDatabase();
    config = testConfig({ VIGIA_PUBLIC_URL: 'https://vigia.example.org' });
    app = await buildApp({ config, database });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await emptyOutbox(database);
    // Every test sends from the same client address; start each from a clean count.
    await sql`delete from sign_in_throttle`.execute(database.db);
  });

  const requestReset = (email: string) => app.inject({ method: 'POST', url: BASE, payload: { email } });
  const complete = (token: string, password: string) =>
    app.inject({ method: 'POST', url: `${BASE}/${token}`, payload: { password } });

  it('answers an unknown address exactly as a known one, and e-mails only the known one', async () => {
    const user = await createUser(database);
    const known = await requestReset(user.email.toUpperCase());
    const unknown = await requestReset('nadie-con-esta-cuenta@example.org');
    const malformed = await requestReset('no es una dirección');

    for (const answer of [unknown, malformed]) {
      expect(answer.statusCode).toBe(known.statusCode);
      expect(answer.body).toBe(known.body);
    }
    expect(known.statusCode).toBe(202);
    expect(known.json()).toEqual({ message: expect.stringContaining('If an account uses this address') });
    const jobs = await allJobs(database);
    expect(jobs).toHaveLength(1);
    const [message] = await deliverQueuedEmails(database, config);
    expect(message!.headers.get('to')).toBe(user.email);
    expect(message!.headers.get('subject')).toBe('Restablecer tu contraseña de Vigía / Reset your Vigía password');
    expect(message!.text).toContain('restablecer la contraseña');
    expect(message!.text).toContain('reset the password');
    expect(message!.text).toMatch(/https:\/\/vigia\.example\.org\/restablecer\/[A-Za-z0-9_-]{43}\n/);
  });

  it('a link sets the password once, ends every session, and is then useless', async () => {
    const user = await createUser(database);
    const laptop = await signIn(app, user.email, user.password);
    const phone = await signIn(app, user.email, user.password);
    await requestReset(user.email);
    const [message] = await deliverQueuedEmails(database, config);
    const token = tokenFromLink(message!, 'restablecer');

    const weak = await complete(token, 'corta');
    expect(weak.statusCode).toBe(400);
    // A refused password does not use up the link.
    const done = await complete(token, NEW_PASSWORD);
    expect(done.statusCode).toBe(204);

    for (const browser of [laptop, phone]) {
      const session = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: browser.cookie } });
      expect(session.statusCode).toBe(401);
    }
    const oldPassword = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: user.email, password: user.password },
    });
    expect(oldPassword.statusCode).toBe(401);
    await signIn(app, user.email, NEW_PASSWORD);

    const reused = await complete(token, 'otra frase nueva y larga 2027');
    expect(reused.statusCode).toBe(404);
    await signIn(app, user.email, NEW_PASSWORD);

    const audit = await database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'subject_id', 'details'])
      .where('subject_id', '=', user.id)
      .where('action', 'like', 'auth.password.%')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'auth.password.reset_requested', actor_id: null, subject_id: user.id, details: {} },
      { action: 'auth.password.reset', actor_id: user.id, subject_id: user.id, details: { revokedSessions: 2 } },
    ]);
    expect(JSON.stringify(audit)).not.toContain(user.email);
  });

  it('an expired link, an unknown one and one replaced by a newer request all get the same 404', async () => {
    const user = await createUser(database);
    await requestReset(user.email);
    const [first] = await deliverQueuedEmails(database, config);
    await requestReset(user.email);
    const [second] = await deliverQueuedEmails(database, config);
    const replaced = tokenFromLink(first!, 'restablecer');
    const newest = tokenFromLink(second!, 'restablecer');
    await sql`update password_resets set expires_at = now() - interval '1 second' where user_id = ${user.id}`.execute(database.db);

    const answers = [
      await complete(replaced, NEW_PASSWORD),
      await complete(newest, NEW_PASSWORD),
      await complete('A'.repeat(43), NEW_PASSWORD),
    ];
    const messages = answers.map((answer) => (answer.json() as { error: { code: string; message: string } }).error);
    expect(answers.map((answer) => answer.statusCode)).toEqual([404, 404, 404]);
    expect(new Set(messages.map((error) => `${error.code}: ${error.message}`)).size).toBe(1);
    await signIn(app, user.email, user.password);
  });

  it('stops e-mailing one address after a few requests, still answering 202, so an inbox cannot be flooded', async () => {
    const user = await createUser(database);
    for (let i = 0; i < PASSWORD_RESET_REQUESTS_PER_ACCOUNT + 2; i++) {
      expect((await requestReset(user.email)).statusCode).toBe(202);
    }
    expect(await allJobs(database)).toHaveLength(PASSWORD_RESET_REQUESTS_PER_ACCOUNT);
  });

  it('a client that asks too often gets 429 with Retry-After, whatever the address', async () => {
    const limit = config.signIn.maxFailuresPerAddress;
    for (let i = 0; i < limit; i++) {
      expect((await requestReset(`sin-cuenta-${i}@example.org`)).statusCode).toBe(202);
    }
    const throttled = await requestReset('otra@example.org');
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });
});
