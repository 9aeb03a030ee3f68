import path from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Page } from 'playwright-core';
import type { TestUser } from '../auth.js';
import type { PageProblem } from '../browser.js';

/* What the browser tests of the people-and-access pages share. */

// Set to a folder to keep screenshots of each page for a human to look at.
const SCREENSHOT_DIR = process.env.VIGIA_E2E_SCREENSHOTS;

export async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** The code an authenticator app would show now, computed independently of the server's own TOTP code. */
export function currentCode(secret: string): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
}

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

/**
 * Chromium logs every HTTP error answer to a fetch in the console. Those a test provokes on purpose
 * (a wrong password's 401) are expected; every other problem is not.
 */
export function unexpected(
  problems: readonly PageProblem[],
  expected: ReadonlyArray<{ path: string; status: number }> = [],
): PageProblem[] {
  return problems.filter(
    (p) =>
      !(
        p.kind === 'console' &&
        expected.some((e) => p.url !== undefined && new URL(p.url).pathname === e.path && p.text.includes(`status of ${e.status}`))
      ),
  );
}

export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

export async function signInThroughForm(page: Page, baseUrl: string, user: TestUser, password = user.password): Promise<void> {
  await page.goto(`${baseUrl}/entrar`);
  await page.getByLabel('Correo electrónico').fill(user.email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
}

/** Signs in through the form and passes the two-factor challenge with the app's current code. */
export async function signInWithTwoFactor(page: Page, baseUrl: string, user: TestUser, totpSecret: string): Promise<void> {
  await signInThroughForm(page, baseUrl, user);
  await page.waitForURL('**/entrar/verificacion**');
  await page.getByLabel('Código de 6 dígitos').fill(currentCode(totpSecret));
  await page.getByRole('button', { name: 'Verificar' }).click();
}

/** Whether the page is wider than the window (a reader on a phone would have to scroll sideways). */
export function pageOverflows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
      .documentElement;
    return root.scrollWidth > root.clientWidth;
  });
}

/** Waits until the service worker controls the page: from then on, its files are kept for offline use. */
export async function waitForServiceWorker(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => (globalThis as unknown as { navigator: { serviceWorker: { controller: unknown } } }).navigator.serviceWorker.controller !== null,
    undefined,
    { timeout },
  );
}
