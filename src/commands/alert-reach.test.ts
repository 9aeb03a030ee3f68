import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertAlert, sampleAlertContent } from '../../test/alerts.js';
import { TEST_MASTER_KEY, testConfig, testKeyring } from '../../test/config.js';
import { describeEachEngine } from '../../test/db.js';
import { insertOrganization, insertUser, userActor } from '../../test/organizations.js';
import { Keyring } from '../crypto/keyring.js';
import { generateMasterKeyText, loadMasterKeys } from '../crypto/master-keys.js';
import type { Database } from '../db/client.js';
import { webhookSignature } from '../domain/alert-reach.js';
import { parseEml, startTestSmtpServer, type TestSmtpServer } from '../jobs/email/email.test-helper.js';
import { emptyOutbox, recordingLogger } from '../jobs/jobs.test-helper.js';
import { JobRegistry } from '../jobs/registry.js';
import { createJobRegistry, defaultJobDefinitions } from '../jobs/run.js';
import { OutboxWorker } from '../jobs/worker.js';
import type { Config } from '../server/config.js';
import { addDays, mexicoCityDate } from './alert-requests.js';
import { confirmSubscription } from './confirm-subscription.js';
import { distributePublishedAlert } from './distribute-alert.js';
import { recordAlertResponse, updateAlertRequest } from './follow-up-alert-request.js';
import { readAlertAccountability, readPublicAccountability } from './read-alert-accountability.js';
import { rotateMasterKey } from './rotate-master-key.js';
import { subscribeToAlerts } from './subscribe-to-alerts.js';
import { openSubscriberEmail } from './subscription-secrets.js';
import { unsubscribeFromAlerts } from './unsubscribe-from-alerts.js';
import { listWebhookEndpoints, registerWebhookEndpoint } from './webhook-endpoints.js';

const keyring = testKeyring();

function workerFor(database: Database, config: Config): OutboxWorker {
  return new OutboxWorker({ database, registry: createJobRegistry(config, database), logger: recordingLogger(), pollMs: 50, leaseMs: 20_000 });
}

async function runJobs(database: Database, config: Config): Promise<void> {
  const worker = workerFor(database, config);
  while ((await worker.runOnce()).claimed > 0);
}

/** One pass: jobs that fail wait for their backoff rather than being run again at once. */
async function runJobsOnce(database: Database, config: Config): Promise<void> {
  await workerFor(database, config).runOnce();
}

function subscribe(database: Database, config: Config, email: string, filters: { language?: 'es' | 'en'; stateCodes?: string[]; actTypes?: string[] } = {}, ring: Keyring = keyring) {
  return subscribeToAlerts({ database, keyring: ring, config, jobs: createJobRegistry(config), email, language: filters.language ?? 'es', stateCodes: filters.stateCodes ?? [], actTypes: filters.actTypes ?? [], ip: '198.51.100.7' });
}

function distribute(database: Database, config: Config, alert: { id: string }, networkId: string, correction = false, version = 1, ring: Keyring = keyring) {
  return database.transaction((trx) => distributePublishedAlert(trx, { alertId: alert.id, networkId, version, correction }, { jobs: createJobRegistry(config), config, keyring: ring }));
}

/** The token of the one-click unsubscribe link in an alert e-mail's List-Unsubscribe header. */
function oneClickToken(raw: string): string | undefined {
  return /<https:\/\/vigia\.example\.org\/api\/v1\/public\/subscriptions\/unsubscribe\?token=([A-Za-z0-9_-]+)>/.exec(parseEml(raw).headers.get('list-unsubscribe') ?? '')?.[1];
}

/** A network and one of its administrators (signed in with two factors), who manage its webhooks. */
async function networkWithAdministrator(database: Database) {
  const network = await insertOrganization(database, { kind: 'network' });
  const admin = await insertUser(database, { memberships: { [network.id]: ['administrator'] } });
  return { network, admin, adminActor: userActor(admin, { [network.id]: ['administrator'] }, { mfaVerified: true }) };
}

/** A receiver on 127.0.0.1 that records what it gets and answers 204. */
async function startReceiver(): Promise<{ port: number; received: Array<{ host: string | undefined; body: string }>; close: () => Promise<void> }> {
  const received: Array<{ host: string | undefined; body: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ host: req.headers.host, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describeEachEngine('alert reach', (getDatabase) => {
  let smtp: TestSmtpServer;
  let config: Config;
  beforeEach(async () => {
    await emptyOutbox(getDatabase());
    await sql`delete from alert_subscriptions`.execute(getDatabase().db);
    await sql`delete from sign_in_throttle`.execute(getDatabase().db);
    smtp = await startTestSmtpServer();
    config = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_PUBLIC_URL: 'https://vigia.example.org' });
  });
  afterEach(async () => {
    await smtp.close();
  });

  it('subscribe → confirmation e-mail → confirm → alert e-mail with one-click unsubscribe over SMTP → unsubscribe; filters respected', async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    await subscribe(database, config, 'Ana.Lopez@example.org', { stateCodes: ['26'] });
    await subscribe(database, config, 'bob@example.org', { language: 'en', actTypes: ['MIGRATION_CHECK'] });
    await subscribe(database, config, 'carla@example.org', { stateCodes: ['09'] });
    await subscribe(database, config, 'dora@example.org');

    // The address is never stored in clear.
    const stored = await sql<{ row: string }>`select row_to_json(s)::text as row from alert_subscriptions s`.execute(database.db);
    expect(stored.rows.map((r) => r.row).join(' ')).not.toMatch(/example\.org/i);

    await runJobs(database, config);
    expect(smtp.received.map((m) => m.rcptTo[0]).sort()).toEqual(['Ana.Lopez@example.org', 'bob@example.org', 'carla@example.org', 'dora@example.org']);
    for (const message of smtp.received.filter((m) => m.rcptTo[0] !== 'dora@example.org')) {
      const text = parseEml(message.raw).text ?? '';
      const token = /\/(?:suscripcion|en\/subscription)\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
      expect(token).toBeDefined();
      await confirmSubscription({ database, token: token!, ip: '198.51.100.7' });
      await expect(confirmSubscription({ database, token: token!, ip: '198.51.100.7' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    // dora never confirms: she gets nothing.
    smtp.received.length = 0;

    const alert = await insertAlert(database, { networkId: network.id, slug: 'hostigamiento-2019' });
    expect(await distribute(database, config, alert, network.id)).toEqual({ emails: 2, webhooks: 0, requests: 2 });
    expect(await distribute(database, config, alert, network.id)).toEqual({ emails: 0, webhooks: 0, requests: 0 });
    await runJobs(database, config);

    expect(smtp.received.map((m) => m.rcptTo[0]).sort()).toEqual(['ana.lopez@example.org', 'bob@example.org']);
    const ana = parseEml(smtp.received.find((m) => m.rcptTo[0] === 'ana.lopez@example.org')!.raw);
    const bob = parseEml(smtp.received.find((m) => m.rcptTo[0] === 'bob@example.org')!.raw);
    expect(ana.headers.get('subject')).toContain('Hostigamiento a albergues');
    expect(ana.text).toContain('https://vigia.example.org/alertas/hostigamiento-2019');
    expect(bob.headers.get('subject')).toContain('Harassment of migrant shelters');
    expect(bob.html).toContain('https://vigia.example.org/en/alerts/hostigamiento-2019');
    expect(ana.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const oneClick = /<(https:\/\/vigia\.example\.org\/api\/v1\/public\/subscriptions\/unsubscribe\?token=([A-Za-z0-9_-]+))>/.exec(ana.headers.get('list-unsubscribe') ?? '');
    expect(oneClick).not.toBeNull();

    expect(await unsubscribeFromAlerts({ database, token: oneClick![2]!, ip: '203.0.113.1' })).toEqual({ language: 'es' });
    expect(await unsubscribeFromAlerts({ database, token: oneClick![2]!, ip: '203.0.113.1' })).toEqual({ language: 'es' });
    await expect(unsubscribeFromAlerts({ database, token: 'nope', ip: '203.0.113.1' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A correction goes to those still subscribed, marked as such, and opens no new requests.
    smtp.received.length = 0;
    await database.db.insertInto('alert_versions').values({ alert_id: alert.id, version: 2, status: 'published', content: JSON.stringify(sampleAlertContent()), change_kind: 'corrected' }).execute();
    expect(await distribute(database, config, alert, network.id, true, 2)).toEqual({ emails: 1, webhooks: 0, requests: 0 });
    await runJobs(database, config);
    expect(smtp.received.map((m) => m.rcptTo[0])).toEqual(['bob@example.org']);
    expect(parseEml(smtp.received[0]!.raw).headers.get('subject')).toContain('Correction: ');
  });

  it('answers the same for a confirmed address and sends nothing; limits requests per client address', async () => {
    const database = getDatabase();
    const limited = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_SUBSCRIPTIONS_PER_HOUR_PER_ADDRESS: '3' });
    await subscribe(database, limited, 'eva@example.org');
    await runJobs(database, limited);
    const token = /\/suscripcion\/([A-Za-z0-9_-]+)/.exec(parseEml(smtp.received[0]!.raw).text ?? '')![1]!;
    await confirmSubscription({ database, token, ip: '198.51.100.7' });
    await subscribe(database, limited, 'eva@example.org', { stateCodes: ['09'] });
    await runJobs(database, limited);
    expect(smtp.received).toHaveLength(1);
    const row = await database.db.selectFrom('alert_subscriptions').select(['status', 'state_codes']).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'confirmed', state_codes: [] });
    await subscribe(database, limited, 'fede@example.org');
    await expect(subscribe(database, limited, 'gabi@example.org')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('creates one request per addressee due after the configured days, flags it overdue, and shows answers publicly', async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    const reviewer = await insertUser(database, { memberships: { [network.id]: ['reviewer'] } });
    const documenter = await insertUser(database, { memberships: { [network.id]: ['documenter'] } });
    const publishedAt = new Date(Date.now() - 40 * 86_400_000);
    const alert = await insertAlert(database, { networkId: network.id, slug: `rendicion-${Date.now()}`, publishedAt });
    await distribute(database, config, alert, network.id);

    const reviewerActor = userActor(reviewer, { [network.id]: ['reviewer'] }, { mfaVerified: true });
    const requests = await readAlertAccountability({ database, actor: reviewerActor, alertId: alert.id });
    const sentOn = mexicoCityDate(publishedAt);
    expect(requests.map((r) => [r.addresseeCode, r.sentOn, r.dueOn, r.overdue])).toEqual([
      ['INM', sentOn, addDays(sentOn, config.alerts.responseDueDays), true],
      ['PRESIDENCIA', sentOn, addDays(sentOn, config.alerts.responseDueDays), true],
    ]);
    const inm = requests.find((r) => r.addresseeCode === 'INM')!;
    await recordAlertResponse({ database, actor: reviewerActor, requestId: inm.id, receivedOn: addDays(sentOn, 10), summary: 'El INM dice que revisará los protocolos.', documentText: 'Oficio INM/123 firmado por la persona titular.' });
    await expect(
      recordAlertResponse({ database, actor: userActor(documenter, { [network.id]: ['documenter'] }), requestId: inm.id, receivedOn: sentOn, summary: 'x', documentText: null }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(readAlertAccountability({ database, actor: userActor(documenter, {}), alertId: alert.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const presidencia = requests.find((r) => r.addresseeCode === 'PRESIDENCIA')!;
    const today = mexicoCityDate(new Date());
    await updateAlertRequest({ database, actor: reviewerActor, config, requestId: presidencia.id, sentOn: today, channel: 'email' });

    const publicView = await readPublicAccountability({ database, slug: alert.slug! });
    expect(publicView).toEqual([
      expect.objectContaining({ addresseeCode: 'INM', status: 'answered', responses: [{ receivedOn: addDays(sentOn, 10), summary: 'El INM dice que revisará los protocolos.', document: null }] }),
      expect.objectContaining({ addresseeCode: 'PRESIDENCIA', status: 'awaiting', sentOn: today, dueOn: addDays(today, config.alerts.responseDueDays), responses: [] }),
    ]);
    expect(JSON.stringify(publicView)).not.toContain('Oficio INM/123');
    await expect(readPublicAccountability({ database, slug: 'no-existe' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('delivers a signed webhook; a target that is down is retried with backoff, logged, and delivered when it comes back', async () => {
    const database = getDatabase();
    // The receiver is plain http on this machine: allowed for this test, on purpose.
    config = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_PUBLIC_URL: 'https://vigia.example.org', VIGIA_WEBHOOK_ALLOW_HTTP: 'true', VIGIA_WEBHOOK_ALLOW_PRIVATE: 'true' });
    const { network, adminActor } = await networkWithAdministrator(database);

    const received: Array<{ body: string; verified: boolean; event: string | undefined }> = [];
    let secret = '';
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const timestamp = String(req.headers['vigia-timestamp']);
        const verified = req.headers['vigia-signature'] === webhookSignature(secret, timestamp, body) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
        received.push({ body, verified, event: req.headers['vigia-event'] as string | undefined });
        res.writeHead(verified ? 204 : 401).end();
      });
    });
    // Reserve a port, then close it: the endpoint is down at first.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const registered = await registerWebhookEndpoint({ database, keyring, actor: adminActor, networkId: network.id, url: `http://127.0.0.1:${port}/hooks/vigia`, description: 'Observatorio', targets: config.alerts.webhookTargets });
    secret = registered.secret;
    const sealed = await database.db.selectFrom('webhook_endpoints').select('secret_sealed').where('id', '=', registered.id).executeTakeFirstOrThrow();
    expect(sealed.secret_sealed).not.toContain(secret);

    const alert = await insertAlert(database, { networkId: network.id });
    expect(await distribute(database, config, alert, network.id)).toMatchObject({ webhooks: 1 });
    const worker = new OutboxWorker({ database, registry: createJobRegistry(config, database), logger: recordingLogger(), pollMs: 50, leaseMs: 20_000, kinds: ['webhook.deliver'] });
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, done: 0 });
    const job = await database.db.selectFrom('outbox_jobs').select(['status', 'attempts', sql<boolean>`run_at > now()`.as('later')]).where('kind', '=', 'webhook.deliver').executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'pending', attempts: 1, later: true });

    // The target comes back; the retry is made due now rather than waiting out the backoff.
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await sql`update outbox_jobs set run_at = now() where kind = 'webhook.deliver'`.execute(database.db);
      expect(await worker.runOnce()).toMatchObject({ claimed: 1, done: 1 });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ verified: true, event: 'alert.published' });
    expect(JSON.parse(received[0]!.body)).toMatchObject({ event: 'alert.published', alert: { id: alert.id, slug: alert.slug, version: 1 } });

    const [endpoint] = await listWebhookEndpoints({ database, actor: adminActor, networkId: network.id });
    expect(endpoint!.deliveries.map((d) => [d.attempt, d.succeeded, d.statusCode, d.error === null])).toEqual([
      [2, true, 204, true],
      [1, false, null, false],
    ]);
    expect(endpoint!.deliveries[1]!.error).toMatch(/ECONNREFUSED/);
  });

  it('refuses webhook URLs that lead inside: http, credentials, private, loopback and metadata addresses, names resolving to them', async () => {
    const database = getDatabase();
    const { network, admin, adminActor: actor } = await networkWithAdministrator(database);
    const strict = testConfig().alerts.webhookTargets;
    const resolveHost = async (host: string) => (host === 'intranet.example.org' ? [{ address: '10.1.2.3', family: 4 as const }] : [{ address: '93.184.216.34', family: 4 as const }]);
    const register = (url: string, targets = strict) => registerWebhookEndpoint({ database, keyring, actor, networkId: network.id, url, description: '', targets, resolveHost });
    const refusals: Array<[string, RegExp]> = [
      ['http://hooks.example.org/vigia', /must be an https URL/],
      ['https://user:pass@hooks.example.org/vigia', /user name or password/],
      ['https://127.0.0.1/vigia', /127\.0\.0\.1 is a loopback address/],
      ['https://2130706433/vigia', /127\.0\.0\.1 is a loopback address/],
      ['https://[::ffff:127.0.0.1]/vigia', /loopback/],
      ['https://169.254.169.254/latest/meta-data', /link-local/],
      ['https://[fd00::1]/vigia', /private network/],
      ['https://100.64.0.1/vigia', /carrier-grade NAT/],
      ['https://0.0.0.0/vigia', /unspecified/],
      ['https://intranet.example.org/vigia', /intranet\.example\.org resolves to 10\.1\.2\.3, a private network address/],
    ];
    for (const [url, message] of refusals) {
      await expect(register(url), url).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(message), details: [{ field: 'url', message: expect.stringMatching(message) }] });
    }
    expect(await database.db.selectFrom('webhook_endpoints').select('id').where('network_id', '=', network.id).execute()).toEqual([]);

    // A public name is accepted; an operator who allows http and private targets (tests, local setups) gets them too.
    await expect(register('https://hooks.example.org/vigia')).resolves.toMatchObject({ secret: expect.stringMatching(/^whsec_/) });
    await expect(register('http://127.0.0.1:8080/vigia', { allowHttp: true, allowPrivate: true })).resolves.toBeDefined();
    // A non-administrator learns nothing about the URL, and no name is looked up for them.
    const lookedUp: string[] = [];
    await expect(
      registerWebhookEndpoint({ database, keyring, actor: userActor(admin, {}), networkId: network.id, url: 'https://127.0.0.1/', description: '', targets: strict, resolveHost: async (h) => (lookedUp.push(h), []) }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(lookedUp).toEqual([]);
  });

  it('resolves again before each delivery and connects only to the checked address: a name rebound to a private address is refused and logged', async () => {
    const database = getDatabase();
    const { network, adminActor } = await networkWithAdministrator(database);
    const receiver = await startReceiver();
    try {
      // Public when registered; the attacker then points the name at this machine, where the receiver listens.
      let answer = '93.184.216.34';
      const resolveHost = async () => [{ address: answer, family: 4 as const }];
      const httpOnly = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_PUBLIC_URL: 'https://vigia.example.org', VIGIA_WEBHOOK_ALLOW_HTTP: 'true' });
      const url = `http://rebind.example.org:${receiver.port}/vigia`;
      const registered = await registerWebhookEndpoint({ database, keyring, actor: adminActor, networkId: network.id, url, description: '', targets: httpOnly.alerts.webhookTargets, resolveHost });
      answer = '127.0.0.1';

      const alert = await insertAlert(database, { networkId: network.id });
      expect(await distribute(database, httpOnly, alert, network.id)).toMatchObject({ webhooks: 1 });
      const workerFor = (settings: Config) =>
        new OutboxWorker({
          database,
          registry: new JobRegistry(defaultJobDefinitions, { defaultMaxAttempts: settings.outbox.maxAttempts, dependencies: { config: settings, database, resolveHost } }),
          logger: recordingLogger(),
          pollMs: 50,
          leaseMs: 20_000,
          kinds: ['webhook.deliver'],
        });
      expect(await workerFor(httpOnly).runOnce()).toMatchObject({ claimed: 1, done: 0 });
      expect(receiver.received).toEqual([]);
      const [refused] = await listWebhookEndpoints({ database, actor: adminActor, networkId: network.id });
      expect(refused!.deliveries).toEqual([
        expect.objectContaining({ attempt: 1, succeeded: false, statusCode: null, error: 'refused: must reach a public internet address: rebind.example.org resolves to 127.0.0.1, a loopback address (this machine)' }),
      ]);
      const job = await database.db.selectFrom('outbox_jobs').select(['status', 'last_error']).where('kind', '=', 'webhook.deliver').executeTakeFirstOrThrow();
      expect(job.status).toBe('pending');

      // Where private targets are allowed, the request goes to the address the check saw — the system
      // resolver does not know this name at all — with the URL's host name in the Host header.
      const local = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_PUBLIC_URL: 'https://vigia.example.org', VIGIA_WEBHOOK_ALLOW_HTTP: 'true', VIGIA_WEBHOOK_ALLOW_PRIVATE: 'true' });
      await sql`update outbox_jobs set run_at = now() where kind = 'webhook.deliver'`.execute(database.db);
      expect(await workerFor(local).runOnce()).toMatchObject({ claimed: 1, done: 1 });
      expect(receiver.received.map((r) => r.host)).toEqual([`rebind.example.org:${receiver.port}`]);
      expect(registered.id).toBe(refused!.id);
    } finally {
      await receiver.close();
    }
  });

  it('refuses a redirect instead of following it, and logs it', async () => {
    const database = getDatabase();
    const { network, adminActor } = await networkWithAdministrator(database);
    const target = await startReceiver();
    const redirecting = http.createServer((_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${target.port}/` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      config = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_PUBLIC_URL: 'https://vigia.example.org', VIGIA_WEBHOOK_ALLOW_HTTP: 'true', VIGIA_WEBHOOK_ALLOW_PRIVATE: 'true' });
      const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/vigia`;
      await registerWebhookEndpoint({ database, keyring, actor: adminActor, networkId: network.id, url, description: '', targets: config.alerts.webhookTargets });
      const alert = await insertAlert(database, { networkId: network.id });
      await distribute(database, config, alert, network.id);
      await runJobsOnce(database, config);
      expect(target.received).toEqual([]);
      const [endpoint] = await listWebhookEndpoints({ database, actor: adminActor, networkId: network.id });
      expect(endpoint!.deliveries).toEqual([expect.objectContaining({ statusCode: 307, succeeded: false, error: 'HTTP 307: redirects are not followed' })]);
    } finally {
      await target.close();
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });

  it('after `keys rotate` and the old master key removed: the confirmed subscriber still gets alerts, old and new unsubscribe links work', async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    await subscribe(database, config, 'ines@example.org', { language: 'en' });
    await runJobs(database, config);
    const confirmToken = /\/en\/subscription\/([A-Za-z0-9_-]+)/.exec(parseEml(smtp.received[0]!.raw).text ?? '')![1]!;
    await confirmSubscription({ database, token: confirmToken, ip: '198.51.100.7' });
    const first = await insertAlert(database, { networkId: network.id, slug: `antes-${Date.now()}` });
    await distribute(database, config, first, network.id);
    smtp.received.length = 0;
    await runJobs(database, config);
    const tokenBefore = oneClickToken(smtp.received[0]!.raw);
    expect(tokenBefore).toBeDefined();
    const before = await database.db.selectFrom('alert_subscriptions').select(['email_sealed', 'email_hash']).executeTakeFirstOrThrow();

    // The operator sets a new master key, keeps the old one as previous, and rotates.
    const newKey = generateMasterKeyText();
    const during = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_PUBLIC_URL: 'https://vigia.example.org', VIGIA_MASTER_KEY: newKey, VIGIA_PREVIOUS_MASTER_KEYS: TEST_MASTER_KEY });
    const rotating = new Keyring(loadMasterKeys(during));
    // Between the new key and the rotation, the same address is still recognized (no second subscription).
    await subscribe(database, during, 'INES@example.org', {}, rotating);
    expect(await database.db.selectFrom('alert_subscriptions').select('id').execute()).toHaveLength(1);
    expect(await rotateMasterKey(database.db, rotating, { newDataKeys: false })).toMatchObject({ subscriptions: 1 });
    expect(await rotateMasterKey(database.db, rotating, { newDataKeys: false })).toMatchObject({ subscriptions: 0 });
    const after = await database.db.selectFrom('alert_subscriptions').select(['email_sealed', 'email_hash', 'status']).executeTakeFirstOrThrow();
    expect(after.status).toBe('confirmed');
    expect(after.email_sealed).not.toBe(before.email_sealed);
    expect(after.email_hash).not.toBe(before.email_hash);

    // The old key is gone: only the new one is configured.
    const rotated = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_PUBLIC_URL: 'https://vigia.example.org', VIGIA_MASTER_KEY: newKey });
    const newKeyring = new Keyring(loadMasterKeys(rotated));
    const { id } = await database.db.selectFrom('alert_subscriptions').select('id').executeTakeFirstOrThrow();
    expect(() => openSubscriberEmail(keyring, { id, email_sealed: after.email_sealed })).toThrow(/not configured/);
    expect(openSubscriberEmail(newKeyring, { id, email_sealed: after.email_sealed })).toBe('ines@example.org');
    const second = await insertAlert(database, { networkId: network.id, slug: `despues-${Date.now()}` });
    expect(await distribute(database, rotated, second, network.id, false, 1, newKeyring)).toMatchObject({ emails: 1 });
    smtp.received.length = 0;
    await runJobs(database, rotated);
    expect(smtp.received.map((m) => m.rcptTo[0])).toEqual(['ines@example.org']);
    const tokenAfter = oneClickToken(smtp.received[0]!.raw);
    expect(tokenAfter).toBeDefined();
    expect(tokenAfter).not.toBe(tokenBefore);
    // Subscribing again finds the re-keyed subscription.
    await subscribe(database, rotated, 'ines@example.org', {}, newKeyring);
    expect(await database.db.selectFrom('alert_subscriptions').select('id').execute()).toHaveLength(1);

    // The link in the e-mail sent before the rotation still ends the subscription; the new one is known too.
    expect(await unsubscribeFromAlerts({ database, token: tokenBefore!, ip: '203.0.113.1' })).toEqual({ language: 'en' });
    expect((await database.db.selectFrom('alert_subscriptions').select('status').executeTakeFirstOrThrow()).status).toBe('unsubscribed');
    expect(await unsubscribeFromAlerts({ database, token: tokenAfter!, ip: '203.0.113.1' })).toEqual({ language: 'en' });
  });
});
