import path from 'node:path';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  describeViolations,
  launchBrowser,
  openPage,
  startWebApp,
  type PageProblem,
  type RunningApp,
} from '../browser.js';
import { createTestDatabase } from '../db.js';

// Set to a folder to keep screenshots of each page for a human to look at.
const SCREENSHOT_DIR = process.env.VIGIA_E2E_SCREENSHOTS;

const SPANISH_HEADING = 'Documentar las agresiones contra quienes defienden a personas migrantes';
const ENGLISH_HEADING = 'Documenting attacks on those who defend migrants';

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The element that has keyboard focus, described well enough to assert on. */
function focused(page: Page): Promise<{ tag: string; id: string; text: string }> {
  return page.evaluate(() => {
    const element = (globalThis as unknown as { document: { activeElement: { tagName: string; id: string; textContent: string | null } | null } })
      .document.activeElement;
    return { tag: element?.tagName ?? '', id: element?.id ?? '', text: element?.textContent?.trim() ?? '' };
  });
}

async function switchToEnglish(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'English' }).click();
  await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
}

/**
 * Chromium reports every HTTP error answer in the console, including the document's own 404 on the
 * not-found page; that one is the point of the test, anything else is a problem.
 */
function withoutDocumentStatus(problems: readonly PageProblem[], documentUrl: string): PageProblem[] {
  return problems.filter(
    (p) => !(p.kind === 'console' && p.url === documentUrl && /status of 404/.test(p.text)),
  );
}

describe('web shell: home and not-found pages', () => {
  let browser: Browser;
  let server: RunningApp;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the home page in Spanish by default, with the server ready and a working skip link', async () => {
    const { context, page, problems } = await openPage(browser);
    const response = await page.goto(`${server.url}/`);
    expect(response?.status()).toBe(200);

    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(SPANISH_HEADING);
    expect(await page.title()).toBe('Documentación y alerta temprana · Vigía');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Sistema listo');
    expect(await page.getByRole('status').first().textContent()).toContain('PGlite (integrada)');
    expect(await page.getByRole('button', { name: 'Español' }).getAttribute('aria-pressed')).toBe('true');

    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'A', text: 'Saltar al contenido' });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ tag: 'MAIN', id: 'main' });
    expect(new URL(page.url()).hash).toBe('#main');

    await screenshot(page, 'vigia-home');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches to English and keeps it after a reload', async () => {
    const { context, page, problems } = await openPage(browser);
    await page.goto(`${server.url}/`);
    await switchToEnglish(page);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(ENGLISH_HEADING);
    expect(await page.title()).toBe('Documentation and early warning · Vigía');
    expect(await page.getAttribute('meta[name="description"]', 'content')).toMatch(/^Vigía documents attacks/);
    expect(await page.getByRole('link', { name: 'Skip to content' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('System ready');

    await page.reload();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(ENGLISH_HEADING);
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('PGlite (embedded)');

    await page.getByRole('button', { name: 'Español' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('es');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(SPANISH_HEADING);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('answers an unknown path with HTTP 404 and a not-found page in the language chosen', async () => {
    const { context, page, problems } = await openPage(browser);
    // Not an alert address (those are pages now, /alertas/:slug): a path no page has.
    const missing = `${server.url}/avisos/no-existe`;

    const response = await page.goto(missing);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Página no encontrada');
    expect(await page.title()).toBe('Página no encontrada · Vigía');

    await switchToEnglish(page);
    const again = await page.goto(missing);
    expect(again?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await screenshot(page, 'vigia-404-en');

    // The way home is a client-side navigation, which must land the reader's focus on the new content.
    await page.getByRole('link', { name: 'Back to the home page' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(ENGLISH_HEADING);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await focused(page)).toMatchObject({ tag: 'MAIN', id: 'main' });

    expect(withoutDocumentStatus(problems, missing)).toEqual([]);
    await context.close();
  });

  // Four pages, each scanned by axe: slower than the others, and slower still on a busy CI machine.
  it('has no axe-core violations on the home and not-found pages, in both languages', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    const scans: Record<string, string> = {};
    for (const language of ['es', 'en']) {
      if (language === 'en') {
        await page.goto(`${server.url}/`);
        await switchToEnglish(page);
      }
      for (const pathname of ['/', '/no-existe']) {
        await page.goto(`${server.url}${pathname}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        if (pathname === '/') await page.getByText(language === 'es' ? 'Sistema listo' : 'System ready').waitFor();
        expect(await page.getAttribute('html', 'lang')).toBe(language);
        scans[`${language} ${pathname}`] = describeViolations(await axeViolations(page));
      }
    }
    expect(scans).toEqual({ 'es /': '', 'es /no-existe': '', 'en /': '', 'en /no-existe': '' });
    expect(withoutDocumentStatus(problems, `${server.url}/no-existe`)).toEqual([]);
    await context.close();
  });

  it('fits a 360 px wide phone screen without sideways scrolling', async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    for (const pathname of ['/', '/no-existe']) {
      await page.goto(`${server.url}${pathname}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const widths = await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } })
          .document.documentElement;
        return { scroll: root.scrollWidth, client: root.clientWidth };
      });
      expect(widths.scroll, pathname).toBeLessThanOrEqual(widths.client);
    }
    await page.goto(`${server.url}/`);
    await page.getByText('Sistema listo').waitFor();
    await screenshot(page, 'vigia-home-360');
    expect(withoutDocumentStatus(problems, `${server.url}/no-existe`)).toEqual([]);
    await context.close();
  });

  it('does not move under a finger on a phone while it loads: the header is final from the first paint', async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    // Every layout shift the browser measures, with what moved (the Layout Instability API).
    await context.addInitScript(() => {
      type Shift = { value: number; sources?: { node?: { nodeName: string; className?: unknown } }[] };
      const page = globalThis as unknown as {
        __shifts: { value: number; moved: string[] }[];
        PerformanceObserver: new (callback: (list: { getEntries(): Shift[] }) => void) => { observe(options: object): void };
      };
      page.__shifts = [];
      new page.PerformanceObserver((list) => {
        for (const shift of list.getEntries()) {
          page.__shifts.push({ value: shift.value, moved: (shift.sources ?? []).map((s) => `${s.node?.nodeName}.${String(s.node?.className ?? '')}`) });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    // A slow phone: the session answer used to arrive after the first paint and push the page down.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
    await page.goto(`${server.url}/`);
    await page.getByText('Sistema listo').waitFor();
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (globalThis as unknown as { __shifts: unknown[] }).__shifts)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so, and why, when the server cannot be reached, and checks again on request', async () => {
    const { context, page } = await openPage(browser);
    await page.route('**/readyz', (route) => route.abort('connectionrefused'));
    await page.goto(`${server.url}/`);
    const status = page.getByRole('status').first();
    await expect.poll(() => status.textContent()).toContain('Sistema no disponible');
    expect(await status.textContent()).toContain('No se pudo contactar con el servidor');

    // A reverse proxy in front of a stopped server answers for it; that is still an unreachable server.
    // The answer is held until the page shows it is checking, so the assertion after it cannot be
    // satisfied by the previous, identical message.
    let answerGateway = () => {};
    const gatewayMayAnswer = new Promise<void>((resolve) => (answerGateway = resolve));
    await page.unroute('**/readyz');
    await page.route('**/readyz', async (route) => {
      await gatewayMayAnswer;
      await route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' });
    });
    await page.getByRole('button', { name: 'Volver a comprobar' }).click();
    await expect.poll(() => status.textContent()).toContain('Comprobando el estado del servidor');
    answerGateway();
    await expect.poll(() => status.textContent()).toContain('No se pudo contactar con el servidor');

    await page.unroute('**/readyz');
    await page.getByRole('button', { name: 'Volver a comprobar' }).click();
    await expect.poll(() => status.textContent()).toContain('Sistema listo');
    await context.close();
  });
});

describe('web shell: a server whose database is not migrated', () => {
  let browser: Browser;
  let server: RunningApp;

  beforeAll(async () => {
    const database = await createTestDatabase('pglite');
    await sql`drop table schema_migrations`.execute(database.db);
    [browser, server] = await Promise.all([launchBrowser(), startWebApp({ database })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('reports the system unavailable with the reason the server gave', async () => {
    const { context, page } = await openPage(browser);
    await page.goto(`${server.url}/`);
    const status = page.getByRole('status').first();
    await expect.poll(() => status.textContent()).toContain('Sistema no disponible');
    expect(await status.textContent()).toContain('a la base de datos le faltan migraciones por aplicar');

    await switchToEnglish(page);
    expect(await status.textContent()).toContain('its database still has migrations to apply');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
