import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAlert, sampleAlertContent } from '../alerts.js';
import { launchBrowser, openPage, PUBLIC_JS_BUDGET, recordScriptSizes, scanPages, startWebApp, type RunningApp } from '../browser.js';
import { createTestDatabase } from '../db.js';
import { insertOrganization } from '../organizations.js';

describe('public alert pages', () => {
  let browser: Browser;
  let server: RunningApp;
  let published: string;
  let urgent: string;
  let withdrawn: string;

  beforeAll(async () => {
    const database = await createTestDatabase('pglite');
    const networkId = (await insertOrganization(database, { kind: 'network' })).id;
    published = (await insertAlert(database, { networkId, slug: 'hostigamiento-2019', publishedAt: new Date('2019-08-05T16:00:00Z') })).slug!;
    urgent = (await insertAlert(database, { networkId, slug: 'defensoras-en-riesgo', content: sampleAlertContent({ urgent: true }), publishedAt: new Date('2019-09-01T16:00:00Z') })).slug!;
    withdrawn = (await insertAlert(database, { networkId, status: 'withdrawn', slug: 'alerta-retirada', publishedAt: new Date('2019-07-01T16:00:00Z') })).slug!;
    [browser, server] = await Promise.all([launchBrowser(), startWebApp({ database })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the alerts in Spanish, urgent ones marked, and opens one with its meta tags and print styles', async () => {
    const { context, page, problems } = await openPage(browser);
    const response = await page.goto(`${server.url}/alertas`);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('link[rel="alternate"][type="application/atom+xml"]', 'href')).toBe(`${server.url}/alertas.atom`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Alertas públicas');
    const cards = page.locator('.alert-card h2');
    await expect.poll(() => cards.count()).toBe(3);
    expect(await page.locator('.alert-card--urgent .alert-badge').textContent()).toBe('Urgente');
    expect(await page.getByText('Retirada', { exact: true }).count()).toBe(1);

    await page.getByRole('link', { name: 'Hostigamiento a albergues para personas migrantes en cinco estados' }).first().click();
    await page.getByRole('heading', { name: 'Recomendaciones' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/alertas\//);

    // Loaded directly, the server has already put the alert's head in.
    await page.goto(`${server.url}/alertas/${published}`);
    await page.getByRole('heading', { name: 'Dirigida a' }).waitFor();
    expect(await page.getAttribute('meta[property="og:title"]', 'content')).toBe('Hostigamiento a albergues para personas migrantes en cinco estados');
    expect(await page.getAttribute('meta[property="og:url"]', 'content')).toBe(`${server.url}/alertas/${published}`);
    expect(await page.getAttribute('meta[name="twitter:card"]', 'content')).toBe('summary');
    expect(await page.getAttribute('link[rel="canonical"]', 'href')).toBe(`${server.url}/alertas/${published}`);
    expect(await page.getAttribute('link[rel="alternate"][hreflang="en"]', 'href')).toBe(`${server.url}/en/alerts/${published}`);
    // The description as the server sent it, for crawlers that run no script (the app then sets its own).
    const html = await (await page.request.get(`${server.url}/alertas/${published}`, { headers: { accept: 'text/html' } })).text();
    expect(html).toMatch(/<meta name="description" content="Entre junio y julio de 2019/);
    expect(html).toContain('<html lang="es"');
    const englishHtml = await (await page.request.get(`${server.url}/en/alerts/${published}`, { headers: { accept: 'text/html' } })).text();
    expect(englishHtml).toContain('<html lang="en"');
    expect(englishHtml).toContain('<title>Harassment of migrant shelters in five states · Vigía</title>');
    expect(await page.title()).toBe('Hostigamiento a albergues para personas migrantes en cinco estados · Vigía');
    expect(await page.getByRole('link', { name: 'Descargar PDF' }).getAttribute('href')).toBe(`/api/v1/public/alerts/${published}/pdf?lang=es`);
    // A print stylesheet is loaded, and printing leaves out the site's frame.
    const printRules = await page.evaluate(() =>
      [...(globalThis as unknown as { document: { styleSheets: Iterable<{ cssRules: Iterable<{ media?: { mediaText: string } }> }> } }).document.styleSheets]
        .flatMap((sheet) => [...sheet.cssRules])
        .filter((rule) => rule.media?.mediaText === 'print').length,
    );
    expect(printRules).toBeGreaterThan(0);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the English pages under /en, and the language switch maps between the two', async () => {
    const { context, page, problems } = await openPage(browser);
    const response = await page.goto(`${server.url}/en/alerts/${urgent}`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('heading', { name: 'Addressed to' }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Harassment of migrant shelters in five states');
    expect(await page.locator('.alert-badge--urgent').textContent()).toBe('Urgent');
    expect(await page.getAttribute('meta[property="og:locale"]', 'content')).toBe('en_US');
    expect(await page.getAttribute('link[rel="alternate"][type="application/atom+xml"]', 'href')).toBe(`${server.url}/en/alerts.atom`);

    await page.getByRole('button', { name: 'Español' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/alertas/${urgent}`);
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('es');
    await page.getByRole('heading', { name: 'Dirigida a' }).waitFor();

    await page.getByRole('link', { name: 'Todas las alertas' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/en/alerts');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Public alerts');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a withdrawn alert as its notice, and answers 404 for an address with no alert', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(`${server.url}/alertas/${withdrawn}`);
    await page.getByRole('note').waitFor();
    expect(await page.getByRole('note').textContent()).toContain('Esta alerta fue retirada');
    expect(await page.getByRole('note').textContent()).toContain('Motivo: Retirada en una prueba');
    expect(await page.getByText('Agua Prieta').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Descargar PDF' }).count()).toBe(0);

    const missing = await page.goto(`${server.url}/en/alerts/no-such-alert`);
    expect(missing?.status()).toBe(404);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await context.close();
  });

  it('has no axe-core violations and no sideways scrolling at 360 px, in both languages', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    const scans = await scanPages(
      page,
      server.url,
      ['/alertas', `/alertas/${published}`, `/alertas/${withdrawn}`, '/en/alerts', `/en/alerts/${urgent}`].map(
        (pathname) => [pathname, pathname.split('/').length > 3 || pathname.startsWith('/alertas/') ? '.public-alert' : '.alert-card'] as const,
      ),
    );
    expect(scans).toEqual(Object.fromEntries(Object.keys(scans).map((k) => [k, { violations: '', sideways: false }])));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the JavaScript a reader downloads for an alert within the public budget', async () => {
    const { context, page } = await openPage(browser);
    const scripts = recordScriptSizes(page);
    await page.goto(`${server.url}/alertas/${published}`);
    await page.getByRole('heading', { name: 'Recomendaciones' }).waitFor();
    await page.goto(`${server.url}/alertas`);
    await page.locator('.alert-card').first().waitFor();
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    expect(scripts.size).toBeGreaterThan(0);
    expect(total, `${(total / 1024).toFixed(1)} KB gzip`).toBeLessThanOrEqual(PUBLIC_JS_BUDGET);
    await context.close();
  });
});
