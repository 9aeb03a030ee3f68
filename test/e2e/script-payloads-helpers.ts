import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { openPage, type TestPage } from '../browser.js';
import { unexpected } from './people-helpers.js';

/*
 * What the browser tests of script payloads share (issue 7 item 4: script-payloads.test.ts for the
 * reporting and documentation pages, script-payloads-alerts.test.ts for alerts, early warning and the
 * rest). Each payload would, if it ever became markup, set `window.__pwned`, open a dialog, or trip the
 * Content-Security-Policy (which reports an inline handler or script it blocks); each carries a marker,
 * so a test also proves the field really reached the page — as text.
 */

/** A payload for one field: markup, an event handler, a script, an SVG onload, a javascript: URL. */
export function payload(marker: string): string {
  // At most 120 characters with the markers used: the shortest text limit (a person's name) must take it whole.
  return `<img src=x onerror=__pwned=1;alert(1)><script>__pwned=2</script><svg onload=alert(3)><a href=javascript:alert()>${marker}`;
}

/**
 * A payload for text the server itself writes into a page or a feed: besides the markup, the patterns
 * `String.prototype.replace` expands in a replacement string (`$&` the match, `` $` `` and `$'` the text
 * before and after it), which would paste the page's own markup into an attribute.
 */
export function serverPayload(marker: string): string {
  return `${payload(marker)} $\` $' $& $$`;
}

/** The part of every payload that shows, as text, that it arrived whole and was not made into an element. */
export const PAYLOAD_TEXT = '<img src=x onerror=__pwned=1;alert(1)>';

/** The page's visible text (evaluated as a string: this project compiles without DOM types). */
export function bodyText(page: Page): Promise<string> {
  return page.evaluate('document.body.innerText') as Promise<string>;
}

/** A page under test, with the dialogs it tried to open. */
export interface PayloadPage extends TestPage {
  dialogs: string[];
}

export interface VisitOptions {
  /** A session token: the page is opened signed in as its person; without one, signed out. */
  session?: string;
  /** Something to do once the page is loaded, before the markers are looked for (open a section, send a form). */
  prepare?: (page: Page) => Promise<void>;
  /**
   * Whether the payload's own text must show too (the default). False for a page that shows only what it
   * derives from the field (a device name from a User-Agent) besides the markers it is given.
   */
  literal?: boolean;
}

/** Opens pages of the app at `origin` and proves what a payload did there: nothing. */
export function payloadPages(browser: Browser, origin: string) {
  async function open(session?: string): Promise<PayloadPage> {
    const opened = await openPage(browser, { viewport: { width: 360, height: 800 } });
    if (session) await opened.context.addCookies([{ name: 'vigia_session', value: session, url: origin }]);
    const dialogs: string[] = [];
    opened.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return { ...opened, dialogs };
  }

  /** Waits until every marker shows as text, then proves nothing ran. */
  async function expectInert(opened: PayloadPage, markers: readonly string[], label: string, literal = true): Promise<void> {
    const { page, problems } = opened;
    for (const marker of markers) {
      // Polled from outside: the page's CSP forbids the eval a waitForFunction string would need.
      await expect.poll(() => bodyText(page), { timeout: 15_000, message: `${label}: "${marker}" never showed on the page` }).toContain(marker);
    }
    // The literal payload is on the page as text, not as elements.
    if (literal) expect(await bodyText(page), label).toContain(PAYLOAD_TEXT);
    await page.waitForTimeout(200);
    expect(await page.evaluate('globalThis.__pwned'), label).toBeUndefined();
    expect(await page.evaluate(`document.querySelectorAll('img[src="x"], svg[onload], a[href^="javascript:"], script:not([src])').length`), label).toBe(0);
    expect(opened.dialogs, label).toEqual([]);
    expect(unexpected(problems), `${label}: ${JSON.stringify(problems)}`).toEqual([]);
  }

  /** Waits until some form field holds the marker (a payload sits in an editor as a value), then proves nothing ran. */
  async function expectInFields(opened: PayloadPage, marker: string, label: string): Promise<void> {
    const holds = `[...document.querySelectorAll('input, textarea')].some((e) => e.value.includes(${JSON.stringify(marker)}))`;
    await expect.poll(() => opened.page.evaluate(holds), { timeout: 15_000, message: `${label}: no field holds "${marker}"` }).toBe(true);
    await opened.page.waitForTimeout(200);
    expect(await opened.page.evaluate('globalThis.__pwned'), label).toBeUndefined();
    expect(opened.dialogs, label).toEqual([]);
    expect(unexpected(opened.problems), `${label}: ${JSON.stringify(opened.problems)}`).toEqual([]);
  }

  /** Opens `path`, does `prepare`, and expects every marker as text and nothing run. */
  async function visit(path: string, markers: readonly string[], options: VisitOptions = {}): Promise<void> {
    const opened = await open(options.session);
    try {
      await opened.page.goto(`${origin}${path}`);
      await options.prepare?.(opened.page);
      await expectInert(opened, markers, path, options.literal);
    } finally {
      await opened.context.close();
    }
  }

  return { open, expectInert, expectInFields, visit };
}

/**
 * Calls the API as a signed-in person (session cookie, CSRF token, a fresh idempotency key) and expects
 * success: how the tests plant their payloads through the same routes a person or an attacker uses.
 */
export async function callApi(
  app: FastifyInstance,
  session: { token: string; csrf: string },
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  body?: object,
  remoteAddress = '127.0.0.1',
): Promise<Record<string, unknown>> {
  const response = await app.inject({
    method,
    url,
    remoteAddress,
    headers: { cookie: `vigia_session=${session.token}`, 'x-csrf-token': session.csrf, 'idempotency-key': randomUUID() },
    ...(body ? { payload: body } : {}),
  });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return (response.body ? response.json() : {}) as Record<string, unknown>;
}
