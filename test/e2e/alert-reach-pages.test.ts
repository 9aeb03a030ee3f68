import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../../src/commands/subscription-secrets.js';
import { parseEml } from '../../src/jobs/email/email.test-helper.js';
import { recordingLogger } from '../../src/jobs/jobs.test-helper.js';
import { createJobRegistry } from '../../src/jobs/run.js';
import { OutboxWorker } from '../../src/jobs/worker.js';
import { insertAlert } from '../alerts.js';
import { axeViolations, describeViolations, launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { testConfig, testKeyring } from '../config.js';
import { createTestDatabase } from '../db.js';
import { insertOrganization } from '../organizations.js';

/** The public pages that reach people beyond the alert itself: e-mail subscriptions and the authorities' answers. */
describe('alert reach pages', () => {
  let browser: Browser;
  let server: RunningApp;
  let slug: string;

  beforeAll(async () => {
    const database = await createTestDatabase('pglite');
    const networkId = (await insertOrganization(database, { kind: 'network' })).id;
    const alert = await insertAlert(database, { networkId, slug: 'hostigamiento-2019', publishedAt: new Date('2019-08-05T16:00:00Z') });
    slug = alert.slug!;
    // The President's office answered; the migration institute's time ran out long ago.
    const answered = randomUUID();
    await database.db
      .insertInto('alert_requests')
      .values([
        { id: answered, alert_id: alert.id, addressee_code: 'PRESIDENCIA', addressee_name: JSON.stringify({ es: 'Presidencia de la República', en: 'Office of the President' }), sent_on: '2019-08-06', due_on: '2019-09-05' },
        { id: randomUUID(), alert_id: alert.id, addressee_code: 'INM', addressee_name: JSON.stringify({ es: 'Instituto Nacional de Migración', en: 'National Migration Institute' }), sent_on: '2019-08-06', due_on: '2019-09-05' },
      ])
      .execute();
    await database.db.insertInto('alert_responses').values({ id: randomUUID(), request_id: answered, received_on: '2019-08-20', summary: 'Turnó la alerta a la Guardia Nacional.' }).execute();
    [browser, server] = await Promise.all([launchBrowser(), startWebApp({ database })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function noSidewaysScroll(page: Page) {
    const widths = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return { scroll: root.scrollWidth, client: root.clientWidth };
    });
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  }

  it('subscribes from the alert list, confirms by the e-mailed link and unsubscribes, axe-clean at 360 px', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await page.goto(`${server.url}/alertas`);
    await page.getByRole('link', { name: 'Recibir alertas por correo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Recibir alertas por correo' }).waitFor();
    await page.getByRole('group', { name: 'Estados' }).getByRole('checkbox', { name: 'Sonora' }).check();
    expect(describeViolations(await axeViolations(page))).toBe('');
    await noSidewaysScroll(page);
    await page.getByLabel('Correo electrónico').fill('ana@example.org');
    await page.getByRole('button', { name: 'Suscribirme' }).click();
    await page.getByText('le enviamos un correo con un enlace para confirmar').waitFor();

    const stored = await server.database.db.selectFrom('alert_subscriptions').select(['id', 'email_sealed', 'status', 'state_codes']).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'pending', state_codes: ['26'] });
    // The outbox sends the confirmation; without an SMTP server it is written as an .eml file.
    const config = testConfig();
    const worker = new OutboxWorker({ database: server.database, registry: createJobRegistry(config, server.database), logger: recordingLogger(), pollMs: 50, leaseMs: 20_000 });
    while ((await worker.runOnce()).claimed > 0);
    const mailDir = path.join(config.dataDir, 'mail');
    const mail = fs.readdirSync(mailDir).map((file) => parseEml(fs.readFileSync(path.join(mailDir, file), 'utf8')).text ?? '');
    const token = /\/suscripcion\/([A-Za-z0-9_-]+)/.exec(mail.join(' '))?.[1];
    expect(token).toBeDefined();

    await page.goto(`${server.url}/suscripcion/${token}`);
    await page.getByRole('button', { name: 'Confirmar suscripción' }).waitFor();
    expect(describeViolations(await axeViolations(page))).toBe('');
    await page.getByRole('button', { name: 'Confirmar suscripción' }).click();
    await page.getByText('Suscripción confirmada.').waitFor();
    // The same link a second time no longer works, and the page says so.
    await page.reload();
    await page.getByRole('button', { name: 'Confirmar suscripción' }).click();
    await page.getByText('Este enlace no funciona').waitFor();

    await page.goto(`${server.url}/en/unsubscribe?token=${unsubscribeToken(testKeyring(), stored)}`);
    await page.getByRole('button', { name: 'Unsubscribe' }).waitFor();
    expect(describeViolations(await axeViolations(page))).toBe('');
    await noSidewaysScroll(page);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByText('You will no longer receive alerts by e-mail.').waitFor();
    expect((await server.database.db.selectFrom('alert_subscriptions').select('status').executeTakeFirstOrThrow()).status).toBe('unsubscribed');
    // The only failure is the spent link's 404, which the page explained.
    expect(problems.map((p) => p.url)).toEqual([`${server.url}/api/v1/public/subscriptions/confirm`]);
    await context.close();
  });

  it('shows on the public alert which authority answered and which is overdue, in both languages', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await page.goto(`${server.url}/alertas/${slug}`);
    const section = page.getByRole('region', { name: 'Respuesta de las autoridades' });
    await section.waitFor();
    const president = await section.getByRole('listitem').filter({ hasText: 'Presidencia de la República' }).textContent();
    expect(president).toContain('Respondió el 20 de agosto de 2019: Turnó la alerta a la Guardia Nacional.');
    expect(await section.getByRole('listitem').filter({ hasText: 'Instituto Nacional de Migración' }).textContent()).toContain('Sin respuesta, plazo vencido');
    expect(describeViolations(await axeViolations(page))).toBe('');
    await noSidewaysScroll(page);

    await page.goto(`${server.url}/en/alerts/${slug}`);
    await page.getByRole('region', { name: 'How the authorities answered' }).getByText('No answer, overdue').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
