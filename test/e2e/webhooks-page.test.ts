import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebhookEndpoint } from '../../src/commands/webhook-endpoints.js';
import { insertAlert } from '../alerts.js';
import { createUser, type TestUser } from '../auth.js';
import { launchBrowser, openPage, scanPages, startWebApp, type RunningApp } from '../browser.js';
import { testConfig, testKeyring } from '../config.js';
import { insertOrganization, userActor } from '../organizations.js';
import { newTotpSecret, signInWithTwoFactor, unexpected } from './people-helpers.js';

/**
 * A network's webhooks page, as its administrator uses it: reached from the organization page, a
 * refused address explained in place, a new destination's secret shown once, a destination switched
 * off, the delivery log read; axe-clean and no sideways scrolling at 360 px, in Spanish and English.
 */
describe('webhooks page', () => {
  let browser: Browser;
  let server: RunningApp;
  let networkId: string;
  let admin: TestUser;
  let adminSecret: string;
  let endpointId: string;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    const database = server.database;
    networkId = (await insertOrganization(database, { kind: 'network', name: 'Red de Albergues del Norte' })).id;
    adminSecret = newTotpSecret();
    admin = await createUser(database, { displayName: 'Administradora de la red', memberships: [{ organizationId: networkId, roles: ['administrator'] }], totpSecret: adminSecret });
    // One destination that has already received an alert, and been refused once.
    const registered = await registerWebhookEndpoint({
      database,
      keyring: testKeyring(),
      actor: userActor(admin.id, { [networkId]: ['administrator'] }),
      networkId,
      url: 'https://observatorio-frontera.example.org/entradas/vigia-alertas-publicadas',
      description: 'Observatorio de la frontera',
      targets: testConfig().alerts.webhookTargets,
      resolveHost: async () => [{ address: '93.184.216.34', family: 4 }],
    });
    endpointId = registered.id;
    const alert = await insertAlert(database, { networkId, slug: 'hostigamiento-2019' });
    await database.db
      .insertInto('webhook_deliveries')
      .values([
        { endpoint_id: endpointId, job_id: 1, attempt: 1, alert_id: alert.id, event: 'alert.published', status_code: null, duration_ms: 3, error: 'refused: must reach a public internet address: observatorio-frontera.example.org resolves to 10.0.0.8, a private network address', succeeded: false },
        { endpoint_id: endpointId, job_id: 1, attempt: 2, alert_id: alert.id, event: 'alert.published', status_code: 204, duration_ms: 182, error: null, succeeded: true },
      ])
      .execute();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('adds a destination (refusing inside addresses), shows its secret once, switches one off, shows the delivery log; axe-clean at 360 px in es and en', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await signInWithTwoFactor(page, server.url, admin, adminSecret);
    await page.waitForURL('**/cuenta');
    await page.goto(`${server.url}/organizaciones/${networkId}`);
    await page.getByRole('link', { name: 'Administrar los webhooks de la red' }).click();
    await page.getByRole('heading', { level: 1, name: /Webhooks/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/organizaciones/${networkId}/webhooks`);

    // The delivery log of the existing destination: the refusal, then the delivery.
    const log = page.getByRole('table', { name: /Entregas recientes a https:\/\/observatorio-frontera/ });
    await log.waitFor();
    expect(await log.getByRole('row').count()).toBe(3);
    await log.getByText('Entregada (HTTP 204)').waitFor();
    await log.getByText(/resolves to 10\.0\.0\.8/).waitFor();

    // Addresses that lead inside, or are not https, are explained in Spanish beside the field.
    const url = page.getByLabel('Dirección (URL)');
    for (const [address, explanation] of [
      ['http://observatorio.example.org/vigia', 'La dirección debe empezar con https://'],
      ['https://169.254.169.254/latest/meta-data/', 'La dirección lleva a una red local o privada'],
      ['https://vigia:clave@observatorio.example.org/', 'La dirección no puede llevar usuario ni contraseña'],
    ] as const) {
      await url.fill(address);
      await page.getByRole('button', { name: 'Agregar el destino' }).click();
      await page.getByText(explanation).waitFor();
    }
    expect(await server.database.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(1);

    // A public address is added; its secret is shown once, with the copy button and how to check a signature.
    await url.fill('https://medios-aliados.example.org/vigia');
    await page.getByLabel('Descripción (opcional)').fill('Medio aliado');
    await page.getByRole('button', { name: 'Agregar el destino' }).click();
    await page.getByRole('heading', { name: /Destino https:\/\/medios-aliados\.example\.org\/vigia agregado/ }).waitFor();
    const secret = await page.getByLabel('Secreto de firma').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByText(/la cabecera Vigia-Signature lleva/).waitFor();
    await page.getByRole('button', { name: 'Copiar el secreto' }).click();
    await page.getByText(/Secreto copiado|No se pudo copiar automáticamente/).waitFor();
    const stored = await server.database.db.selectFrom('webhook_endpoints').select(['url', 'description', 'secret_sealed']).where('url', 'like', '%medios-aliados%').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ url: 'https://medios-aliados.example.org/vigia', description: 'Medio aliado' });
    expect(stored.secret_sealed).not.toContain(secret);
    await page.getByRole('button', { name: 'Ya lo copié' }).click();
    expect(await page.getByLabel('Secreto de firma').count()).toBe(0);

    // The first destination is switched off, then on again.
    const first = page.getByRole('article', { name: /observatorio-frontera/ });
    await first.getByRole('button', { name: 'Desactivar' }).click();
    await page.getByText(/desactivado: no recibirá más entregas/).waitFor();
    await first.getByText('Inactivo: no recibe nada').waitFor();
    expect((await server.database.db.selectFrom('webhook_endpoints').select('active').where('id', '=', endpointId).executeTakeFirstOrThrow()).active).toBe(false);
    await first.getByRole('button', { name: 'Activar' }).click();
    await first.getByText('Activo: recibe las alertas').waitFor();

    // axe-clean and no sideways scrolling at 360 px, in Spanish and English (a second sign-in would
    // reuse the one-time code within its 30 seconds, so the same session goes on).
    const pages = [
      [`/organizaciones/${networkId}`, '#webhooks-link-heading'],
      [`/organizaciones/${networkId}/webhooks`, '.webhook-endpoint table'],
    ] as const;
    const spanish = await scanPages(page, server.url, pages);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('heading', { level: 1, name: /Webhooks/ }).waitFor();
    await page.getByRole('heading', { name: 'Destinations and recent deliveries' }).waitFor();
    const english = await scanPages(page, server.url, pages);
    await page.getByRole('table', { name: /Recent deliveries to/ }).waitFor();
    await page.getByText('Delivered (HTTP 204)').waitFor();
    const clean = { violations: '', sideways: false };
    expect({ spanish, english }).toEqual({
      spanish: { [pages[0][0]]: clean, [pages[1][0]]: clean },
      english: { [pages[0][0]]: clean, [pages[1][0]]: clean },
    });
    // The refused addresses answered 400 on purpose; nothing else went wrong.
    expect(unexpected(problems, [{ path: `/api/v1/organizations/${networkId}/webhooks`, status: 400 }])).toEqual([]);
    await context.close();
  });
});
