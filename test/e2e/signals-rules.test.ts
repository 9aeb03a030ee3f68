import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAll } from '../../src/alerts/evaluate.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { loadMasterKeys } from '../../src/crypto/master-keys.js';
import { alertNetwork, SALTILLO_DEATH_THREAT } from '../alert-drafting.js';
import { createUser, type TestUser } from '../auth.js';
import { axeViolations, describeViolations, launchBrowser, openPage, pageWidths, scanPages, startWebApp, type RunningApp } from '../browser.js';
import { testConfig } from '../config.js';
import { newTotpSecret, screenshot, signInThroughForm, signInWithTwoFactor, unexpected } from './people-helpers.js';

/**
 * The early-warning pages in the browser: a network's documenter finds its signals (the urgent one
 * first, marked in words), drafts an alert from one and dismisses another with a reason; an instance
 * administrator edits a rule (a bad value is refused next to its field); anyone else reads the rules.
 */
describe('signals inbox and rules pages', () => {
  let browser: Browser;
  let server: RunningApp;
  let networkId: string;
  let documenter: TestUser;
  let admin: { user: TestUser; secret: string };

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    const net = await alertNetwork(server.database, new Keyring(loadMasterKeys(testConfig())));
    networkId = net.networkId;
    // National Guard at a shelter's door (outside its mandate), and a death threat against the shelter's
    // coordinator, a defender: grave, so its signal is urgent.
    await net.verifiedIncident();
    await net.verifiedIncident(SALTILLO_DEATH_THREAT);
    // The verification enqueued rules.evaluate jobs; no worker runs here, so evaluate at once.
    await evaluateAll(server.database);
    documenter = await createUser(server.database, { displayName: 'Documentadora del Consejo', memberships: [{ organizationId: networkId, roles: ['documenter'] }] });
    const secret = newTotpSecret();
    admin = { user: await createUser(server.database, { displayName: 'Administración', isInstanceAdmin: true, totpSecret: secret }), secret };
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const openSignals = () =>
    server.database.db.selectFrom('signals').select(['id', 'rule_id', 'urgent', 'status']).where('network_id', '=', networkId).where('status', '=', 'open').execute();
  const signalCard = (page: Page, text: string | RegExp) => page.getByRole('article').filter({ has: page.getByRole('heading', { level: 3, name: text }) });

  it('drafts an alert from a signal and dismisses another with a reason, in Spanish and English', { timeout: 180_000 }, async () => {
    const signals = await openSignals();
    expect(signals.filter((s) => s.urgent).map((s) => s.rule_id)).toEqual(['severity']);
    expect(signals.length).toBeGreaterThanOrEqual(2);

    const { page, problems } = await openPage(browser);
    await signInThroughForm(page, server.url, documenter);
    await page.waitForURL('**/cuenta');
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Señales' }).click();
    await page.getByRole('heading', { level: 1, name: 'Señales' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Consejo de prueba' }).waitFor();
    // The urgent signal comes first and says so in words, not only by its colour.
    const cards = page.getByRole('article');
    await expect.poll(() => cards.count()).toBe(signals.length);
    const first = cards.first();
    expect(await first.getByRole('heading', { level: 3 }).textContent()).toMatch(/^Urgente Hechos graves/);
    expect(await first.textContent()).toContain('Urgente: hechos graves que piden actuar ya');
    expect(await first.textContent()).toContain('severity (versión 1)');
    expect(await first.textContent()).toContain('Coahuila');
    expect(await first.getByRole('link', { name: /^Incidente 1 / }).count()).toBe(1);
    await screenshot(page, 'vigia-signals-inbox');

    await first.getByRole('link', { name: 'Redactar alerta' }).click();
    await page.waitForURL(/\/redaccion\/[0-9a-f-]{36}$/);
    const alertId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { level: 1 }).filter({ hasText: /amenaza|agresiones/i }).waitFor();
    const urgent = signals.find((s) => s.urgent)!;
    const stored = await server.database.db.selectFrom('signals').select(['status', 'alert_id']).where('id', '=', urgent.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'drafted', alert_id: alertId });
    expect((await server.database.db.selectFrom('alerts').select('signal_id').where('id', '=', alertId).executeTakeFirstOrThrow()).signal_id).toBe(urgent.id);

    // In English now: dismiss the next signal, first without a reason (refused in place), then with one.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Signals' }).click();
    await page.getByRole('heading', { level: 1, name: 'Signals' }).waitFor();
    await expect.poll(() => cards.count()).toBe(signals.length - 1);
    const next = cards.first();
    const nextTitle = (await next.getByRole('heading', { level: 3 }).textContent())!;
    expect(nextTitle).not.toMatch(/Urgent/);
    await next.getByRole('button', { name: 'Dismiss' }).click();
    const reason = next.getByLabel('Why it is dismissed');
    await expect.poll(() => reason.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    await next.getByRole('button', { name: 'Dismiss the signal' }).click();
    await next.getByText('Say why the signal is dismissed.').waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('Ya se denunció ante la CNDH la semana pasada.');
    await next.getByRole('button', { name: 'Dismiss the signal' }).click();
    await page.getByRole('status').filter({ hasText: 'The signal was dismissed.' }).waitFor();
    await expect.poll(() => cards.count()).toBe(signals.length - 2);

    // The filter is kept in the address: the dismissed ones, with the reason.
    await page.getByLabel('Show').selectOption({ label: 'Dismissed' });
    await page.waitForURL('**/senales?estado=descartadas');
    await page.reload();
    await signalCard(page, nextTitle).getByText('Ya se denunció ante la CNDH la semana pasada.').waitFor();
    expect(await page.getByLabel('Show').inputValue()).toBe('dismissed');
    const dismissed = await server.database.db.selectFrom('signals').select(['status', 'dismissal_reason']).where('network_id', '=', networkId).where('status', '=', 'dismissed').execute();
    expect(dismissed).toEqual([{ status: 'dismissed', dismissal_reason: 'Ya se denunció ante la CNDH la semana pasada.' }]);
    await page.getByLabel('Show').selectOption({ label: 'With an alert being drafted' });
    await page.waitForURL('**/senales?estado=redactadas');
    await page.getByRole('link', { name: 'Open the alert being drafted' }).click();
    await page.waitForURL(`**/redaccion/${alertId}`);
    expect(unexpected(problems)).toEqual([]);
  });

  it('lets an instance administrator edit a rule, refusing a bad value next to its field; others only read', { timeout: 180_000 }, async () => {
    const { page, problems } = await openPage(browser);
    await signInWithTwoFactor(page, server.url, admin.user, admin.secret);
    await page.waitForURL('**/cuenta');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Rules' }).click();
    await page.getByRole('heading', { level: 1, name: 'Early-warning rules' }).waitFor();
    const rule = page.getByRole('article').filter({ hasText: 'repeat-targeting' });
    expect(await rule.textContent()).toContain('The same shelter, again and again');
    await rule.getByRole('button', { name: 'Edit the rule' }).click();
    const minimum = rule.getByLabel('Minimum incidents');
    expect(await minimum.inputValue()).toBe('3');
    await minimum.fill('0');
    await rule.getByRole('button', { name: 'Save the rule' }).click();
    await rule.getByText('Must be at least 1.').waitFor();
    await screenshot(page, 'vigia-rule-refused');
    expect(await minimum.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => minimum.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement)).toBe(true);
    expect((await server.database.db.selectFrom('alert_rules').select('version').where('id', '=', 'repeat-targeting').executeTakeFirstOrThrow()).version).toBe(1);

    await minimum.fill('2');
    await rule.getByLabel('Window in days').fill('120');
    await rule.getByRole('button', { name: 'Save the rule' }).click();
    await rule.getByRole('status').filter({ hasText: 'Version 2 of the rule was saved' }).waitFor();
    expect(await rule.textContent()).toMatch(/Version\s*2/);
    const stored = await server.database.db.selectFrom('alert_rules').select(['version', 'parameters']).where('id', '=', 'repeat-targeting').executeTakeFirstOrThrow();
    expect(stored).toEqual({ version: 2, parameters: { minIncidents: 2, days: 120 } });
    expect(unexpected(problems, [{ path: '/api/v1/alert-rules/repeat-targeting', status: 400 }])).toEqual([]);

    // A network's documenter reads the same rules, with no way to change them.
    const reader = await openPage(browser);
    await signInThroughForm(reader.page, server.url, documenter);
    await reader.page.waitForURL('**/cuenta');
    await reader.page.goto(`${server.url}/reglas`);
    await reader.page.getByRole('heading', { level: 1, name: 'Reglas de alerta temprana' }).waitFor();
    await reader.page.getByText('Solo quien administra la instancia puede cambiar las reglas').waitFor();
    const readRule = reader.page.getByRole('article').filter({ hasText: 'repeat-targeting' });
    expect(await readRule.textContent()).toMatch(/Versión\s*2/);
    expect(await reader.page.getByRole('article').count()).toBe(6);
    expect(await reader.page.getByRole('button', { name: 'Editar la regla' }).count()).toBe(0);
    expect(await reader.page.getByRole('textbox').count()).toBe(0);
    expect(unexpected(reader.problems)).toEqual([]);
  });

  it('is axe-clean and fits 360 px in both languages, with the dismissal form and the rule editor open', { timeout: 240_000 }, async () => {
    // Another administrator: the first one's code of this half-minute is spent (codes are not replayable).
    const secret = newTotpSecret();
    const second = await createUser(server.database, { isInstanceAdmin: true, totpSecret: secret });
    const administrator = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await signInWithTwoFactor(administrator.page, server.url, second, secret);
    await administrator.page.waitForURL('**/cuenta');
    const member = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await signInThroughForm(member.page, server.url, await createUser(server.database, { memberships: [{ organizationId: networkId, roles: ['documenter'] }] }));
    await member.page.waitForURL('**/cuenta');
    const scans: Record<string, { violations: string; sideways: boolean }> = {};
    const scanHere = async (name: string, page: Page) => {
      const widths = await pageWidths(page);
      scans[name] = { violations: describeViolations(await axeViolations(page)), sideways: widths.scroll > widths.client };
    };
    for (const language of ['es', 'en'] as const) {
      for (const { page } of [administrator, member]) {
        if (language === 'en') {
          await page.getByRole('button', { name: 'English' }).click();
          await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
        }
      }
      for (const [pathname, scan] of Object.entries(
        await scanPages(member.page, server.url, [
          ['/senales?estado=todas', 'article h3'],
          ['/senales?estado=descartadas', 'article h3'],
          ['/reglas', 'article h2'],
          ['/senales', 'main h2'],
        ]),
      )) {
        scans[`${language} ${pathname}`] = scan;
      }
      await member.page.getByRole('article').first().getByRole('button', { name: language === 'es' ? 'Descartar' : 'Dismiss' }).click();
      await member.page.getByRole('article').first().getByRole('button', { name: language === 'es' ? 'Descartar la señal' : 'Dismiss the signal' }).click();
      await member.page.locator('.field__error').first().waitFor();
      await scanHere(`${language} dismissal form`, member.page);
      await screenshot(member.page, `vigia-signal-dismissal-${language}`);

      Object.assign(scans, Object.fromEntries(Object.entries(await scanPages(administrator.page, server.url, [['/senales', 'main h1']])).map(([k, v]) => [`${language} administrator ${k}`, v])));
      await administrator.page.goto(`${server.url}/reglas`);
      // The grave-acts rule: four groups of codes to choose from, all opened.
      const severity = administrator.page.getByRole('article').filter({ hasText: 'severity' });
      await severity.getByRole('button', { name: language === 'es' ? 'Editar la regla' : 'Edit the rule' }).click();
      for (const summary of await severity.locator('summary').all()) await summary.click();
      await severity.getByRole('checkbox', { name: language === 'es' ? 'Amenaza de muerte' : 'Death threat' }).first().waitFor();
      await scanHere(`${language} rule editor`, administrator.page);
      await screenshot(administrator.page, `vigia-rule-editor-${language}`);
    }
    const clean = { violations: '', sideways: false };
    expect(scans).toEqual(Object.fromEntries(Object.keys(scans).map((name) => [name, clean])));
    expect(Object.keys(scans)).toHaveLength(14);
    expect(unexpected(administrator.problems)).toEqual([]);
    expect(unexpected(member.problems)).toEqual([]);
  });
});
