import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInvitationToken } from '../../src/auth/invitations.js';
import { createUser, TEST_PASSWORD, type TestUser } from '../auth.js';
import {
  axeViolations,
  describeViolations,
  launchBrowser,
  openPage,
  startWebApp,
  type RunningApp,
} from '../browser.js';
import { insertOrganization } from '../organizations.js';
import {
  currentCode,
  newTotpSecret,
  pageOverflows,
  pathOf,
  screenshot,
  signInThroughForm,
  unexpected,
} from './people-helpers.js';

describe('people and access pages', () => {
  let browser: Browser;
  let server: RunningApp;
  let organization: { id: string };

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    organization = await insertOrganization(server.database, { name: 'Casa del Migrante de Prueba' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  function reviewer(options: { totpSecret?: string } = {}): Promise<TestUser> {
    return createUser(server.database, {
      displayName: 'Revisora de Prueba',
      memberships: [{ organizationId: organization.id, roles: ['reviewer'] }],
      ...options,
    });
  }

  it('signs a reviewer in with the app code, lists the sessions and signs out', async () => {
    const secret = newTotpSecret();
    const user = await reviewer({ totpSecret: secret });
    const { context, page, problems } = await openPage(browser);

    await signInThroughForm(page, server.url, user);
    await page.waitForURL('**/entrar/verificacion**');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Verificación en dos pasos');
    await page.getByLabel('Código de 6 dígitos').fill(currentCode(secret));
    await page.getByRole('button', { name: 'Verificar' }).click();

    await page.waitForURL('**/cuenta');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mi cuenta');
    expect(await page.getByText(user.email).count()).toBe(1);
    const sessions = page.locator('.session-list > li');
    await expect.poll(() => sessions.count()).toBe(1);
    expect(await sessions.first().textContent()).toContain('Esta sesión');
    expect(await sessions.first().textContent()).toContain('Chrome en Linux');
    const header = page.getByRole('banner');
    expect(await header.getByRole('link', { name: /Revisora de Prueba/ }).count()).toBe(1);
    await screenshot(page, 'vigia-account');

    await header.getByRole('button', { name: 'Salir' }).click();
    await page.waitForURL(`${server.url}/`);
    await header.getByRole('link', { name: 'Entrar' }).waitFor();
    // The session really ended on the server: the account page now sends the person to sign in.
    await page.goto(`${server.url}/cuenta`);
    await page.waitForURL('**/entrar?siguiente=%2Fcuenta');
    expect(unexpected(problems, [{ path: '/api/v1/auth/session', status: 401 }])).toEqual([]);
    await context.close();
  });

  it('sends a reviewer without two-factor sign-in to set it up, and shows the recovery codes once', async () => {
    const user = await reviewer();
    const { context, page, problems } = await openPage(browser);

    await signInThroughForm(page, server.url, user);
    await page.waitForURL('**/entrar/activar-2fa**');
    const qr = page.getByRole('img', { name: 'Código QR para agregar Vigía a su aplicación de autenticación' });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    // "Scanning": the person types the key shown on the page into their app.
    const secret = await page.locator('#enrol-secret').getAttribute('data-secret');
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    expect((await page.locator('#enrol-secret').textContent())?.replace(/\s/g, '')).toBe(secret);
    await screenshot(page, 'vigia-enrol');

    await page.getByLabel('Código de 6 dígitos').fill(currentCode(secret!));
    await page.getByRole('button', { name: 'Confirmar y activar' }).click();

    await page.getByRole('heading', { name: 'Guarde sus códigos de recuperación' }).waitFor();
    expect(await page.getByRole('list', { name: 'Códigos de recuperación' }).getByRole('listitem').count()).toBe(10);
    const next = page.getByRole('button', { name: 'Continuar' });
    expect(await next.isDisabled()).toBe(true);
    await page.getByLabel('Ya guardé mis códigos de recuperación').check();
    await next.click();
    await page.waitForURL('**/cuenta');
    await expect.poll(() => page.getByText('Activada').count()).toBe(1);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it('says so when the password is wrong, and keeps the person on the form', async () => {
    const user = await createUser(server.database);
    const { context, page, problems } = await openPage(browser);
    await signInThroughForm(page, server.url, user, 'not the right password');
    const alert = page.getByRole('alert').filter({ hasText: 'no son correctos' });
    await alert.waitFor();
    expect(await alert.textContent()).toBe('El correo electrónico o la contraseña no son correctos.');
    expect(pathOf(page)).toBe('/entrar');
    expect(await page.getByLabel('Contraseña').inputValue()).toBe('');

    // Empty fields are caught before any request, named beside the field and announced.
    await page.getByLabel('Correo electrónico').fill('');
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    expect(await page.getByRole('alert').filter({ hasText: 'Revise los campos marcados.' }).count()).toBe(1);
    const email = page.getByLabel('Correo electrónico');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await email.getAttribute('aria-describedby')}`).textContent()).toBe('Este campo es obligatorio.');
    expect(await email.evaluate((element) => element === (element.ownerDocument.activeElement as unknown))).toBe(true);
    await screenshot(page, 'vigia-sign-in-error');
    expect(unexpected(problems, [{ path: '/api/v1/auth/sign-in', status: 401 }])).toEqual([]);
    await context.close();
  });

  async function invitation(email: string, role: 'documenter' | 'reviewer' = 'documenter'): Promise<string> {
    const admin = await createUser(server.database, {
      memberships: [{ organizationId: organization.id, roles: ['administrator'] }],
      totpSecret: newTotpSecret(),
    });
    const { token, tokenHash } = newInvitationToken();
    await server.database.db
      .insertInto('invitations')
      .values({
        organization_id: organization.id,
        email,
        role,
        token_hash: tokenHash,
        invited_by: admin.id,
        expires_at: new Date(Date.now() + 7 * 24 * 3600 * 1000),
        accepted_at: null,
        revoked_at: null,
      })
      .execute();
    return token;
  }

  it('accepts an invitation with a new account and lands signed in', async () => {
    const email = `invitada-${Date.now()}@test.vigia.local`;
    const token = await invitation(email);
    const { context, page, problems } = await openPage(browser);
    await page.goto(`${server.url}/invitacion/${token}`);
    await page.getByText('Casa del Migrante de Prueba le invita a sumarse a Vigía con la función de documentador(a).').waitFor();
    expect(await page.getByText(email).count()).toBe(1);
    await screenshot(page, 'vigia-invitation');

    await page.getByLabel('Su nombre').fill('Persona Invitada');
    await page.getByLabel('Contraseña nueva').fill('corta');
    await page.getByRole('button', { name: 'Aceptar la invitación' }).click();
    expect(await page.getByText('La contraseña debe tener al menos 12 caracteres.').count()).toBe(1);

    await page.getByLabel('Contraseña nueva').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Aceptar la invitación' }).click();
    await page.waitForURL('**/cuenta');
    await page.getByText('Casa del Migrante de Prueba: documentador(a)').waitFor();
    expect(await page.getByRole('banner').getByRole('link', { name: /Persona Invitada/ }).count()).toBe(1);

    // The link is spent: opening it again says so instead of offering the form.
    await page.goto(`${server.url}/invitacion/${token}`);
    await page.getByText('Este enlace de invitación no funciona', { exact: false }).waitFor();
    expect(unexpected(problems, [{ path: `/api/v1/invitations/${token}`, status: 404 }])).toEqual([]);
    await context.close();
  });

  it('answers a password-reset request with the same confirmation for any address', async () => {
    const { context, page, problems } = await openPage(browser);
    await page.goto(`${server.url}/restablecer`);
    await page.getByLabel('Correo electrónico').fill('nadie@test.vigia.local');
    await page.getByRole('button', { name: 'Enviar el enlace' }).click();
    const status = page.getByRole('status').filter({ hasText: 'nadie@test.vigia.local' });
    await status.waitFor();
    expect(await status.textContent()).toContain('Si nadie@test.vigia.local corresponde a una cuenta de Vigía');

    await page.goto(`${server.url}/restablecer/token-que-no-existe`);
    await page.getByLabel('Contraseña nueva', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Guardar la contraseña' }).click();
    await page.getByRole('alert').filter({ hasText: 'Este enlace no funciona' }).waitFor();
    expect(unexpected(problems, [{ path: '/api/v1/auth/password-reset/token-que-no-existe', status: 404 }])).toEqual([]);
    await context.close();
  });

  it('has no axe-core violations on sign-in, account and invitation pages, in both languages, even at 360 px', { timeout: 90_000 }, async () => {
    const user = await createUser(server.database, {
      displayName: 'Documentadora',
      memberships: [{ organizationId: organization.id, roles: ['documenter'] }],
    });
    const token = await invitation(`axe-${Date.now()}@test.vigia.local`, 'reviewer');
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    const scans: Record<string, string> = {};
    const overflow: Record<string, boolean> = {};

    async function scan(name: string, ready: () => Promise<unknown>): Promise<void> {
      await ready();
      scans[name] = describeViolations(await axeViolations(page));
      overflow[name] = await pageOverflows(page);
    }

    for (const language of ['es', 'en'] as const) {
      if (language === 'en') {
        await page.getByRole('button', { name: 'English' }).click();
        await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
      }
      const t = language === 'es'
        ? { heading: 'Entrar a Vigía', submit: 'Entrar', signOut: 'Salir' }
        : { heading: 'Sign in to Vigía', submit: 'Sign in', signOut: 'Sign out' };
      await page.goto(`${server.url}/entrar`);
      await scan(`${language} /entrar`, () => page.getByRole('heading', { name: t.heading }).waitFor());
      if (language === 'es') await screenshot(page, 'vigia-sign-in-360');

      await page.goto(`${server.url}/invitacion/${token}`);
      await scan(`${language} /invitacion`, () => page.locator('dl.facts').waitFor());
      await screenshot(page, `vigia-invitation-360-${language}`);

      await page.getByRole('link', { name: t.submit }).click();
      await page.getByLabel(language === 'es' ? 'Correo electrónico' : 'E-mail address').fill(user.email);
      await page.getByLabel(language === 'es' ? 'Contraseña' : 'Password').fill(user.password);
      await page.getByRole('button', { name: t.submit, exact: true }).click();
      await page.waitForURL('**/cuenta');
      await scan(`${language} /cuenta`, () => page.locator('.session-list').waitFor());
      await screenshot(page, `vigia-account-360-${language}`);
      await page.getByRole('button', { name: t.signOut }).click();
      await page.waitForURL(`${server.url}/`);
    }
    expect(scans).toEqual({
      'es /entrar': '', 'es /invitacion': '', 'es /cuenta': '',
      'en /entrar': '', 'en /invitacion': '', 'en /cuenta': '',
    });
    expect(Object.entries(overflow).filter(([, wide]) => wide)).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
