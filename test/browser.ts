import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import axe from 'axe-core';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildApp } from '../src/server/app.js';
import { WEB_DIST_DIR } from '../src/server/paths.js';
import type { Config } from '../src/server/config.js';
import { testConfig } from './config.js';
import { createTestDatabase, type TestDatabase } from './db.js';

/**
 * Helpers for tests that drive the real app in a real browser: the built web app served by the real
 * server on a real port, the system's Chromium, and checks for what a reader would never see in the
 * page itself (console errors, Content-Security-Policy violations, accessibility failures).
 */

/** The Chromium the machine provides; nothing is downloaded. */
export const CHROMIUM_PATH = process.env.VIGIA_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}. Install it (apt-get install chromium) or set VIGIA_CHROMIUM.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      // Tests run as root in containers, where Chromium's sandbox cannot start.
      '--no-sandbox',
      // No traffic a test did not ask for: no update checks, no sync, no first-run pages.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-gpu',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface RunningApp {
  /** Origin of the app, without a trailing slash: `http://127.0.0.1:PORT`. */
  url: string;
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * Starts the real server on an ephemeral port with its own prepared test database, serving the web
 * app as `vite build` left it in dist/web. Building is the test command's job, not this helper's:
 * a test that quietly built would hide a broken build step.
 */
export async function startWebApp(
  options: {
    database?: TestDatabase;
    /**
     * Adds routes to the app before it listens: a stand-in for endpoints another branch is still
     * building (register them with `config: { access: access.public }` like any /api/v1 route).
     */
    extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
    /** The configuration, when a test needs its own (an SMTP server, a public address); else testConfig(). */
    config?: Config;
  } = {},
): Promise<RunningApp> {
  if (!fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'))) {
    throw new Error(
      `The web app is not built (${path.join(WEB_DIST_DIR, 'index.html')} is missing). Run \`npm run build:web\` first.`,
    );
  }
  const database = options.database ?? (await createTestDatabase('pglite'));
  const app = await buildApp({ config: options.config ?? testConfig(), database });
  try {
    await options.extraRoutes?.(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    await database.dispose();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('The server is not listening on a TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    database,
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}

/** Something that went wrong in the page without showing in it. */
export interface PageProblem {
  kind: 'console' | 'pageerror' | 'csp';
  text: string;
  /** The resource the message is about, when the browser says. */
  url?: string;
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Every console error, uncaught exception and CSP violation since the page opened. */
  problems: PageProblem[];
}

/**
 * Opens a page in a fresh context (no shared storage, cookies or language choice) and records its
 * problems. CSP violations are caught twice on purpose: from the DOM's own event (exact, but only
 * for the document) and from the console, where Chromium also reports workers and blocked loads.
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const problems: PageProblem[] = [];
  await context.exposeBinding('__vigiaReportCspViolation', (_source, text: string, url: string) => {
    problems.push({ kind: 'csp', text, url });
  });
  // Runs through the DevTools protocol, so the CSP that forbids inline scripts does not apply to it.
  await context.addInitScript(() => {
    // This runs in the page; the casts stand in for the DOM types this Node-side project does not load.
    const page = globalThis as unknown as {
      __vigiaReportCspViolation(text: string, url: string): void;
      addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void;
    };
    page.addEventListener('securitypolicyviolation', (event) => {
      page.__vigiaReportCspViolation(
        `CSP blocked ${event.blockedURI || 'inline content'} (${event.violatedDirective})`,
        event.blockedURI,
      );
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'assert') {
      problems.push({ kind: 'console', text: message.text(), url: message.location().url || undefined });
    }
  });
  page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: error.stack ?? error.message }));
  return { context, page, problems };
}

/** A WCAG failure as axe-core reports it, trimmed to what a failing test needs to show. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}

/**
 * Runs axe-core on the page as it is now and returns the violations. The page's CSP forbids injecting
 * axe as a script tag; evaluating its source through the DevTools protocol is not subject to CSP, so
 * the scan sees the page exactly as a reader gets it, policy included.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof globalThis.axe === "object"');
  if (!loaded) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const runner = (globalThis as unknown as { axe: typeof axe }).axe;
    const results = await runner.run({ resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      helpUrl: violation.helpUrl,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
}

/** A readable failure message: one line per violation with the elements it found. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')} — ${v.helpUrl}`).join('\n');
}

/** What a reader downloads for the public pages, in bytes once gzipped (the public JS budget). */
export const PUBLIC_JS_BUDGET = 150 * 1024;

/**
 * Records every script the page loads from now on, measured gzipped as the build left it (the browser
 * may answer from its cache, so the size is read from dist/web, not from the response).
 */
export function recordScriptSizes(page: Page): Map<string, number> {
  const scripts = new Map<string, number>();
  page.on('request', (request) => {
    const pathname = new URL(request.url()).pathname;
    if (request.resourceType() === 'script' && pathname.endsWith('.js')) {
      scripts.set(pathname, gzipSync(fs.readFileSync(path.join(WEB_DIST_DIR, pathname))).length);
    }
  });
  return scripts;
}

/** The page's scrolled and visible widths: a scroll width above the client width means sideways scrolling. */
/**
 * Opens each page (waiting for its `ready` selector) and reports, per path, its axe-core violations
 * (empty when clean) and whether it scrolls sideways: for the public pages' accessibility tests.
 */
export async function scanPages(
  page: Page,
  origin: string,
  pages: readonly (readonly [pathname: string, ready: string])[],
): Promise<Record<string, { violations: string; sideways: boolean }>> {
  const scans: Record<string, { violations: string; sideways: boolean }> = {};
  for (const [pathname, ready] of pages) {
    await page.goto(`${origin}${pathname}`);
    await page.locator(ready).first().waitFor();
    const widths = await pageWidths(page);
    scans[pathname] = { violations: describeViolations(await axeViolations(page)), sideways: widths.scroll > widths.client };
  }
  return scans;
}

export function pageWidths(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
}
