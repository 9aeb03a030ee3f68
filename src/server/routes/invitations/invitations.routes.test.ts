import type { FastifyInstance, InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createUser, sessionCookieFrom, signIn, TEST_PASSWORD } from '../../../../test/auth.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { insertOrganization } from '../../../../test/organizations.js';
import { createInvitation } from '../../../commands/create-invitation.js';
import { generateTotpSecret } from '../../../auth/totp.js';
import type { Role } from '../../../db/schema.js';
import { deliverQueuedEmails, tokenFromLink } from '../../../jobs/email/email.test-helper.js';
import { allJobs, emptyOutbox } from '../../../jobs/jobs.test-helper.js';
import { createJobRegistry } from '../../../jobs/run.js';
import type { UserActor } from '../../../policies/actor.js';
import type { Config } from '../../config.js';
import { buildApp } from '../../app.js';

interface Browser {
  cookie: string;
  csrfToken: string;
}

const NOT_WORKING = 'This invitation link does not work: it may have expired, been used or been withdrawn.';

describeEachEngine('invitations API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let config: Config;
  let organizationId: string;
  let organizationName: string;
  let admin: Browser;
  let adminId: string;

  beforeAll(async () => {
    database = getDatabase();
    config = testConfig({ VIGIA_PUBLIC_URL: 'https://vigia.example.org' });
    app = await buildApp({ config, database });
    await app.ready();
    organizationName = 'Casa del Migrante Tapachula';
    organizationId = (await insertOrganization(database, { name: organizationName })).id;
    // Administrators must pass the second factor before they can manage anything; how they pass it is
    // the two-factor tests' business, so here the session is simply marked as having passed it.
    const user = await createUser(database, {
      memberships: [{ organizationId, roles: ['administrator'] }],
      totpSecret: generateTotpSecret(),
    });
    adminId = user.id;
    admin = await signIn(app, user.email, user.password);
    await database.db.updateTable('sessions').set({ mfa_verified: true }).where('user_id', '=', adminId).execute();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await emptyOutbox(database);
  });

  function post(browser: Browser | null, url: string, payload?: object) {
    return app.inject({
      method: 'POST',
      url,
      headers: browser ? { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken } : {},
      ...(payload ? { payload } : {}),
    } satisfies InjectOptions);
  }
  const get = (browser: Browser | null, url: string) =>
    app.inject({ method: 'GET', url, headers: browser ? { cookie: browser.cookie } : {} });

  /** Invites through the API and returns the invitation's id and the token from the e-mail it sent. */
  async function invite(email: string, role: Role = 'documenter'): Promise<{ id: string; token: string }> {
    const response = await post(admin, `/api/v1/organizations/${organizationId}/invitations`, { email, role });
    expect(response.statusCode).toBe(201);
    const [message] = await deliverQueuedEmails(database, config);
    return { id: (response.json() as { id: string }).id, token: tokenFromLink(message!, 'invitacion') };
  }

  const auditEntries = (action: string) =>
    database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'organization_id', 'subject_id', 'details'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute();

  it('invites by e-mail, and the new person accepts, is signed in and is a member; the link then stops working', async () => {
    const created = await post(admin, `/api/v1/organizations/${organizationId}/invitations`, {
      email: 'Nueva.Persona@Example.org',
      role: 'documenter',
    });
    expect(created.statusCode).toBe(201);
    const invitation = created.json() as { id: string; email: string; role: string; expiresAt: string };
    expect(invitation).toEqual({ id: expect.any(String), email: 'nueva.persona@example.org', role: 'documenter', expiresAt: expect.any(String) });
    const lifetimeDays = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(lifetimeDays).toBeGreaterThan(6.99);
    expect(lifetimeDays).toBeLessThanOrEqual(7);
    expect((await allJobs(database)).map((job) => job.kind)).toEqual(['email.send']);

    const [message] = await deliverQueuedEmails(database, config);
    expect(message!.headers.get('to')).toBe('nueva.persona@example.org');
    expect(message!.text).toContain(`${organizationName} te invita`);
    expect(message!.text).toContain(`${organizationName} invites you`);
    expect(message!.text).toMatch(/https:\/\/vigia\.example\.org\/invitacion\/[A-Za-z0-9_-]{43}\n/);
    const token = tokenFromLink(message!, 'invitacion');
    const stored = await database.db.selectFrom('invitations').select('token_hash').where('id', '=', invitation.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(await auditEntries('invitation.created')).toContainEqual({
      actor_id: adminId,
      organization_id: organizationId,
      subject_id: invitation.id,
      details: { role: 'documenter' },
    });

    const lookup = await get(null, `/api/v1/invitations/${token}`);
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toEqual({
      organization: { name: organizationName },
      role: 'documenter',
      email: 'nueva.persona@example.org',
      expiresAt: invitation.expiresAt,
    });

    const accepted = await post(null, `/api/v1/invitations/${token}/accept`, { displayName: 'Nueva Persona', password: TEST_PASSWORD });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({
      user: { id: expect.any(String), email: 'nueva.persona@example.org', displayName: 'Nueva Persona' },
      organization: { id: organizationId, name: organizationName },
      role: 'documenter',
      mfa: 'none',
    });
    const cookie = sessionCookieFrom(accepted.headers['set-cookie']);
    const session = await get({ cookie, csrfToken: '' }, '/api/v1/auth/session');
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({
      user: { email: 'nueva.persona@example.org', displayName: 'Nueva Persona' },
      memberships: [{ organization: { id: organizationId }, roles: ['documenter'] }],
    });
    const userId = (accepted.json() as { user: { id: string } }).user.id;
    expect(await auditEntries('invitation.accepted')).toContainEqual({
      actor_id: userId,
      organization_id: organizationId,
      subject_id: invitation.id,
      details: { role: 'documenter', newAccount: true },
    });
    // The person can sign in with the password they chose.
    await signIn(app, 'nueva.persona@example.org', TEST_PASSWORD);

    const again = await post(null, `/api/v1/invitations/${token}/accept`, { displayName: 'Otra', password: TEST_PASSWORD });
    expect(again.statusCode).toBe(404);
    expect((again.json() as { error: { message: string } }).error.message).toBe(NOT_WORKING);
    expect((await get(null, `/api/v1/invitations/${token}`)).statusCode).toBe(404);
  });

  it('answers every link that does not work with the same 404: unknown, expired, withdrawn', async () => {
    const unknown = await get(null, `/api/v1/invitations/${'A'.repeat(43)}`);
    const expired = await invite('caduca@example.org');
    await sql`update invitations set expires_at = now() - interval '1 minute' where id = ${expired.id}`.execute(database.db);
    const withdrawn = await invite('retirada@example.org');
    const revoke = await app.inject({
      method: 'DELETE',
      url: `/api/v1/organizations/${organizationId}/invitations/${withdrawn.id}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
    });
    expect(revoke.statusCode).toBe(204);

    const answers = [
      unknown,
      await get(null, `/api/v1/invitations/${expired.token}`),
      await post(null, `/api/v1/invitations/${expired.token}/accept`, { displayName: 'X', password: TEST_PASSWORD }),
      await get(null, `/api/v1/invitations/${withdrawn.token}`),
      await post(null, `/api/v1/invitations/${withdrawn.token}/accept`, { displayName: 'X', password: TEST_PASSWORD }),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(404);
      expect((answer.json() as { error: { message: string } }).error.message).toBe(NOT_WORKING);
    }
    expect(await database.db.selectFrom('users').select('id').where('email', 'in', ['caduca@example.org', 'retirada@example.org']).execute()).toEqual([]);

    const list = await get(admin, `/api/v1/organizations/${organizationId}/invitations`);
    expect(list.statusCode).toBe(200);
    const statuses = (list.json() as { data: Array<{ id: string; status: string }> }).data;
    expect(statuses).toContainEqual(expect.objectContaining({ id: expired.id, status: 'expired' }));
    expect(statuses).toContainEqual(expect.objectContaining({ id: withdrawn.id, status: 'revoked' }));
    expect(JSON.stringify(list.json())).not.toContain('token');
  });

  it('a newer invitation to the same address withdraws the older link', async () => {
    const first = await invite('dos-veces@example.org');
    const second = await invite('dos-veces@example.org', 'reporter');
    expect((await get(null, `/api/v1/invitations/${first.token}`)).statusCode).toBe(404);
    expect((await get(null, `/api/v1/invitations/${second.token}`)).json()).toMatchObject({ role: 'reporter' });
  });

  it('a password the policy refuses creates nothing and leaves the link working', async () => {
    const { token } = await invite('debil@example.org');
    const weak = await post(null, `/api/v1/invitations/${token}/accept`, { displayName: 'Débil', password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: expect.arrayContaining([expect.objectContaining({ field: 'password' })]) } });
    const nameless = await post(null, `/api/v1/invitations/${token}/accept`, { password: TEST_PASSWORD });
    expect(nameless.statusCode).toBe(400);
    expect((await get(null, `/api/v1/invitations/${token}`)).statusCode).toBe(200);
    expect(await database.db.selectFrom('users').select('id').where('email', '=', 'debil@example.org').execute()).toEqual([]);
  });

  it('an existing account must be signed in as itself to accept, and then gains the role', async () => {
    const existing = await createUser(database, { email: 'ya-tengo-cuenta@example.org' });
    const { token } = await invite(existing.email, 'reporter');

    const anonymous = await post(null, `/api/v1/invitations/${token}/accept`, {});
    expect(anonymous.statusCode).toBe(401);
    const someoneElse = await createUser(database);
    const other = await post(await signIn(app, someoneElse.email, someoneElse.password), `/api/v1/invitations/${token}/accept`, {});
    expect(other.statusCode).toBe(403);

    const browser = await signIn(app, existing.email, existing.password);
    const accepted = await post(browser, `/api/v1/invitations/${token}/accept`, {});
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ user: { id: existing.id }, role: 'reporter', mfa: 'none' });
    expect(accepted.headers['set-cookie']).toBeUndefined();
    const session = await get(browser, '/api/v1/auth/session');
    expect(session.json()).toMatchObject({ memberships: [{ organization: { id: organizationId }, roles: ['reporter'] }] });
  });

  it('only the organization\'s administrators manage its invitations; others get 401, 403 or 404', async () => {
    const url = `/api/v1/organizations/${organizationId}/invitations`;
    const payload = { email: 'alguien@example.org', role: 'reporter' };
    expect((await post(null, url, payload)).statusCode).toBe(401);

    const member = await createUser(database, { memberships: [{ organizationId, roles: ['documenter'] }] });
    const memberBrowser = await signIn(app, member.email, member.password);
    expect((await post(memberBrowser, url, payload)).statusCode).toBe(403);
    expect((await get(memberBrowser, url)).statusCode).toBe(403);

    const otherOrganization = await insertOrganization(database);
    const outsider = await createUser(database, { memberships: [{ organizationId: otherOrganization.id, roles: ['documenter'] }] });
    const outsiderBrowser = await signIn(app, outsider.email, outsider.password);
    const hidden = await post(outsiderBrowser, url, payload);
    expect(hidden.statusCode).toBe(404);
    expect((await get(outsiderBrowser, url)).statusCode).toBe(404);
    expect((await post(admin, `/api/v1/organizations/${otherOrganization.id}/invitations`, payload)).statusCode).toBe(404);
    expect((await post(admin, '/api/v1/organizations/not-a-uuid/invitations', payload)).statusCode).toBe(404);
    expect(await allJobs(database)).toEqual([]);
  });

  it('an invitation whose transaction rolls back leaves neither the invitation nor its e-mail job', async () => {
    const actor: UserActor = {
      kind: 'user',
      userId: adminId,
      sessionId: '00000000-0000-4000-8000-000000000000',
      isInstanceAdmin: false,
      memberships: [{ organizationId, roles: ['administrator'] }],
      mfaRequired: true,
      mfaEnrolled: true,
      mfaVerified: true,
    };
    // The audit entry is the last write of the transaction, after the e-mail is queued: make it fail.
    await sql`create function refuse_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit refused by the test'; end $$`.execute(database.db);
    await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(database.db);
    try {
      await expect(
        createInvitation({
          database,
          config,
          jobs: createJobRegistry(config),
          actor,
          organizationId,
          email: 'nunca@example.org',
          role: 'reporter',
        }),
      ).rejects.toThrow(/audit refused by the test/);
    } finally {
      await sql`drop trigger refuse_audit on audit_log`.execute(database.db);
      await sql`drop function refuse_audit()`.execute(database.db);
    }
    expect(await allJobs(database)).toEqual([]);
    expect(await database.db.selectFrom('invitations').select('id').where('email', '=', 'nunca@example.org').execute()).toEqual([]);
  });
});
