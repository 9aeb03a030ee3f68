import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAll } from '../../src/alerts/evaluate.js';
import { registerWebhookEndpoint } from '../../src/commands/webhook-endpoints.js';
import type { Database } from '../../src/db/client.js';
import { webhookSignature } from '../../src/domain/alert-reach.js';
import { parseEml, startTestSmtpServer, type TestSmtpServer } from '../../src/jobs/email/email.test-helper.js';
import { createJobRegistry } from '../../src/jobs/run.js';
import { OutboxWorker } from '../../src/jobs/worker.js';
import { recordingLogger } from '../../src/jobs/jobs.test-helper.js';
import type { Config } from '../../src/server/config.js';
import { alertNetwork } from '../alert-drafting.js';
import { axeViolations, describeViolations, launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { testConfig, testKeyring } from '../config.js';
import { insertUser, userActor } from '../organizations.js';
import { sessionHeaders } from '../sessions.js';

/*
 * Issue 5's whole path against the real server: verified incidents in five states raise a signal; the
 * network's documenter drafts from it (both languages); a sealed name written into the text blocks
 * publication, with the finding; the fix, two reviewers' approvals and the publication; then the alert is
 * read in Spanish and English in a real browser, is in both feeds, reaches a confirmed subscriber by e-mail
 * through a real SMTP server, and a webhook receiver verifies its signature. The editor's own screens are
 * driven in a browser by test/e2e/alert-drafting.test.ts; here the workspace steps go through the same API
 * those screens call.
 */

const STATES = [
  { state: '26', municipality: '26002' },
  { state: '07', municipality: '07089' },
  { state: '05', municipality: '05030' },
  { state: '02', municipality: '02004' },
  { state: '27', municipality: '27017' },
];

async function runJobs(database: Database, config: Config): Promise<void> {
  const worker = new OutboxWorker({ database, registry: createJobRegistry(config, database), logger: recordingLogger(), pollMs: 50, leaseMs: 20_000 });
  while ((await worker.runOnce()).claimed > 0);
}

describe('issue 5 whole path: verified incidents → signal → draft → do-no-harm → approvals → published, e-mailed and posted', () => {
  let browser: Browser;
  let server: RunningApp;
  let smtp: TestSmtpServer;
  let config: Config;
  let hook: http.Server;
  const deliveries: { verified: boolean; body: string }[] = [];
  let webhookSecret = '';

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    hook = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const timestamp = String(req.headers['vigia-timestamp']);
        deliveries.push({ verified: req.headers['vigia-signature'] === webhookSignature(webhookSecret, timestamp, body), body });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    // The webhook receiver is plain http on this machine: allowed here, and only here, on purpose.
    config = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_PUBLIC_URL: 'https://vigia.example.org', VIGIA_WEBHOOK_ALLOW_HTTP: 'true', VIGIA_WEBHOOK_ALLOW_PRIVATE: 'true' });
    [browser, server] = await Promise.all([launchBrowser(), startWebApp({ config })]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
    await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
  });

  it('takes the pattern from the record to the public, both languages, subscribers and webhooks', { timeout: 240_000 }, async () => {
    const database = server.database;
    const keyring = testKeyring();
    const net = await alertNetwork(database, keyring);
    const api = async (userId: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
      const response = await server.app.inject({ method, url, headers: await sessionHeaders(database, userId), ...(payload === undefined ? {} : { payload: payload as object }) });
      return { status: response.statusCode, body: response.json() as Record<string, any> };
    };

    // 1. A subscriber (English) and a webhook receiver of the network.
    const subscribed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/public/subscriptions',
      payload: { email: 'press@example.org', language: 'en', stateCodes: [], actTypes: [] },
    });
    expect(subscribed.statusCode).toBeLessThan(300);
    await runJobs(database, config);
    const confirmation = parseEml(smtp.received.at(-1)!.raw);
    const token = /\/en\/subscription\/([A-Za-z0-9_-]+)/.exec(confirmation.text ?? '')?.[1];
    expect(token).toBeTruthy();
    const confirmed = await server.app.inject({ method: 'POST', url: '/api/v1/public/subscriptions/confirm', payload: { token } });
    expect(confirmed.statusCode).toBe(200);
    const adminId = await insertUser(database, { memberships: { [net.networkId]: ['administrator'] } });
    const endpoint = await registerWebhookEndpoint({
      database,
      keyring,
      actor: userActor(adminId, { [net.networkId]: ['administrator'] }),
      networkId: net.networkId,
      url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/vigia`,
      description: 'Receptor de prueba',
      targets: config.alerts.webhookTargets,
    });
    webhookSecret = endpoint.secret;

    // 2. Verified incidents at shelters in five states within weeks: the spread rule fires.
    for (const [i, place] of STATES.entries()) {
      await net.verifiedIncident({
        startDate: { date: `2019-06-${String(10 + i * 3).padStart(2, '0')}`, precision: 'day' },
        place: { stateCode: place.state, municipalityCode: place.municipality, placeType: 'MIGRANT_SHELTER' },
      });
    }
    await evaluateAll(database);
    const signal = await database.db
      .selectFrom('signals')
      .selectAll()
      .where('network_id', '=', net.networkId)
      .where('rule_id', '=', 'spread-five-states')
      .executeTakeFirstOrThrow();
    expect(signal.status).toBe('open');
    expect(signal.incident_ids).toHaveLength(5);

    // 3. The documenter drafts from the signal: both languages, from the facts.
    const documenter = net.documenter.userId;
    const [r1, r2] = [net.reviewers[0]!.userId, net.reviewers[1]!.userId];
    // Reviewers sign in with a second factor (the sessions here are made with it passed).
    await database.db.updateTable('users').set({ totp_enabled_at: new Date() }).where('id', 'in', [r1, r2]).execute();
    const draft = await api(documenter, 'POST', '/api/v1/alerts', { networkId: net.networkId, signalId: signal.id });
    expect(draft.status).toBe(201);
    const alertId = draft.body.id as string;
    const content = draft.body.content as Record<string, any>;
    expect(content.es.title).not.toBe(content.en.title);
    expect(content.es.facts).toMatch(/5 estados/);
    expect(content.en.facts).toMatch(/5 states/);
    expect(content.stateCodes).toHaveLength(5);

    // 4. A careless edit names a person held in the sealed fields: publication is blocked, with where.
    const careless = { ...content, es: { ...content.es, cases: `${content.es.cases}\n\nLa Hermana Rosa Ejemplo fue filmada.` } };
    expect((await api(documenter, 'PUT', `/api/v1/alerts/${alertId}`, { content: careless })).status).toBe(200);
    const approveAndPublish = async () => {
      expect((await api(documenter, 'POST', `/api/v1/alerts/${alertId}/submit`, {})).status).toBe(200);
      expect((await api(r1, 'POST', `/api/v1/alerts/${alertId}/approve`, {})).status).toBe(200);
      expect((await api(r2, 'POST', `/api/v1/alerts/${alertId}/approve`, {})).status).toBe(200);
      return api(r1, 'POST', `/api/v1/alerts/${alertId}/publish`, {});
    };
    const blocked = await approveAndPublish();
    expect(blocked.status).toBe(409);
    expect(JSON.stringify(blocked.body)).toContain('cases');
    expect(JSON.stringify(blocked.body)).toMatch(/"language":"es"/);

    // 5. Fixed (the edit voids the approvals), approved again by two reviewers, published.
    expect((await api(r1, 'POST', `/api/v1/alerts/${alertId}/return`, { note: 'Quitar el nombre.' })).status).toBe(200);
    expect((await api(documenter, 'PUT', `/api/v1/alerts/${alertId}`, { content })).status).toBe(200);
    const published = await approveAndPublish();
    expect(published.status).toBe(200);
    const slug = published.body.slug as string;
    expect(published.body.status).toBe('published');
    expect(await database.db.selectFrom('signals').select('status').where('id', '=', signal.id).executeTakeFirstOrThrow()).toEqual({ status: 'drafted' });

    // 6. Visible in Spanish and English, in a real browser, and in both feeds.
    const reader = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await reader.page.goto(`${server.url}/alertas/${slug}`);
    await reader.page.getByRole('heading', { level: 1, name: content.es.title }).waitFor({ timeout: 20_000 });
    expect(await reader.page.locator('meta[property="og:title"]').getAttribute('content')).toBe(content.es.title);
    expect(describeViolations(await axeViolations(reader.page))).toBe('');
    await reader.page.goto(`${server.url}/en/alerts/${slug}`);
    await reader.page.getByRole('heading', { level: 1, name: content.en.title }).waitFor({ timeout: 20_000 });
    expect(reader.problems).toEqual([]);
    const feedEs = await (await fetch(`${server.url}/alertas.atom`)).text();
    const feedEn = await (await fetch(`${server.url}/en/alerts.atom`)).text();
    expect(feedEs).toContain(`/alertas/${slug}`);
    expect(feedEn).toContain(`/en/alerts/${slug}`);

    // 7. The outbox delivers: the subscriber's e-mail through the SMTP server, the signed webhook.
    const before = smtp.received.length;
    await runJobs(database, config);
    const mails = smtp.received.slice(before).map((m) => ({ to: m.rcptTo, mail: parseEml(m.raw) }));
    const alertMail = mails.find((m) => m.to.includes('press@example.org'));
    expect(alertMail).toBeDefined();
    expect(alertMail!.mail.headers.get('subject')).toContain(content.en.title);
    expect(alertMail!.mail.headers.get('list-unsubscribe')).toMatch(/^<https:\/\/vigia\.example\.org\//);
    expect(alertMail!.mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(alertMail!.mail.text).toContain(`https://vigia.example.org/en/alerts/${slug}`);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.verified).toBe(true);
    expect(deliveries[0]!.body).toContain(slug);
    // And each addressee is now a tracked request.
    const requests = await database.db.selectFrom('alert_requests').select('addressee_code').where('alert_id', '=', alertId).execute();
    expect(requests.map((r) => r.addressee_code)).toEqual(expect.arrayContaining(['INM']));
  });
});
