import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../auth.js';
import { axeViolations, describeViolations, launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { insertOrganization } from '../organizations.js';
import { photoWithGps } from '../photos.js';
import { pageOverflows, screenshot, signInThroughForm, unexpected } from './people-helpers.js';

const TESTIMONY = 'Dos patrullas de la Policía Federal se estacionaron frente al albergue y filmaron a quienes entraban durante una hora.';
const PHONE = { viewport: { width: 360, height: 740 } };

describe('a member report from the workspace', () => {
  let browser: Browser;
  let server: RunningApp;
  let shelter: string;
  let reporter: TestUser;
  let documenter: TestUser;
  /** Filed by the first test, opened for triage by the others. */
  let filed: { id: string; receiptCode: string } | undefined;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    shelter = (await insertOrganization(server.database, { name: 'Casa del Migrante de Prueba', stateCode: '05' })).id;
    reporter = await createUser(server.database, { displayName: 'Reportera', memberships: [{ organizationId: shelter, roles: ['reporter'] }] });
    documenter = await createUser(server.database, { displayName: 'Documentadora', memberships: [{ organizationId: shelter, roles: ['documenter'] }] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, user: TestUser): Promise<void> {
    await signInThroughForm(page, server.url, user);
    await page.waitForURL('**/cuenta');
  }

  it('files a report with a photo into the shelter, keeping the draft on the way, and the documenter finds it in the inbox with its photo', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser, PHONE);
    page.setDefaultTimeout(15_000);
    await signIn(page, reporter);
    await page.getByRole('link', { name: 'Nuevo reporte' }).click();
    await page.waitForURL('**/reportes/nuevo');
    // The only organization is preselected.
    expect(await page.getByLabel('Organización que recibe el reporte').inputValue()).toBe(shelter);

    // The draft survives a reload.
    await page.getByLabel('Describa lo que pasó').fill(TESTIMONY);
    await page.getByLabel('Vigilancia, fotografiar o filmar al personal').check();
    await page.waitForTimeout(800);
    await page.reload();
    await page.getByText('Recuperamos el borrador').waitFor();
    expect(await page.getByLabel('Describa lo que pasó').inputValue()).toBe(TESTIMONY);
    expect(await page.getByLabel('Vigilancia, fotografiar o filmar al personal').isChecked()).toBe(true);

    await page.getByLabel('No sé la fecha').check();
    await page.locator('#report-state').selectOption('05');
    await page.getByLabel('Personal de albergue o casa del migrante').check();
    await page.getByLabel('Cuántos agentes llegaron (opcional)').fill('6');
    await page.getByLabel('Cuántas personas se vieron afectadas (opcional)').fill('0');
    const photo = await photoWithGps();
    await page.getByLabel('Adjuntar fotos o documentos', { exact: true }).setInputFiles({ name: 'patrulla_en_la_puerta.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: 'Enviar el reporte a la organización' }).click();
    // A count that is not a number is named, with the focus on it, and nothing is sent.
    await page.getByText('Escriba un número entero entre 1 y 100', { exact: false }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).toBe('report-people-affected');
    expect(await server.database.db.selectFrom('reports').select('id').execute()).toHaveLength(0);
    await page.getByLabel('Cuántas personas se vieron afectadas (opcional)').fill('40');
    await page.getByRole('button', { name: 'Enviar el reporte a la organización' }).click();

    await page.getByRole('heading', { name: 'Reporte enviado: su recibo' }).waitFor();
    await page.getByText('El reporte llegó a la bandeja de Casa del Migrante de Prueba.').waitFor();
    await page.getByText('Archivo 1: recibido.').waitFor({ timeout: 30_000 });
    await screenshot(page, 'vigia-member-report-filed-360');
    const receiptCode = (await page.locator('#receipt-code').textContent()) ?? '';

    const report = await server.database.db.selectFrom('reports').selectAll().executeTakeFirstOrThrow();
    expect(report).toMatchObject({ organization_id: shelter, channel: 'member', submitted_by: reporter.id, receipt_code: receiptCode, state_code: '05' });
    const evidence = await server.database.db.selectFrom('evidence').selectAll().execute();
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ report_id: report.id, status: 'complete', kind: 'image', has_redacted_copy: true, uploaded_by: reporter.id });
    filed = { id: report.id, receiptCode };
    // The draft went with the report.
    await page.getByRole('button', { name: 'Reportar otro incidente' }).click();
    expect(await page.getByLabel('Describa lo que pasó').inputValue()).toBe('');
    expect(unexpected(problems)).toEqual([]);
    await context.close();

    const triage = await openPage(browser, PHONE);
    triage.page.setDefaultTimeout(15_000);
    await signIn(triage.page, documenter);
    await triage.page.getByRole('link', { name: 'Bandeja' }).click();
    const card = triage.page.getByRole('listitem').filter({ hasText: `Reporte ${receiptCode}` });
    await card.waitFor();
    expect(await card.textContent()).toContain('Miembro de la red');
    await card.getByRole('link', { name: `Reporte ${receiptCode}` }).click();
    await triage.page.getByRole('heading', { name: 'Archivos adjuntos' }).waitFor();
    expect(await triage.page.locator('.report-facts').textContent()).toContain('Vigilancia, fotografiar o filmar al personal');
    expect(await triage.page.locator('.report-facts').textContent()).toContain('Personal de albergue o casa del migrante');
    const thumbnail = triage.page.getByRole('img', { name: 'Vista previa de patrulla_en_la_puerta.jpg, sin metadatos' });
    await thumbnail.scrollIntoViewIfNeeded();
    await expect.poll(() => thumbnail.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(320);
    const view = triage.page.getByRole('link', { name: 'Ver patrulla_en_la_puerta.jpg sin metadatos' });
    expect(await view.getAttribute('href')).toBe(`/api/v1/evidence/${evidence[0]!.id}/content`);
    expect(await triage.page.getByText('Imagen ·', { exact: false }).textContent()).toContain('image/jpeg');
    await screenshot(triage.page, 'vigia-triage-attachments-360');
    // Seeing the thumbnail is a view in the photo's chain of custody.
    const views = await server.database.db.selectFrom('audit_log').select('actor_id').where('subject_id', '=', evidence[0]!.id).where('action', '=', 'evidence.viewed').execute();
    expect(views.map((v) => v.actor_id)).toContain(documenter.id);
    expect(unexpected(triage.problems)).toEqual([]);
    await triage.context.close();
  });

  it('has no axe-core violations on the member report form, its receipt and the report with its attachment, in Spanish and English, at 360 px', { timeout: 120_000 }, async () => {
    expect(filed).toBeDefined();
    const scans: Record<string, string> = {};
    const overflow: Record<string, boolean> = {};
    async function scan(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
      await ready();
      scans[name] = describeViolations(await axeViolations(page));
      overflow[name] = await pageOverflows(page);
    }
    const member = await openPage(browser, PHONE);
    await signIn(member.page, reporter);
    const triage = await openPage(browser, PHONE);
    await signIn(triage.page, documenter);
    for (const language of ['es', 'en'] as const) {
      const t =
        language === 'es'
          ? { submit: 'Enviar el reporte a la organización', act: 'Hostigamiento', what: 'Describa lo que pasó', receipt: 'Reporte enviado: su recibo', files: 'Archivos adjuntos' }
          : { submit: 'Send the report to the organization', act: 'Harassment', what: 'Describe what happened', receipt: 'Report sent: your receipt', files: 'Attachments' };
      for (const page of [member.page, triage.page]) {
        if (language === 'en') {
          await page.getByRole('button', { name: 'English' }).click();
          await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
        }
      }
      await member.page.goto(`${server.url}/reportes/nuevo`);
      await scan(member.page, `${language} member form`, () => member.page.getByLabel(t.act, { exact: true }).waitFor());
      await member.page.getByLabel(t.what).fill(`${TESTIMONY} (${language})`);
      await member.page.locator('#report-when-unknown').check();
      await member.page.getByRole('button', { name: t.submit }).click();
      await scan(member.page, `${language} member receipt`, () => member.page.getByRole('heading', { name: t.receipt }).waitFor());

      await triage.page.goto(`${server.url}/bandeja/${filed!.id}`);
      await scan(triage.page, `${language} triage attachments`, async () => {
        await triage.page.getByRole('heading', { name: t.files }).waitFor();
        await triage.page.locator('.report-attachment__thumb').waitFor();
      });
    }
    expect(scans).toEqual({
      'es member form': '', 'es member receipt': '', 'es triage attachments': '',
      'en member form': '', 'en member receipt': '', 'en triage attachments': '',
    });
    expect(Object.entries(overflow).filter(([, wide]) => wide)).toEqual([]);
    expect(unexpected(member.problems)).toEqual([]);
    expect(unexpected(triage.problems)).toEqual([]);
    await member.context.close();
    await triage.context.close();
  });
});
