import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testConfig } from '../../../test/config.js';
import { describeEachEngine } from '../../../test/db.js';
import { invitationEmail, invitationLink } from '../../domain/email-templates.js';
import type { Database } from '../../db/client.js';
import type { Config } from '../../server/config.js';
import { allJobs, emptyOutbox, recordingLogger } from '../jobs.test-helper.js';
import { enqueue, JobPayloadError } from '../outbox.js';
import { createJobRegistry } from '../run.js';
import { OutboxWorker } from '../worker.js';
import { EMAIL_JOB_KIND, enqueueEmail } from './email.job.js';
import { parseEml, startTestSmtpServer, type TestSmtpServer } from './email.test-helper.js';
import { emlPath } from './send-email.js';

const RECIPIENT = 'ana.lopez@example.org';
const TOKEN = 'tok_9s8d7f6g5h4j3k2l1';
const LINK = invitationLink('https://vigia.example.org', TOKEN);
const content = invitationEmail({
  organizationName: 'Casa del Migrante Tapachula',
  role: 'documenter',
  link: LINK,
  expiresAt: new Date('2026-12-05T18:00:00Z'),
});

/** A worker on the real registry (so the real `email.send` wiring), with a logger the test can read. */
function workerFor(config: Config, database: Database) {
  const logger = recordingLogger();
  const worker = new OutboxWorker({
    database,
    registry: createJobRegistry(config),
    logger,
    pollMs: 50,
    leaseMs: 20_000,
  });
  return { worker, logger };
}

describeEachEngine('email.send job', (getDatabase) => {
  let smtp: TestSmtpServer | undefined;
  beforeEach(async () => {
    await emptyOutbox(getDatabase());
  });
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  it('without SMTP writes the message as an .eml file, both languages and the link, and logs only the path', async () => {
    const database = getDatabase();
    const config = testConfig();
    const registry = createJobRegistry(config);
    const messageId = await database.transaction((trx) => enqueueEmail(trx, registry, { to: RECIPIENT, ...content }));
    const { worker, logger } = workerFor(config, database);

    expect(await worker.runOnce()).toMatchObject({ claimed: 1, done: 1 });

    const file = emlPath(config.dataDir, messageId);
    expect(path.dirname(file)).toBe(path.join(config.dataDir, 'mail'));
    const email = parseEml(fs.readFileSync(file, 'utf8'));
    expect(email.headers.get('to')).toBe(RECIPIENT);
    expect(email.headers.get('from')).toContain('no-reply@localhost');
    expect(email.headers.get('subject')).toBe('Casa del Migrante Tapachula: invitación a Vigía / invitation to Vigía');
    expect(email.headers.get('message-id')).toBe(`<${messageId}@localhost>`);
    expect(email.text).toContain('te invita a colaborar en Vigía con el rol de documentador(a)');
    expect(email.text).toContain('invites you to work with them in Vigía as documenter');
    expect(email.text!.indexOf('te invita')).toBeLessThan(email.text!.indexOf('invites you'));
    expect(email.text).toContain(LINK);
    expect(email.html).toContain(`<a href="${LINK}">`);
    expect(email.html).toContain('<div lang="es">');

    const logged = JSON.stringify(logger.entries);
    expect(logged).toContain(file);
    expect(logged).not.toContain(RECIPIENT);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain('Casa del Migrante');
  });

  it('a retried message overwrites its own file and keeps its Message-ID', async () => {
    const config = testConfig();
    const registry = createJobRegistry(config);
    const handler = await registry.loadHandler(EMAIL_JOB_KIND);
    const payload = { to: RECIPIENT, ...content, messageId: 'retry-me-1' };
    const logger = recordingLogger();
    const signal = new AbortController().signal;
    const run = (attempt: number) =>
      handler({ job: { id: 7, kind: EMAIL_JOB_KIND, payload, attempt }, signal, logger });

    await run(1);
    const first = parseEml(fs.readFileSync(emlPath(config.dataDir, 'retry-me-1'), 'utf8'));
    await run(2);
    const mailDir = path.join(config.dataDir, 'mail');
    expect(fs.readdirSync(mailDir)).toEqual(['retry-me-1.eml']);
    const second = parseEml(fs.readFileSync(emlPath(config.dataDir, 'retry-me-1'), 'utf8'));
    expect(second.headers.get('message-id')).toBe(first.headers.get('message-id'));
    expect(second.headers.get('message-id')).toBe('<retry-me-1@localhost>');
  });

  it('with SMTP delivers to the server, with the same message, and writes no file', async () => {
    const database = getDatabase();
    smtp = await startTestSmtpServer();
    const config = testConfig({ VIGIA_SMTP_URL: smtp.url, VIGIA_MAIL_FROM: 'Vigía <avisos@vigia.example.org>' });
    const registry = createJobRegistry(config);
    const messageId = await database.transaction((trx) =>
      enqueueEmail(trx, registry, { to: RECIPIENT, ...content, headers: { 'Auto-Submitted': 'auto-generated' } }),
    );
    const { worker, logger } = workerFor(config, database);

    expect(await worker.runOnce()).toMatchObject({ claimed: 1, done: 1 });

    expect(smtp.received).toHaveLength(1);
    const [delivered] = smtp.received;
    expect(delivered!.mailFrom).toBe('avisos@vigia.example.org');
    expect(delivered!.rcptTo).toEqual([RECIPIENT]);
    const email = parseEml(delivered!.raw);
    expect(email.headers.get('to')).toBe(RECIPIENT);
    expect(email.headers.get('subject')).toBe(content.subject);
    expect(email.headers.get('message-id')).toBe(`<${messageId}@vigia.example.org>`);
    expect(email.headers.get('auto-submitted')).toBe('auto-generated');
    expect(email.text).toContain('te invita');
    expect(email.text).toContain('invites you');
    expect(email.text).toContain(LINK);
    expect(fs.existsSync(path.join(config.dataDir, 'mail'))).toBe(false);
    expect(JSON.stringify(logger.entries)).not.toContain(RECIPIENT);
  });

  it('an unreachable SMTP server fails the attempt, to be retried, without quoting the payload', async () => {
    const database = getDatabase();
    smtp = await startTestSmtpServer();
    const url = smtp.url;
    await smtp.close();
    smtp = undefined;
    const config = testConfig({ VIGIA_SMTP_URL: url });
    const registry = createJobRegistry(config);
    await database.transaction((trx) => enqueueEmail(trx, registry, { to: RECIPIENT, ...content }));
    const { worker } = workerFor(config, database);

    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
    const [job] = await allJobs(database);
    expect(job!.status).toBe('pending');
    expect(job!.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(job!.last_error).not.toContain(RECIPIENT);
  });

  it('while SMTP is down the messages wait in the outbox, and once it is up each is delivered exactly once', async () => {
    const database = getDatabase();
    const down = await startTestSmtpServer();
    const url = down.url;
    await down.close();
    const config = testConfig({ VIGIA_SMTP_URL: url });
    const registry = createJobRegistry(config);
    const ids = await database.transaction(async (trx) => {
      const sent: string[] = [];
      for (const to of ['a@example.org', 'b@example.org', 'c@example.org']) sent.push(await enqueueEmail(trx, registry, { to, ...content }));
      return sent;
    });
    const worker = new OutboxWorker({ database, registry, logger: recordingLogger(), pollMs: 50, leaseMs: 20_000, backoff: { baseMs: 1, capMs: 1, jitter: 0 } });

    expect(await worker.runOnce()).toMatchObject({ claimed: 3, retrying: 3 });
    expect(await worker.runOnce()).toMatchObject({ claimed: 3, retrying: 3 });
    // The server comes up late, on the address the configuration names.
    smtp = await startTestSmtpServer(Number(new URL(url).port));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await worker.runOnce()).toMatchObject({ claimed: 3, done: 3 });
    expect(await worker.runOnce()).toMatchObject({ claimed: 0 });

    expect(smtp.received.map((m) => m.rcptTo[0]).sort()).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
    const delivered = smtp.received.map((m) => /^<([^@]+)@/.exec(parseEml(m.raw).headers.get('message-id') ?? '')?.[1]);
    expect(delivered.sort()).toEqual([...ids].sort());
    expect((await allJobs(database)).map((j) => j.status)).toEqual(['done', 'done', 'done']);
  });

  it('refuses, at enqueue time, headers that would override the message and ids that are not file names', async () => {
    const database = getDatabase();
    const registry = createJobRegistry(testConfig());
    const enqueueRaw = (payload: Record<string, unknown>) =>
      database.transaction((trx) => enqueue(trx, { kind: EMAIL_JOB_KIND, payload }, registry));
    const valid = { to: RECIPIENT, ...content, messageId: 'abc-1' };
    await expect(enqueueRaw({ ...valid, headers: { Bcc: 'someone@example.org' } })).rejects.toThrow(JobPayloadError);
    await expect(enqueueRaw({ ...valid, messageId: '../../etc/passwd' })).rejects.toThrow(JobPayloadError);
    await expect(enqueueRaw({ ...valid, subject: 'two\r\nBcc: x@example.org' })).rejects.toThrow(JobPayloadError);
    await expect(enqueueRaw({ ...valid, to: 'not an address' })).rejects.toThrow(JobPayloadError);
    expect(await allJobs(database)).toEqual([]);
  });

  it('an e-mail enqueued in a transaction that rolls back never exists', async () => {
    const database = getDatabase();
    const registry = createJobRegistry(testConfig());
    const failure = new Error('the change failed after the e-mail was queued');
    await expect(
      database.transaction(async (trx) => {
        await enqueueEmail(trx, registry, { to: RECIPIENT, ...content });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await allJobs(database)).toEqual([]);
  });
});
