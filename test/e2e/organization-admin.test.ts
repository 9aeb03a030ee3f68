import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../auth.js';
import { axeViolations, describeViolations, launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { insertOrganization } from '../organizations.js';
import { newTotpSecret, pageOverflows, pathOf, screenshot, signInWithTwoFactor, unexpected } from './people-helpers.js';

describe('organization administration and audit pages', () => {
  let browser: Browser;
  let server: RunningApp;
  let organization: { id: string };

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    organization = await insertOrganization(server.database, { name: 'Albergue de Prueba' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The organization's only administrator, with two-factor sign-in set up, and the secret of their app. */
  async function administrator(): Promise<{ user: TestUser; secret: string }> {
    const secret = newTotpSecret();
    const user = await createUser(server.database, {
      displayName: 'Administradora de Prueba',
      memberships: [{ organizationId: organization.id, roles: ['administrator'] }],
      totpSecret: secret,
    });
    return { user, secret };
  }

  async function signedInAdministrator(page: Page): Promise<TestUser> {
    const { user, secret } = await administrator();
    await signInWithTwoFactor(page, server.url, user, secret);
    await page.waitForURL('**/cuenta');
    return user;
  }

  async function rolesOf(userId: string): Promise<string[]> {
    const rows = await server.database.db
      .selectFrom('memberships')
      .select('role')
      .where('organization_id', '=', organization.id)
      .where('user_id', '=', userId)
      .orderBy('role')
      .execute();
    return rows.map((r) => r.role);
  }

  it('changes roles, invites, creates an API token shown once, and finds it all in the audit log', { timeout: 90_000 }, async () => {
    const member = await createUser(server.database, {
      displayName: 'Documentador de Prueba',
      memberships: [{ organizationId: organization.id, roles: ['documenter'] }],
    });
    const { context, page, problems } = await openPage(browser);
    const admin = await signedInAdministrator(page);

    // The account page leads administrators to their organization.
    await page.getByRole('link', { name: 'Administrar Albergue de Prueba' }).click();
    await page.waitForURL(`**/organizaciones/${organization.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Administración Albergue de Prueba');

    // A member's role.
    const members = page.getByRole('region', { name: 'Personas y funciones' });
    const memberRoles = members.getByRole('group', { name: 'Funciones de Documentador de Prueba' });
    await memberRoles.getByLabel('revisor(a)').check();
    await members.getByRole('button', { name: 'Guardar funciones de Documentador de Prueba' }).click();
    await members.getByRole('status').filter({ hasText: 'Funciones de Documentador de Prueba guardadas.' }).waitFor();
    expect(await rolesOf(member.id)).toEqual(['documenter', 'reviewer']);
    expect(await memberRoles.getByLabel('revisor(a)').isChecked()).toBe(true);

    // The only administrator cannot leave the organization without one.
    const ownRoles = members.getByRole('group', { name: 'Funciones de Administradora de Prueba' });
    await ownRoles.getByLabel('administrador(a)').uncheck();
    await members.getByRole('button', { name: 'Quitar de la organización de Administradora de Prueba' }).click();
    const refusal = members.getByRole('alert').filter({ hasText: 'la organización se quedaría sin nadie que la administre' });
    await refusal.waitFor();
    expect(await rolesOf(admin.id)).toEqual(['administrator']);

    // An invitation appears in the list, pending.
    const invitations = page.getByRole('region', { name: 'Invitaciones' });
    const invited = `invitada-${Date.now()}@test.vigia.local`;
    await invitations.getByLabel('Correo electrónico').fill(invited);
    await invitations.getByLabel('Función').selectOption('reviewer');
    await invitations.getByRole('button', { name: 'Enviar la invitación' }).click();
    await invitations.getByRole('status').filter({ hasText: `Invitación enviada a ${invited}.` }).waitFor();
    const invitationRow = invitations.getByRole('row').filter({ hasText: invited });
    await invitationRow.waitFor();
    expect(await invitationRow.textContent()).toContain('revisor(a)');
    expect(await invitationRow.textContent()).toContain('Pendiente');

    // An API token: its secret once, with the warning, focused for the reader.
    const tokens = page.getByRole('region', { name: 'Tokens de API' });
    await tokens.getByLabel('Nombre').fill('Sistema de la red');
    await tokens.getByRole('button', { name: 'Crear el token' }).click();
    await tokens.getByRole('alert').filter({ hasText: 'Revise los campos marcados.' }).waitFor();
    expect(await tokens.getByText('Elija al menos un permiso.').count()).toBe(1);
    await tokens.getByLabel('Leer incidentes').check();
    await tokens.getByRole('button', { name: 'Crear el token' }).click();
    const secretHeading = tokens.getByRole('heading', { name: 'Token «Sistema de la red» creado: cópielo ahora' });
    await secretHeading.waitFor();
    expect(await secretHeading.evaluate((element) => element === (element.ownerDocument.activeElement as unknown))).toBe(true);
    const secretField = tokens.getByLabel('Token de API', { exact: true });
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^vgt_[A-Za-z0-9_-]{43}$/);
    expect(await secretField.getAttribute('readonly')).not.toBeNull();
    expect(await tokens.getByText('Ésta es la única vez que se muestra.', { exact: false }).count()).toBe(1);
    const tokenRow = tokens.getByRole('row').filter({ hasText: 'Sistema de la red' });
    await tokenRow.waitFor();
    expect(await tokenRow.textContent()).toContain('Leer incidentes');
    expect(await tokenRow.textContent()).toContain('Nunca');
    expect(await tokenRow.textContent()).toContain('Activo');
    // The secret works, and is the only way to it: not in the page after a reload.
    const call = await fetch(`${server.url}/api/v1/organizations`, { headers: { authorization: `Bearer ${secret}` } });
    expect(call.status).not.toBe(401);
    await screenshot(page, 'vigia-organization-token');
    await page.reload();
    await tokens.getByRole('row').filter({ hasText: 'Sistema de la red' }).waitFor();
    expect(await page.getByLabel('Token de API', { exact: true }).count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, 'vigia-organization');

    // The audit log, from the account page.
    await page.goto(`${server.url}/cuenta`);
    await page.getByRole('link', { name: 'Registro de auditoría' }).click();
    await page.waitForURL('**/auditoria');
    const table = page.getByRole('table', { name: 'Entradas del registro de auditoría' });
    const roleChanged = table.getByRole('row').filter({ hasText: 'membership.role_changed' });
    await roleChanged.first().waitFor();
    expect(await roleChanged.count()).toBe(1);
    expect(await roleChanged.textContent()).toContain('Documentador de Prueba');
    expect(await roleChanged.textContent()).toContain('Usted (Administradora de Prueba)');
    expect(await roleChanged.textContent()).toContain('Albergue de Prueba');
    await screenshot(page, 'vigia-audit');

    // Filtering by action keeps the filter in the address, so that it survives a reload.
    await page.getByLabel('Acción').fill('invitation.');
    await page.getByRole('button', { name: 'Aplicar los filtros' }).click();
    await page.waitForURL('**/auditoria?accion=invitation.');
    const actions = table.locator('tbody th[scope="row"]');
    await expect.poll(() => actions.allTextContents()).toEqual(['invitation.created']);
    await page.reload();
    await expect.poll(() => actions.allTextContents()).toEqual(['invitation.created']);
    expect(await page.getByLabel('Acción').inputValue()).toBe('invitation.');
    expect(pathOf(page)).toBe('/auditoria');

    expect(
      unexpected(problems, [{ path: `/api/v1/organizations/${organization.id}/members/${admin.id}/roles`, status: 409 }]),
    ).toEqual([]);
    await context.close();
  });

  it('has no axe-core violations on the organization and audit pages, in both languages, even at 360 px', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await signedInAdministrator(page);
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
      const t =
        language === 'es'
          ? { tokens: 'Tokens de API', audit: 'Entradas del registro de auditoría' }
          : { tokens: 'API tokens', audit: 'Audit log entries' };
      await page.goto(`${server.url}/organizaciones/${organization.id}`);
      await scan(`${language} /organizaciones`, () =>
        page.getByRole('region', { name: t.tokens }).getByRole('button').first().waitFor(),
      );
      await screenshot(page, `vigia-organization-360-${language}`);
      await page.goto(`${server.url}/auditoria`);
      await scan(`${language} /auditoria`, () => page.getByRole('table', { name: t.audit }).waitFor());
      await screenshot(page, `vigia-audit-360-${language}`);
    }
    expect(scans).toEqual({
      'es /organizaciones': '', 'es /auditoria': '',
      'en /organizaciones': '', 'en /auditoria': '',
    });
    expect(Object.entries(overflow).filter(([, wide]) => wide)).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
