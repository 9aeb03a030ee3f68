import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertAlert } from '../../../../test/alerts.js';
import { testConfig, testKeyring } from '../../../../test/config.js';
import { describeEachEngine } from '../../../../test/db.js';
import { createUser } from '../../../../test/auth.js';
import { insertOrganization, insertUser } from '../../../../test/organizations.js';
import { sessionHeaders } from '../../../../test/sessions.js';
import { generateTotpSecret } from '../../../auth/totp.js';
import { unsubscribeToken } from '../../../commands/subscription-secrets.js';
import { buildApp } from '../../app.js';

describeEachEngine('alert reach routes', (getDatabase) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp({ config: testConfig({ VIGIA_EVIDENCE_MAX_BYTES: '4096' }), database: getDatabase() });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers every subscription request the same, and names what is wrong in a bad one', async () => {
    const body = { email: 'lectora@example.org', language: 'en', stateCodes: ['07'], actTypes: ['MIGRATION_CHECK'] };
    const first = await app.inject({ method: 'POST', url: '/api/v1/public/subscriptions', payload: body });
    const again = await app.inject({ method: 'POST', url: '/api/v1/public/subscriptions', payload: body });
    expect(first.statusCode).toBe(202);
    expect(again.body).toBe(first.body);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/public/subscriptions', payload: { ...body, email: 'no', stateCodes: ['Chiapas'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('e-mail address');
    expect(bad.body).toContain('INEGI state code');
    expect(await getDatabase().db.selectFrom('alert_subscriptions').select('id').execute()).toHaveLength(1);
  });

  it('takes the one-click unsubscribe POST a mail client sends as a form', async () => {
    const database = getDatabase();
    const subscription = await database.db.selectFrom('alert_subscriptions').select(['id', 'email_sealed']).executeTakeFirstOrThrow();
    const token = unsubscribeToken(testKeyring(), subscription);
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/public/subscriptions/unsubscribe?token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'unsubscribed', language: 'en' });
    const { status } = await database.db.selectFrom('alert_subscriptions').select('status').where('id', '=', subscription.id).executeTakeFirstOrThrow();
    expect(status).toBe('unsubscribed');
  });

  it('shows the public accountability of a published alert only', async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    const published = await insertAlert(database, { networkId: network.id, slug: 'rendicion-publica' });
    await database.db.insertInto('alert_requests').values({ id: crypto.randomUUID(), alert_id: published.id, addressee_code: 'INM', addressee_name: JSON.stringify({ es: 'Instituto Nacional de Migración', en: 'National Migration Institute' }), sent_on: '2020-01-01', due_on: '2020-01-31' }).execute();
    const response = await app.inject({ method: 'GET', url: '/api/v1/public/alerts/rendicion-publica/accountability' });
    expect(response.json()).toEqual({ addressees: [expect.objectContaining({ addresseeCode: 'INM', status: 'overdue', responses: [] })] });
    await sql`update alerts set status = 'withdrawn', withdrawn_at = now() where id = ${published.id}`.execute(database.db);
    expect((await app.inject({ method: 'GET', url: '/api/v1/public/alerts/rendicion-publica/accountability' })).statusCode).toBe(404);
  });

  it("takes an answer's document as a PDF or an image within the size limit, from the network's reviewers only, and serves it", async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    const reviewer = await insertUser(database, { memberships: { [network.id]: ['reviewer'] } });
    const documenter = await insertUser(database, { memberships: { [network.id]: ['documenter'] } });
    const outsider = await insertUser(database, { memberships: { [(await insertOrganization(database, { kind: 'network' })).id]: ['reviewer'] } });
    await database.db.updateTable('users').set({ totp_enabled_at: new Date() }).where('id', 'in', [reviewer, outsider]).execute();
    const alert = await insertAlert(database, { networkId: network.id, slug: 'respuesta-con-oficio' });
    const requestId = crypto.randomUUID();
    await database.db.insertInto('alert_requests').values({ id: requestId, alert_id: alert.id, addressee_code: 'INM', addressee_name: JSON.stringify({ es: 'Instituto Nacional de Migración', en: 'National Migration Institute' }), sent_on: '2020-01-01', due_on: '2020-01-31' }).execute();
    const recorded = await app.inject({ method: 'POST', url: `/api/v1/alert-requests/${requestId}/responses`, headers: await sessionHeaders(database, reviewer), payload: { receivedOn: '2020-01-20', summary: 'El INM acusa recibo.' } });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const responseId = recorded.json().id as string;
    const url = `/api/v1/alert-responses/${responseId}/document`;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const put = async (userId: string | null, payload: Buffer, contentType = 'application/pdf', query = '') =>
      app.inject({ method: 'PUT', url: url + query, headers: { ...(userId ? await sessionHeaders(database, userId) : {}), 'content-type': contentType }, payload });

    expect((await put(null, pdf)).statusCode).toBe(401);
    expect((await put(documenter, pdf)).statusCode).toBe(403);
    expect((await put(outsider, pdf)).statusCode).toBe(404);
    const html = await put(reviewer, Buffer.from('<!doctype html><script>alert(1)</script>'), 'application/octet-stream');
    expect(html.statusCode).toBe(415);
    expect(html.json().error.message).toContain('PDF or an image');
    // Declared a PDF, but the bytes say otherwise: the bytes decide.
    expect((await put(reviewer, Buffer.from('just text, not a pdf at all'), 'application/pdf')).statusCode).toBe(415);
    const big = await put(reviewer, Buffer.concat([pdf, Buffer.alloc(5000, 0x20)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toContain('4096');
    expect((await put(reviewer, pdf, 'text/plain')).statusCode).toBe(415);
    const badQuery = await put(reviewer, pdf, 'application/pdf', '?public=yes');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.body).toContain('true or false');

    const attached = await put(reviewer, pdf, 'application/pdf', '?public=true');
    expect(attached.statusCode, attached.body).toBe(201);
    expect(attached.json()).toMatchObject({ mimeType: 'application/pdf', length: pdf.length, public: true });
    expect((await put(reviewer, pdf)).statusCode).toBe(409);

    const download = await app.inject({ method: 'GET', url, headers: await sessionHeaders(database, documenter) });
    expect(download.statusCode).toBe(200);
    expect(download.headers).toMatchObject({ 'content-type': 'application/pdf', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="respuesta-inm-2020-01-20\.pdf"$/);
    expect(download.rawPayload.equals(pdf)).toBe(true);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url, headers: await sessionHeaders(database, outsider) })).statusCode).toBe(404);

    const accountability = await app.inject({ method: 'GET', url: '/api/v1/public/alerts/respuesta-con-oficio/accountability' });
    const link = accountability.json().addressees[0].responses[0].document;
    expect(link).toEqual({ url: `/api/v1/public/alerts/respuesta-con-oficio/responses/${responseId}/document`, mimeType: 'application/pdf' });
    const publicCopy = await app.inject({ method: 'GET', url: link.url });
    expect(publicCopy.statusCode).toBe(200);
    expect(publicCopy.rawPayload.equals(pdf)).toBe(true);
    expect(publicCopy.headers['content-security-policy']).toContain('sandbox');
    expect((await app.inject({ method: 'GET', url: `/api/v1/public/alerts/otra/responses/${responseId}/document` })).statusCode).toBe(404);
  });

  it('answers 400 naming the rule when an administrator registers a webhook URL that leads inside or is not https', async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    const admin = await createUser(database, { memberships: [{ organizationId: network.id, roles: ['administrator'] }], totpSecret: generateTotpSecret() });
    const headers = await sessionHeaders(database, admin.id);
    const register = (url: string) => app.inject({ method: 'POST', url: `/api/v1/organizations/${network.id}/webhooks`, headers, payload: { url } });
    for (const [url, message] of [
      ['http://hooks.example.org/vigia', 'must be an https URL'],
      ['https://ops:secret@hooks.example.org/vigia', 'must not contain a user name or password'],
      ['https://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
      ['https://2130706433/', '127.0.0.1 is a loopback address'],
      ['https://[::ffff:10.0.0.1]/', 'a private network address'],
    ] as const) {
      const response = await register(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: expect.stringContaining(message), details: [{ field: 'url' }] } });
      // The refused URL is not echoed back: it may carry a password.
      expect(response.body).not.toContain('secret@');
    }
    expect(await database.db.selectFrom('webhook_endpoints').select('id').where('network_id', '=', network.id).execute()).toEqual([]);
    const accepted = await register('https://hooks.example.org/vigia');
    expect(accepted.statusCode).toBe(201);
  });
});
