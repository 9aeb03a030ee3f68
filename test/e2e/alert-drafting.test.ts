import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyring } from '../../src/crypto/keyring.js';
import { loadMasterKeys } from '../../src/crypto/master-keys.js';
import { alertNetwork } from '../alert-drafting.js';
import { createUser, type TestUser } from '../auth.js';
import { axeViolations, describeViolations, launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { testConfig } from '../config.js';
import { sessionHeaders } from '../sessions.js';
import { newTotpSecret, pageOverflows, screenshot, signInThroughForm, signInWithTwoFactor, unexpected } from './people-helpers.js';

/**
 * Drafting an alert in the browser: a network's documenter drafts it in both languages from verified
 * incidents and lets a sealed name slip into a case; publication is blocked by the do-no-harm check,
 * which shows the finding in place; the reviewer fixes it, two other reviewers approve, and it is published.
 */
describe('alert drafting pages', () => {
  let browser: Browser;
  let server: RunningApp;
  let networkId: string;
  let incidentIds: string[];
  let documenter: TestUser;
  const reviewers: { user: TestUser; secret: string }[] = [];

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    const net = await alertNetwork(server.database, new Keyring(loadMasterKeys(testConfig())));
    networkId = net.networkId;
    const first = await net.verifiedIncident({ narrative: 'Elementos de la Guardia Nacional filmaron al personal del albergue.' });
    const second = await net.verifiedIncident({ place: { stateCode: '05', municipalityCode: '05030', placeType: 'MIGRANT_SHELTER' }, startDate: { date: '2019-07-20', precision: 'day' } });
    incidentIds = [first.id, second.id];
    documenter = await createUser(server.database, { displayName: 'Documentadora del Consejo', memberships: [{ organizationId: networkId, roles: ['documenter'] }] });
    for (const name of ['Revisora Uno', 'Revisor Dos', 'Revisora Tres', 'Revisor Cuatro']) {
      const secret = newTotpSecret();
      reviewers.push({ user: await createUser(server.database, { displayName: name, memberships: [{ organizationId: networkId, roles: ['reviewer'] }], totpSecret: secret }), secret });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function approveThroughApi(alertId: string, reviewer: TestUser) {
    const response = await server.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/approve`, headers: await sessionHeaders(server.database, reviewer.id), payload: {} });
    expect(response.statusCode, response.body).toBe(200);
  }

  const editorField = (page: Page, label: string, section: string) => page.getByRole('group', { name: section }).getByLabel(label, { exact: true });

  it('drafts in both languages, is blocked by the do-no-harm check, and is published once fixed and approved', { timeout: 180_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    await signInThroughForm(page, server.url, documenter);
    await page.waitForURL('**/cuenta');
    await page.goto(`${server.url}/redaccion/nueva?incidentes=${incidentIds.join(',')}&red=${networkId}`);
    await page.waitForURL(/\/redaccion\/[0-9a-f-]{36}$/);
    const alertId = new URL(page.url()).pathname.split('/').pop()!;
    const facts = editorField(page, 'Español', 'Los hechos');
    await expect.poll(() => facts.inputValue()).toContain('menos de 3 incidentes verificados en 2 estados (Coahuila y Sonora)');
    expect(await editorField(page, 'Inglés', 'Los hechos').inputValue()).toContain('fewer than 3 verified incidents were documented in 2 states (Coahuila and Sonora)');

    const cases = editorField(page, 'Español', 'Casos ilustrativos');
    const clean = await cases.inputValue();
    await cases.fill(`${clean}\n\nTestimonio de la Hermana Rosa Ejemplo.`);
    await page.getByRole('button', { name: 'Guardar una nueva versión' }).click();
    await page.getByRole('status').filter({ hasText: 'Se guardó una nueva versión.' }).waitFor();
    await page.getByRole('button', { name: 'Enviar a revisión' }).click();
    await page.getByRole('status').filter({ hasText: 'Se envió a revisión.' }).waitFor();
    await context.close();

    await approveThroughApi(alertId, reviewers[1]!.user);
    await approveThroughApi(alertId, reviewers[2]!.user);

    const reviewer = await openPage(browser);
    await signInWithTwoFactor(reviewer.page, server.url, reviewers[0]!.user, reviewers[0]!.secret);
    await reviewer.page.waitForURL('**/cuenta');
    await reviewer.page.goto(`${server.url}/redaccion/${alertId}`);
    await reviewer.page.getByRole('button', { name: 'Publicar' }).click();
    const report = reviewer.page.getByRole('region', { name: '1 problema impide publicar' });
    await report.waitFor();
    expect(await report.textContent()).toContain('Nombre reservado — Casos ilustrativos (Español)');
    expect(await report.textContent()).toContain('Hermana Rosa Ejemplo');
    const field = editorField(reviewer.page, 'Español', 'Casos ilustrativos');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await screenshot(reviewer.page, 'vigia-alert-blocked');

    await field.fill(clean);
    await reviewer.page.getByRole('button', { name: 'Guardar una nueva versión' }).click();
    await reviewer.page.getByRole('status').filter({ hasText: 'Se guardó una nueva versión.' }).waitFor();
    await approveThroughApi(alertId, reviewers[1]!.user);
    await approveThroughApi(alertId, reviewers[3]!.user);
    await reviewer.page.reload();
    await reviewer.page.getByRole('button', { name: 'Publicar' }).click();
    await reviewer.page.getByRole('status').filter({ hasText: 'La alerta se publicó.' }).waitFor();
    const stored = await server.database.db.selectFrom('alerts').select(['status', 'slug']).where('id', '=', alertId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'published', slug: 'agresiones-a-albergues-y-personas-defensoras-de-migrantes-en-2-estados' });
    expect(unexpected(reviewer.problems, [{ path: `/api/v1/alerts/${alertId}/publish`, status: 409 }])).toEqual([]);
    expect(unexpected(problems)).toEqual([]);

    // axe-clean at 360 px, in both languages, on the list, the editor and the history.
    const small = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await signInWithTwoFactor(small.page, server.url, reviewers[3]!.user, reviewers[3]!.secret);
    await small.page.waitForURL('**/cuenta');
    const scans: Record<string, string> = {};
    const overflow: Record<string, boolean> = {};
    for (const language of ['es', 'en'] as const) {
      if (language === 'en') {
        await small.page.getByRole('button', { name: 'English' }).click();
        await expect.poll(() => small.page.getAttribute('html', 'lang')).toBe('en');
      }
      const pages: [string, string, RegExp][] = [
        ['list', '/redaccion', language === 'es' ? /Redacción de alertas/ : /Alert drafting/],
        ['editor', `/redaccion/${alertId}`, /ALR-/],
        ['history', `/redaccion/${alertId}/historial`, language === 'es' ? /Historial de la alerta/ : /History of alert/],
      ];
      for (const [name, path, heading] of pages) {
        await small.page.goto(`${server.url}${path}`);
        await small.page.getByRole('heading', { level: 1 }).filter({ hasText: name === 'editor' ? /agresiones/i : heading }).waitFor();
        scans[`${language} ${name}`] = describeViolations(await axeViolations(small.page));
        overflow[`${language} ${name}`] = await pageOverflows(small.page);
      }
    }
    expect(scans).toEqual(Object.fromEntries(Object.keys(scans).map((name) => [name, ''])));
    expect(Object.entries(overflow).filter(([, wide]) => wide)).toEqual([]);
    expect(unexpected(small.problems)).toEqual([]);
  });
});
