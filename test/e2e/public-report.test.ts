import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Keyring } from '../../src/crypto/keyring.js';
import { loadMasterKeys } from '../../src/crypto/master-keys.js';
import type { ReportAdditionSealed, ReportSealed } from '../../src/domain/report.js';
import { axeViolations, describeViolations, launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { testConfig } from '../config.js';
import { createTestDatabase } from '../db.js';
import { insertOrganization } from '../organizations.js';
import { photoWithGps } from '../photos.js';
import { PublicReportSpy } from './public-report-spy.js';
import { pageOverflows, screenshot, unexpected, waitForServiceWorker } from './people-helpers.js';

/*
 * The public reporting pages in a real browser, at phone width, against the real public reporting API;
 * what arrived is read back from the database (the testimony opened with the test master key).
 */

const PHONE = { viewport: { width: 360, height: 740 } };
const LAST_YEAR = String(new Date().getFullYear() - 1);
const TESTIMONY = 'Llegaron dos camionetas sin placas y revisaron a todas las personas en la entrada.';

async function fillReport(page: Page): Promise<void> {
  await page.getByLabel('Describa lo que pasó').fill(TESTIMONY);
  await page.getByLabel('Sé el mes, no el día').check();
  await page.getByLabel('Mes', { exact: true }).selectOption('03');
  await page.getByLabel('Año').selectOption(LAST_YEAR);
  await page.getByLabel('Estado').selectOption('07');
  await page.getByLabel('Municipio').selectOption('07089');
  await page.getByLabel('Tipo de lugar').selectOption('MIGRANT_SHELTER');
  await page.getByLabel('Nombre del albergue (opcional)').fill('Casa de Prueba');
  await page.getByLabel('Quién lo hizo').selectOption('GN');
  await page.getByLabel('Uniformes, vehículos, número de agentes (opcional)').fill('Unos ocho agentes armados');
  await page.getByLabel('Pueden publicar un relato anónimo de lo que pasó').check();
}

/** The text of the public report's draft as kept in the browser's IndexedDB; runs in the page. */
function readStoredDraftText(): Promise<string | undefined> {
  type Request<T> = { result: T; onsuccess: (() => void) | null; onerror: (() => void) | null };
  type Database = { transaction(name: string): { objectStore(name: string): { get(key: string): Request<{ whatHappened?: string } | undefined> } }; close(): void };
  const indexedDB = (globalThis as unknown as { indexedDB: { open(name: string): Request<Database> } }).indexedDB;
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open('vigia-report');
    opening.onerror = () => reject(new Error('IndexedDB could not be opened'));
    opening.onsuccess = () => {
      const db = opening.result;
      const reading = db.transaction('drafts').objectStore('drafts').get('current');
      reading.onerror = () => reject(new Error('The draft could not be read'));
      reading.onsuccess = () => {
        db.close();
        resolve(reading.result?.whatHappened);
      };
    };
  });
}

describe('public reporting pages', () => {
  let browser: Browser;
  let server: RunningApp;
  const spy = new PublicReportSpy();
  const keyring = new Keyring(loadMasterKeys(testConfig()));
  let networkId: string;

  async function reportsFiled() {
    return server.database.db.selectFrom('reports').selectAll().orderBy('created_at').execute();
  }

  beforeAll(async () => {
    const database = await createTestDatabase('pglite');
    networkId = (await insertOrganization(database, { kind: 'network', name: 'Red de Albergues de Prueba' })).id;
    await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', networkId).execute();
    [browser, server] = await Promise.all([launchBrowser(), startWebApp({ database, extraRoutes: spy.register })]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    spy.requests.length = 0;
    spy.failAfterFiling = false;
    // Each test starts with no reports (nothing else refers to them in this database).
    await server.database.db.deleteFrom('report_additions').execute();
    await server.database.db.deleteFrom('evidence').execute();
    await server.database.db.deleteFrom('reports').execute();
  });

  it('keeps a report written offline, sends it once the connection returns, and shows and keeps the receipt', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/reportar`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Reportar un incidente');
    expect(await page.title()).toBe('Reportar un incidente · Vigía');
    await waitForServiceWorker(page);

    // The draft survives a reload.
    await fillReport(page);
    await page.waitForTimeout(800);
    await page.reload();
    await page.getByText('Recuperamos el borrador').waitFor();
    expect(await page.getByLabel('Describa lo que pasó').inputValue()).toBe(TESTIMONY);
    expect(await page.getByLabel('Municipio').inputValue()).toBe('07089');

    // Offline: the report is saved on the phone, and says so.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Enviar reporte' }).click();
    await expect.poll(() => page.locator('.report-status').textContent()).toBe('Guardado en este teléfono. Se enviará cuando haya conexión.');
    expect(await page.locator('.outbox__item').count()).toBe(1);
    expect(await page.getByLabel('Describa lo que pasó').inputValue()).toBe('');
    expect(spy.requests).toEqual([]);

    // Still offline, the page opens again (from the service worker) with the report still queued.
    const offlineLoad = await page.reload();
    expect(offlineLoad?.fromServiceWorker()).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Reportar un incidente');
    await expect.poll(() => page.locator('.outbox__item').count()).toBe(1);
    expect(await page.locator('.report-status').textContent()).toContain('Se enviará cuando haya conexión');
    await screenshot(page, 'vigia-report-queued');

    // Online again: sent once, and the receipt shown.
    await context.setOffline(false);
    await page.getByRole('heading', { name: 'Reporte enviado: su recibo' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.report-status').textContent()).toBe('Enviado. Guarde su recibo.');
    expect(await page.locator('.outbox__item').count()).toBe(0);
    const code = (await page.locator('#receipt-code').textContent()) ?? '';
    const secret = (await page.locator('#receipt-secret').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await screenshot(page, 'vigia-report-receipt');

    const filed = await reportsFiled();
    expect(filed).toHaveLength(1);
    const report = filed[0]!;
    const key = report.idempotency_key!;
    expect(spy.requestsFor(key)).toEqual([{ idempotencyKey: key, receiptSecret: secret, hadCookie: false }]);
    expect(report).toMatchObject({
      receipt_code: code,
      organization_id: networkId,
      channel: 'public',
      state_code: '07',
      municipality_code: '07089',
      place_type: 'MIGRANT_SHELTER',
      occurred_on: `${LAST_YEAR}-03-01`,
      date_precision: 'month',
      perpetrator_type: 'GN',
      may_contact: false,
      may_publish: true,
    });
    expect(await keyring.openJson<ReportSealed>(server.database.db, networkId, `report:${report.id}`, report.sealed)).toEqual({
      whatHappened: TESTIMONY,
      shelterName: 'Casa de Prueba',
      whoDescription: 'Unos ocho agentes armados',
      contact: '',
    });

    // After a reload the receipt is among "my receipts"; the secret never went into an address.
    await page.reload();
    const saved = page.getByRole('region', { name: 'Mis recibos en este teléfono' });
    await expect.poll(() => saved.textContent()).toContain(code);
    expect(page.url()).not.toContain(secret);

    // The status page: pick the receipt, read the question, add information.
    // A documenter asks a question (as the triage command would: sealed, status needs_information).
    await server.database.db
      .updateTable('reports')
      .set({
        status: 'needs_information',
        resolution_sealed: await keyring.sealJson(server.database.db, networkId, `report-resolution:${report.id}`, { message: '¿Cuántas personas había en el albergue?' }),
      })
      .where('id', '=', report.id)
      .execute();
    await page.goto(`${server.url}/recibo`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Consultar un reporte');
    await page.getByRole('button', { name: `Consultar ${code}` }).click();
    const result = page.getByRole('region', { name: `Reporte ${code}` });
    await expect.poll(() => result.textContent()).toContain('Necesitamos más información');
    expect(await result.textContent()).toContain('¿Cuántas personas había en el albergue?');
    await page.getByLabel('Lo que quiere añadir').fill('Unas cuarenta personas.');
    await page.getByRole('button', { name: 'Enviar información' }).click();
    await expect.poll(() => result.textContent()).toContain('Se añadió su información');
    const additions = await server.database.db.selectFrom('report_additions').selectAll().where('report_id', '=', report.id).execute();
    expect(
      await Promise.all(additions.map(async (a) => (await keyring.openJson<ReportAdditionSealed>(server.database.db, networkId, `report-addition:${a.id}`, a.sealed)).text)),
    ).toEqual(['Unas cuarenta personas.']);
    expect(page.url()).toBe(`${server.url}/recibo`);
    await screenshot(page, 'vigia-receipt-status');

    // Typed by hand, with a wrong secret: the same answer as for an unknown code.
    await page.getByLabel('Código del recibo').fill(code);
    await page.getByLabel('Clave', { exact: true }).fill('x'.repeat(43));
    await page.getByRole('button', { name: 'Consultar', exact: true }).click();
    await page.getByText('No encontramos un reporte con ese código y esa clave').waitFor();

    // Forgetting the receipt removes it from this phone.
    await saved.getByRole('button', { name: `Olvidar el recibo ${code} en este teléfono` }).click();
    await saved.getByRole('button', { name: 'Sí, olvidarlo' }).click();
    await expect.poll(() => saved.textContent()).toContain('No hay recibos guardados en este teléfono.');
    await page.reload();
    await expect.poll(() => page.getByRole('region', { name: 'Mis recibos en este teléfono' }).textContent()).toContain('No hay recibos guardados');

    expect(await pageOverflows(page)).toBe(false);
    expect(
      unexpected(problems, [{ path: '/api/v1/public/reports/status', status: 404 }]).filter(
        // Requests the service worker tried while the context was offline.
        (p) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(p.text),
      ),
    ).toEqual([]);
    await context.close();
  });

  it('retries an unanswered report with the same key and secret, and the server files it once', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    await page.goto(`${server.url}/reportar`);
    await page.getByLabel('Describa lo que pasó').fill(TESTIMONY);
    await page.getByLabel('No sé la fecha').check();
    spy.failAfterFiling = true;
    await page.getByRole('button', { name: 'Enviar reporte' }).click();
    const item = page.locator('.outbox__item');
    await expect.poll(() => item.textContent(), { timeout: 20_000 }).toContain('No se pudo enviar (el servidor no respondió bien)');

    await page.getByRole('button', { name: 'Reintentar ahora' }).click();
    await page.getByRole('heading', { name: 'Reporte enviado: su recibo' }).waitFor({ timeout: 20_000 });
    const filed = await reportsFiled();
    expect(filed).toHaveLength(1);
    const key = filed[0]!.idempotency_key!;
    const secrets = spy.requestsFor(key).map((r) => r.receiptSecret);
    expect(secrets).toHaveLength(2);
    expect(secrets[0]).toBe(secrets[1]);
    expect(spy.requests).toHaveLength(2);
    expect(await page.locator('#receipt-code').textContent()).toBe(filed[0]!.receipt_code);
    expect(filed[0]!.occurred_on).toBeNull();
    expect(unexpected(problems, [{ path: '/api/v1/public/reports', status: 503 }])).toEqual([]);
    await context.close();
  });

  it('sends a photo after the report it goes with, through its receipt, and keeps no copy of it on the phone', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/reportar`);
    await page.getByLabel('Describa lo que pasó').fill(TESTIMONY);
    await page.getByLabel('No sé la fecha').check();
    expect(await page.locator('#report-attachments-warning').textContent()).toContain('ubicación');
    const photo = await photoWithGps();
    await page.getByLabel('Adjuntar fotos o documentos', { exact: true }).setInputFiles({ name: 'foto_albergue.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByText('Archivos elegidos: 1').waitFor();
    await page.getByRole('button', { name: 'Enviar reporte' }).click();
    await page.getByRole('heading', { name: 'Reporte enviado: su recibo' }).waitFor({ timeout: 30_000 });
    await page.getByText('Archivo 1: recibido.').waitFor({ timeout: 20_000 });

    const [report] = await reportsFiled();
    const evidence = await server.database.db.selectFrom('evidence').selectAll().execute();
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ report_id: report!.id, incident_id: null, status: 'complete', mime_type: 'image/jpeg', has_redacted_copy: true });
    expect(Number(evidence[0]!.declared_length)).toBe(photo.length);
    // Gone from the phone once the server has it.
    const left = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          // The page's IndexedDB, typed loosely: the test compiles without the DOM library.
          type Request<T> = { result: T; onsuccess: () => void };
          type Idb = { transaction(name: string): { objectStore(name: string): { count(): Request<number> } } };
          const open = (globalThis as unknown as { indexedDB: { open(name: string): Request<Idb> } }).indexedDB.open('vigia-report');
          open.onsuccess = () => {
            const count = open.result.transaction('attachments').objectStore('attachments').count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
    expect(left).toBe(0);
    expect(unexpected(problems, [])).toEqual([]);
    await context.close();
  });

  it('takes no typing until the draft kept on the phone is back, so nothing typed is replaced by it', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    await page.goto(`${server.url}/reportar`);
    await page.getByLabel('Describa lo que pasó').fill(TESTIMONY);
    await expect.poll(() => page.evaluate(readStoredDraftText)).toBe(TESTIMONY);

    // A slow phone: its storage opens three seconds late.
    await context.addInitScript(() => {
      type Request = { addEventListener(type: string, listener: (event: unknown) => void): void };
      const factory = (globalThis as unknown as { IDBFactory: { prototype: { open(...args: unknown[]): Request } } }).IDBFactory.prototype;
      const open = factory.open;
      factory.open = function (this: unknown, ...args: unknown[]) {
        const request = open.apply(this, args);
        let handler: ((event: unknown) => void) | null = null;
        Object.defineProperty(request, 'onsuccess', { get: () => handler, set: (next: typeof handler) => (handler = next) });
        request.addEventListener('success', (event) => setTimeout(() => handler?.call(request, event), 3_000));
        return request;
      };
    });
    await page.reload();
    const what = page.getByLabel('Describa lo que pasó');
    expect(await what.isDisabled()).toBe(true);
    expect(await page.getByLabel('No sé la fecha').isDisabled()).toBe(true);
    await page.getByText('Recuperamos el borrador').waitFor();
    expect(await what.isEnabled()).toBe(true);
    expect(await what.inputValue()).toBe(TESTIMONY);
    await page.getByLabel('No sé la fecha').check();
    expect(unexpected(problems, [])).toEqual([]);
    await context.close();
  });

  it('checks the form before saving it, naming each problem', async () => {
    const { context, page } = await openPage(browser, PHONE);
    await page.goto(`${server.url}/reportar`);
    await page.getByLabel('Describa lo que pasó').fill('corto');
    await page.getByLabel('Pueden contactarme para preguntar más sobre este reporte').check();
    await page.getByRole('button', { name: 'Enviar reporte' }).click();
    await page.getByRole('alert').filter({ hasText: 'Revise los campos marcados.' }).waitFor();
    expect(await page.getByText('Escriba al menos 10 caracteres.').count()).toBe(1);
    expect(await page.getByText('Indique la fecha, o elija «No sé la fecha».').count()).toBe(1);
    expect(await page.getByText('Para que podamos contactarle, escriba cómo.').count()).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('report-what');
    expect(spy.requests).toEqual([]);
    await context.close();
  });

  it('has no axe-core violations and fits 360 px, in Spanish and English', { timeout: 90_000 }, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    const scans: Record<string, string> = {};
    const overflows: Record<string, boolean> = {};
    for (const language of ['es', 'en'] as const) {
      await page.goto(`${server.url}/reportar`);
      if (language === 'en') {
        await page.getByRole('button', { name: 'English' }).click();
        await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
      }
      const heading = language === 'es' ? 'Reportar un incidente' : 'Report an incident';
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
      await page.getByLabel(language === 'es' ? 'Estado' : 'State').selectOption('07');
      await page.getByRole('button', { name: language === 'es' ? 'Enviar reporte' : 'Send report' }).click();
      await page.getByRole('alert').filter({ hasText: language === 'es' ? 'Revise' : 'Check' }).waitFor();
      scans[`${language} /reportar`] = describeViolations(await axeViolations(page));
      overflows[`${language} /reportar`] = await pageOverflows(page);

      await page.goto(`${server.url}/recibo`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('button', { name: language === 'es' ? 'Consultar' : 'Check', exact: true }).click();
      scans[`${language} /recibo`] = describeViolations(await axeViolations(page));
      overflows[`${language} /recibo`] = await pageOverflows(page);
    }
    expect(scans).toEqual({ 'es /reportar': '', 'es /recibo': '', 'en /reportar': '', 'en /recibo': '' });
    expect(Object.values(overflows)).toEqual([false, false, false, false]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
