import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTotpSecret, totpCode } from '../../src/auth/totp.js';
import { createUser, type TestUser } from '../auth.js';
import { launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { insertOrganization } from '../organizations.js';
import { pathOf, screenshot, signInThroughForm, unexpected, waitForServiceWorker } from './people-helpers.js';

/*
 * The whole path a real team takes, in one browser against the real server and database: an anonymous
 * person reports from a phone while offline and keeps the receipt; the network's documenter turns the
 * report into an incident and submits it; another person, a reviewer signed in with a second factor,
 * verifies it; and the reporter's receipt then says the report is documented. Each step only uses what
 * the previous one left behind, so a break anywhere between the pages shows here.
 */

const PHONE = { viewport: { width: 360, height: 740 } };
const LAST_YEAR = String(new Date().getFullYear() - 1);
const TESTIMONY =
  'Llegaron elementos de la Guardia Nacional al albergue en Agua Prieta, Sonora. Intentaron entrar sin orden, pidieron la lista de personas albergadas y nos filmaron.';
const TITLE = 'Guardia Nacional intenta entrar al albergue de Agua Prieta';

describe('the whole path: public report, triage, incident, review, receipt', () => {
  let browser: Browser;
  let server: RunningApp;
  let network: string;
  let documenter: TestUser;
  let reviewer: TestUser;
  let reviewerSecret: string;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    network = (await insertOrganization(server.database, { kind: 'network', name: 'Red de Albergues del Norte' })).id;
    await server.database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', network).execute();
    documenter = await createUser(server.database, {
      displayName: 'Documentadora de la Red',
      memberships: [{ organizationId: network, roles: ['documenter'] }],
    });
    reviewerSecret = generateTotpSecret();
    reviewer = await createUser(server.database, {
      displayName: 'Revisor de la Red',
      memberships: [{ organizationId: network, roles: ['reviewer'] }],
      totpSecret: reviewerSecret,
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('takes a report written offline on a phone to a verified incident, and the receipt says so', { timeout: 240_000 }, async () => {
    const db = server.database.db;

    // 1. An anonymous person, on a phone, writes the report and sends it while offline.
    const phone = await openPage(browser, PHONE);
    phone.page.setDefaultTimeout(20_000);
    await phone.page.goto(`${server.url}/reportar`);
    await phone.page.getByRole('heading', { level: 1, name: 'Reportar un incidente' }).waitFor();
    await waitForServiceWorker(phone.page);
    await phone.page.getByLabel('Describa lo que pasó').fill(TESTIMONY);
    await phone.page.getByLabel('Sé el mes, no el día').check();
    await phone.page.getByLabel('Mes', { exact: true }).selectOption('06');
    await phone.page.getByLabel('Año').selectOption(LAST_YEAR);
    await phone.page.getByLabel('Estado').selectOption('26');
    await phone.page.getByLabel('Municipio').selectOption('26002');
    await phone.page.getByLabel('Tipo de lugar').selectOption('MIGRANT_SHELTER');
    await phone.page.getByLabel('Nombre del albergue (opcional)').fill('Casa del Migrante de Agua Prieta');
    await phone.page.getByLabel('Quién lo hizo').selectOption('GN');
    await phone.page.getByLabel('Pueden publicar un relato anónimo de lo que pasó').check();

    await phone.context.setOffline(true);
    await phone.page.getByRole('button', { name: 'Enviar reporte' }).click();
    await expect.poll(() => phone.page.locator('.report-status').textContent(), { timeout: 20_000 }).toContain('Se enviará cuando haya conexión');
    expect(await phone.page.locator('.outbox__item').count()).toBe(1);
    expect(await db.selectFrom('reports').select('id').execute()).toEqual([]);

    await phone.context.setOffline(false);
    await phone.page.getByRole('heading', { name: 'Reporte enviado: su recibo' }).waitFor({ timeout: 45_000 });
    const receiptCode = (await phone.page.locator('#receipt-code').textContent()) ?? '';
    const receiptSecret = (await phone.page.locator('#receipt-secret').textContent()) ?? '';
    expect(receiptCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(receiptSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await screenshot(phone.page, 'vigia-whole-path-receipt');
    const reports = await db.selectFrom('reports').selectAll().execute();
    expect(reports).toHaveLength(1);
    const report = reports[0]!;
    expect(report).toMatchObject({
      receipt_code: receiptCode,
      organization_id: network,
      channel: 'public',
      status: 'new',
      state_code: '26',
      municipality_code: '26002',
      place_type: 'MIGRANT_SHELTER',
      perpetrator_type: 'GN',
    });

    // 2. The network's documenter opens it from the inbox and turns it into an incident.
    const desk = await openPage(browser);
    desk.page.setDefaultTimeout(20_000);
    await signInThroughForm(desk.page, server.url, documenter);
    await desk.page.waitForURL('**/cuenta');
    await desk.page.goto(`${server.url}/bandeja`);
    const card = desk.page.getByRole('listitem').filter({ hasText: `Reporte ${receiptCode}` });
    await card.getByRole('link', { name: `Reporte ${receiptCode}` }).click();
    await desk.page.waitForURL(`**/bandeja/${report.id}`);

    const marks = desk.page.locator('mark');
    await marks.filter({ hasText: 'sugiere: Guardia Nacional' }).first().waitFor();
    await marks.filter({ hasText: /sugiere: .*(Agua Prieta|Sonora)/ }).first().waitFor();
    await desk.page.getByRole('button', { name: 'Aceptar Guardia Nacional' }).click();
    const accept = desk.page.getByRole('button', { name: /^Aceptar / });
    for (let i = 0; i < (await accept.count()); i += 1) {
      if ((await accept.nth(i).getAttribute('aria-pressed')) !== 'true') await accept.nth(i).click();
    }
    expect(await desk.page.getByRole('button', { name: 'Aceptar Guardia Nacional' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(desk.page, 'vigia-whole-path-triage');

    await desk.page.getByRole('link', { name: 'Crear incidente' }).click();
    await desk.page.waitForURL(`**/bandeja/${report.id}/incidente`);
    const title = desk.page.getByLabel('Título');
    await title.waitFor();
    expect(await desk.page.getByLabel('Relato', { exact: true }).inputValue()).toBe(TESTIMONY);
    expect(await desk.page.locator('#f-involvements-0-perpetratorType').inputValue()).toBe('GN');
    await expect.poll(() => desk.page.locator('#f-place-municipalityCode').inputValue()).toBe('26002');
    expect(await desk.page.locator('#f-place-placeType').inputValue()).toBe('MIGRANT_SHELTER');
    expect(await desk.page.locator('#f-acts-0-actType').inputValue()).toBe('ATTEMPTED_ENTRY');
    await title.fill(TITLE);
    await desk.page.getByRole('button', { name: 'Guardar el incidente' }).click();
    await desk.page.waitForURL('**/incidentes/*/editar');
    await desk.page.getByRole('status').filter({ hasText: 'guardado.' }).waitFor();
    const incidentId = pathOf(desk.page).split('/')[2]!;

    const saved = await db.selectFrom('incidents').select(['organization_id', 'title', 'status']).where('id', '=', incidentId).executeTakeFirstOrThrow();
    expect(saved).toEqual({ organization_id: network, title: TITLE, status: 'reported' });
    expect(await db.selectFrom('reports').select(['status', 'incident_id']).where('id', '=', report.id).executeTakeFirstOrThrow()).toEqual({
      status: 'incident_created',
      incident_id: incidentId,
    });

    // 3. The documenter submits it for review from the incident's page.
    await desk.page.goto(`${server.url}/incidentes/${incidentId}`);
    await expect.poll(() => desk.page.getByRole('heading', { level: 1 }).textContent()).toContain(TITLE);
    const deskReview = desk.page.getByRole('region', { name: 'Revisión' });
    await deskReview.getByRole('button', { name: 'Enviar a revisión' }).click();
    await deskReview.getByRole('status').filter({ hasText: 'Enviado a revisión.' }).waitFor();
    expect((await db.selectFrom('incidents').select('status').where('id', '=', incidentId).executeTakeFirstOrThrow()).status).toBe('in_review');
    expect(unexpected(desk.problems)).toEqual([]);
    await desk.context.close();

    // 4. A reviewer of the network, another person, signs in with the second factor and verifies it.
    const review = await openPage(browser);
    review.page.setDefaultTimeout(20_000);
    await signInThroughForm(review.page, server.url, reviewer);
    await review.page.waitForURL('**/entrar/verificacion**');
    await review.page.getByLabel('Código de 6 dígitos').fill(totpCode(reviewerSecret));
    await review.page.getByRole('button', { name: 'Verificar' }).click();
    await review.page.waitForURL('**/cuenta');

    await review.page.goto(`${server.url}/revision`);
    const queue = review.page.getByRole('table', { name: 'Incidentes en revisión' });
    await queue.getByRole('link', { name: TITLE }).click();
    await review.page.waitForURL(`**/incidentes/${incidentId}`);
    const legal = review.page.getByRole('region', { name: 'Calificación jurídica' });
    await legal.getByRole('heading', { name: /^R1 · / }).waitFor();
    expect(await legal.textContent()).toContain('Ley de Migración');
    const panel = review.page.getByRole('region', { name: 'Revisión' });
    await panel.getByRole('button', { name: 'Verificar' }).click();
    await panel.getByRole('status').filter({ hasText: 'Incidente verificado.' }).waitFor();
    await screenshot(review.page, 'vigia-whole-path-verified');

    const verified = await db
      .selectFrom('incidents')
      .select(['status', 'verified_by', 'last_changed_by'])
      .where('id', '=', incidentId)
      .executeTakeFirstOrThrow();
    expect(verified.status).toBe('verified');
    expect(verified.verified_by).toBe(reviewer.id);
    expect(verified.verified_by).not.toBe(verified.last_changed_by);
    expect(unexpected(review.problems)).toEqual([]);
    await review.context.close();

    // 5. Back on the phone, the receipt says, in words, that the report is now part of the record.
    await phone.page.goto(`${server.url}/recibo`);
    await phone.page.getByRole('button', { name: `Consultar ${receiptCode}` }).click();
    const result = phone.page.getByRole('region', { name: `Reporte ${receiptCode}` });
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toContain('Documentado: ya forma parte del registro.');
    await screenshot(phone.page, 'vigia-whole-path-documented');
    expect(
      // Requests the service worker tried while the phone was offline.
      unexpected(phone.problems).filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(p.text)),
    ).toEqual([]);
    await phone.context.close();
  });
});
