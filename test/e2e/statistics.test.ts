import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, PUBLIC_JS_BUDGET, recordScriptSizes, scanPages, startWebApp, type RunningApp } from '../browser.js';
import { testKeyring } from '../config.js';
import { createTestDatabase } from '../db.js';
import { verifiedIncident } from '../incidents.js';
import { insertOrganization, insertUser, userActor } from '../organizations.js';

/** A CSV's rows (RFC 4180: quoted fields may hold commas, quotes doubled and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

const cellOf = (page: Page, table: string, row: string) =>
  page.locator('table', { has: page.locator('caption', { hasText: table }) }).locator('tr', { has: page.getByRole('rowheader', { name: row, exact: true }) }).locator('td');

describe('public statistics pages', () => {
  let browser: Browser;
  let server: RunningApp;

  beforeAll(async () => {
    const database = await createTestDatabase('pglite');
    const keyring = testKeyring();
    const organizationId = (await insertOrganization(database)).id;
    const documenter = userActor(await insertUser(database, { memberships: { [organizationId]: ['documenter'] } }), { [organizationId]: ['documenter'] });
    const reviewer = userActor(await insertUser(database, { memberships: { [organizationId]: ['reviewer'] } }), { [organizationId]: ['reviewer'] });
    const verified = (place: { stateCode: string; municipalityCode: string }, date: string, perpetrator?: string) =>
      verifiedIncident(database, { keyring, organizationId, documenter, reviewer, place, date, mayPublish: true, ...(perpetrator ? { perpetrator } : {}) });
    // Sonora 4, Chiapas 1 (shown as "<3"), Coahuila 4 (hidden, "—", so that the total cannot give Chiapas away).
    for (const day of ['01', '10', '20', '27']) await verified({ stateCode: '26', municipalityCode: '26002' }, `2019-06-${day}`);
    await verified({ stateCode: '07', municipalityCode: '07089' }, '2019-07-30', 'INM');
    for (const day of ['03', '12', '19', '26']) await verified({ stateCode: '05', municipalityCode: '05035' }, `2019-08-${day}`);
    [browser, server] = await Promise.all([launchBrowser(), startWebApp({ database })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the dashboard in Spanish with "<3" as given, and a filter changes the address and the figures', async () => {
    const { context, page, problems } = await openPage(browser);
    expect((await page.goto(`${server.url}/estadisticas`))?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Estadísticas');
    await expect.poll(() => page.locator('.statistics-total').textContent()).toBe('Total de incidentes: 9');
    expect(await cellOf(page, 'Incidentes por estado', 'Sonora').textContent()).toBe('4');
    expect(await cellOf(page, 'Incidentes por estado', 'Chiapas').textContent()).toBe('<3');
    expect(await cellOf(page, 'Incidentes por estado', 'Coahuila').textContent()).toBe('—');
    expect(await cellOf(page, 'Incidentes por mes', 'jul 2019').textContent()).toBe('<3');
    expect(await cellOf(page, 'Por tipo de perpetrador', 'Agentes del INM').textContent()).toBe('<3');
    expect(await page.locator('.choropleth__state').count()).toBe(32);
    expect(await page.getByRole('link', { name: 'Chiapas: <3' }).count()).toBe(1);

    await page.getByRole('combobox', { name: /^Estado/ }).selectOption('26');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?state=26');
    await expect.poll(() => page.locator('.statistics-total').textContent()).toBe('Total de incidentes: 4');
    expect(await cellOf(page, 'Incidentes por mes', 'jun 2019').textContent()).toBe('4');
    // Loaded from the address, the filter is back in the form and in the figures.
    await page.goto(`${server.url}/estadisticas?perpetrator=INM`);
    await expect.poll(() => page.locator('.statistics-total').textContent()).toBe('Total de incidentes: <3');
    await expect.poll(() => page.getByRole('combobox', { name: /^Tipo de perpetrador/ }).inputValue()).toBe('INM');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the English dashboard under /en, and the language switch keeps the page and its filters', async () => {
    const { context, page, problems } = await openPage(browser);
    await page.goto(`${server.url}/en/statistics?state=26`);
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Statistics');
    // Opened in English by its address, the reader's next page on this device is English too.
    const next = await context.newPage();
    await next.goto(`${server.url}/reportar`);
    await expect.poll(() => next.getByRole('heading', { level: 1 }).textContent()).toBe('Report an incident');
    await next.close();
    await expect.poll(() => page.locator('.statistics-total').textContent()).toBe('Total incidents: 4');
    expect(await cellOf(page, 'Incidents by month', 'Jun 2019').textContent()).toBe('4');
    await page.getByRole('button', { name: 'Español' }).click();
    await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe('/estadisticas?state=26');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Estadísticas');
    await page.getByRole('link', { name: 'Estadísticas', exact: true }).first().waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens a state from the map by keyboard, and lists its municipalities', async () => {
    const { context, page, problems } = await openPage(browser);
    await page.goto(`${server.url}/estadisticas`);
    await page.locator('.choropleth__state').first().waitFor();
    await page.getByRole('button', { name: 'Aplicar filtros' }).focus();
    let focused = '';
    for (let i = 0; i < 60 && focused !== 'Sonora: 4'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label') ?? '');
    }
    expect(focused).toBe('Sonora: 4');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/estadisticas/estados/26');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sonora: estadísticas');
    expect(await cellOf(page, 'Incidentes por municipio', 'Agua Prieta').textContent()).toBe('4');

    await page.goto(`${server.url}/en/statistics/states/07`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Chiapas: statistics');
    expect(await page.locator('.statistics-total').textContent()).toBe('Incidents in the state: <3');
    expect(await page.locator('.figure-table td').first().textContent()).toBe('<3');
    expect(problems).toEqual([]);
    // The API answers 404 for a state that does not exist (the browser logs it); the page says so.
    await page.goto(`${server.url}/estadisticas/estados/99`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('No existe ese estado.');
    await context.close();
  });

  it('lists the open-data downloads with their licence and credit, and each download is what it says', async () => {
    const { context, page, problems } = await openPage(browser);
    await page.goto(`${server.url}/datos`);
    await page.getByRole('heading', { name: 'Datos abiertos' }).waitFor();
    expect(await page.getByRole('link', { name: 'CC BY 4.0' }).getAttribute('href')).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(await page.getByText(/INEGI/).count()).toBeGreaterThan(0);
    const href = async (name: string) => `${server.url}${await page.getByRole('link', { name, exact: true }).getAttribute('href')}`;

    const json = await (await page.request.get(await href('JSON'))).json();
    expect(json.data.length).toBeGreaterThan(0);
    const csv = parseCsv(await (await page.request.get(await href('CSV'))).text()).filter((r) => r.join('') !== '');
    // A header, then one row per incident in the JSON, every row as wide as the header.
    expect(csv.length).toBe(json.data.length + 1);
    expect(csv[0]).toEqual(Object.keys(json.data[0]));
    expect(csv.every((row) => row.length === csv[0]!.length)).toBe(true);
    const hxl = parseCsv(await (await page.request.get(await href('CSV con etiquetas HXL'))).text());
    expect(hxl[1]![0]).toMatch(/^#/);
    expect(hxl[1]!.every((tag) => tag === '' || tag.startsWith('#'))).toBe(true);
    const geojson = await (await page.request.get(await href('GeoJSON'))).json();
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features.length).toBe(json.data.length);
    expect(geojson.features[0].geometry.type).toBe('Point');
    const dictionary = await page.request.get(await href('Diccionario de datos'));
    expect(dictionary.status()).toBe(200);
    expect((await dictionary.json()).licence.name).toBe('CC BY 4.0');

    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/en/data');
    await page.getByRole('heading', { name: 'Open data' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('has no axe-core violations and no sideways scrolling at 360 px, in both languages', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    const scans = await scanPages(page, server.url, [
      ['/estadisticas', '.choropleth__state'],
      ['/en/statistics', '.choropleth__state'],
      ['/estadisticas/estados/26', '.figure-table'],
      ['/en/statistics/states/07', '.figure-table'],
      ['/datos', '.downloads'],
      ['/en/data', '.downloads'],
    ]);
    expect(scans).toEqual(Object.fromEntries(Object.keys(scans).map((k) => [k, { violations: '', sideways: false }])));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the JavaScript a reader downloads for the statistics within the public budget', async () => {
    const { context, page } = await openPage(browser);
    const scripts = recordScriptSizes(page);
    await page.goto(`${server.url}/estadisticas`);
    await page.locator('.choropleth__state').first().waitFor();
    await page.goto(`${server.url}/estadisticas/estados/26`);
    await page.locator('.figure-table').waitFor();
    await page.goto(`${server.url}/datos`);
    await page.locator('.downloads').waitFor();
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    expect(scripts.size).toBeGreaterThan(0);
    expect(total, `${(total / 1024).toFixed(1)} KB gzip`).toBeLessThanOrEqual(PUBLIC_JS_BUDGET);
    await context.close();
  });
});
