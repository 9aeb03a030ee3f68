import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../auth.js';
import { axeViolations, describeViolations, launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { SPREADSHEET_MAPPING } from '../imports.js';
import { insertOrganization } from '../organizations.js';
import { pageOverflows, screenshot, signInThroughForm, unexpected } from './people-helpers.js';

/**
 * Importing a spreadsheet and exporting the record in the browser: a documenter meets a bad mapping, then
 * imports a CSV with a bad row (nothing imported, the row's problem shown and downloadable), imports again
 * skipping it, and exports the record as CSV.
 */
describe('import and export page', () => {
  let browser: Browser;
  let server: RunningApp;
  let shelter: string;
  let documenter: TestUser;

  const CSV =
    'Título,Fecha,Estado,Municipio,Agresión,Perpetrador,Relato\n' +
    'Patrullaje frente al albergue,05/03/2020,Sonora,Agua Prieta,Hostigamiento,GN,Dos patrullas de la Guardia Nacional.\n' +
    'Sin fecha,,Sonora,,Hostigamiento,GN,\n' +
    'Grabaron al personal en la entrada,12/04/2020,Sonora,Agua Prieta,Vigilancia,Guardia Nacional,\n';
  const file = (name: string, mimeType: string, text: string) => ({ name, mimeType, buffer: Buffer.from(text) });
  const csvFile = file('casos.csv', 'text/csv', CSV);
  const mappingFile = file('correspondencia.json', 'application/json', JSON.stringify(SPREADSHEET_MAPPING));
  const importsPath = () => `/api/v1/organizations/${shelter}/imports`;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    shelter = (await insertOrganization(server.database, { name: 'Albergue de Prueba', stateCode: '26' })).id;
    documenter = await createUser(server.database, { displayName: 'Documentadora', memberships: [{ organizationId: shelter, roles: ['documenter'] }] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(page: Page, who: TestUser): Promise<void> {
    await signInThroughForm(page, server.url, who);
    await page.waitForURL('**/cuenta');
  }

  const incidentCount = async () =>
    Number(
      (await server.database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', shelter).executeTakeFirstOrThrow()).n,
    );

  async function downloaded(download: Download): Promise<string> {
    const file = await download.path();
    return fs.readFileSync(file, 'utf8');
  }

  it('imports a CSV with a bad row, shows its problem, imports the valid rows, and exports them', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    await signIn(page, documenter);
    await page.goto(`${server.url}/incidentes`);
    await page.getByRole('link', { name: 'Importar o exportar incidentes' }).click();
    await page.waitForURL('**/incidentes/importar-exportar');
    await page.getByRole('heading', { level: 1, name: 'Importar y exportar incidentes' }).waitFor();
    // The documented example is offered as a file to start from.
    const example = await page.getByRole('link', { name: 'Descargar un ejemplo de correspondencia (JSON)' }).getAttribute('href');
    const exampleMapping = (await (await fetch(`${server.url}${example}`)).json()) as { version: number };
    expect(exampleMapping.version).toBe(1);

    const importForm = page.getByRole('form', { name: 'Importar desde una hoja de cálculo' });
    const csvInput = page.getByLabel('Hoja de cálculo (CSV)');
    const mappingInput = page.getByLabel('Correspondencia (JSON)');
    await csvInput.setInputFiles(csvFile);

    // A mapping that is not JSON is explained before anything is sent.
    await mappingInput.setInputFiles(file('correspondencia.json', 'application/json', '{ "version": 1,'));
    await importForm.getByRole('button', { name: 'Importar' }).click();
    await importForm.getByText('El archivo de correspondencia no es JSON válido.').waitFor();
    // One the server refuses is explained with the field it names.
    await mappingInput.setInputFiles(file('correspondencia.json', 'application/json', JSON.stringify({ ...SPREADSHEET_MAPPING, startDate: { column: 'Fecha', format: 'el día' } })));
    await importForm.getByRole('button', { name: 'Importar' }).click();
    const rejected = importForm.getByText('El servidor rechazó la correspondencia.');
    await rejected.waitFor();
    expect(await rejected.textContent()).toContain('startDate.format');
    expect(await incidentCount()).toBe(0);

    // All or nothing: the bad row stops the import, and is listed by row and column.
    await mappingInput.setInputFiles(mappingFile);
    const answer = page.waitForResponse((r) => r.url().endsWith(importsPath()) && r.request().method() === 'POST');
    await importForm.getByRole('button', { name: 'Importar' }).click();
    const response = await answer;
    expect(response.request().headers().accept).toContain('application/x-ndjson');
    expect(response.headers()['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const progress = page.getByRole('progressbar', { name: 'Avance de la importación' });
    await progress.waitFor();
    await importForm.getByRole('status').filter({ hasText: 'Revisión terminada.' }).waitFor();
    expect(await page.locator('#import-progress-count').textContent()).toBe('3 de 3 filas revisadas');
    await importForm.getByText('No se importó nada porque hay filas con problemas (1).', { exact: false }).waitFor();
    const table = page.getByRole('table', { name: 'Problemas por fila' });
    expect(await table.locator('tbody tr').allTextContents()).toEqual(['3Fechais empty']);
    expect(await incidentCount()).toBe(0);
    await screenshot(page, 'vigia-import-problems');

    // The problems as CSV, the file the command line's --report writes.
    const problemsDownload = page.waitForEvent('download');
    await importForm.getByRole('button', { name: 'Descargar los problemas (CSV)' }).click();
    const problemsFile = await problemsDownload;
    expect(problemsFile.suggestedFilename()).toBe('problemas-de-importacion.csv');
    expect(parse(await downloaded(problemsFile), { columns: true })).toEqual([{ row: '3', column: 'Fecha', problem: 'is empty' }]);

    // Skipping the bad row imports the two others.
    await page.getByLabel('Importar las filas válidas y omitir las demás').check();
    await importForm.getByRole('button', { name: 'Importar' }).click();
    await importForm.getByRole('status').filter({ hasText: 'Importación terminada.' }).waitFor();
    await importForm.getByText('Incidentes nuevos: 2. Se omitieron las filas con problemas: 1.').waitFor();
    expect(await page.locator('#import-progress-count').textContent()).toBe('2 de 2 filas importadas');
    expect(await incidentCount()).toBe(2);

    // Export as CSV, redacted by default: the file parses and holds both imported incidents.
    const exportForm = page.getByRole('form', { name: 'Exportar incidentes' });
    expect(await exportForm.getByLabel('Formato').inputValue()).toBe('csv');
    expect(await exportForm.getByLabel('Redactada: sin nombres, contactos ni coordenadas').isChecked()).toBe(true);
    const exportDownload = page.waitForEvent('download');
    await exportForm.getByRole('button', { name: 'Descargar' }).click();
    const exported = await exportDownload;
    expect(exported.suggestedFilename()).toMatch(/^incidents-\d{4}-\d{2}-\d{2}-redacted\.csv$/);
    const rows = parse(await downloaded(exported), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.title).sort()).toEqual(['Grabaron al personal en la entrada', 'Patrullaje frente al albergue']);
    expect(rows.every((r) => r.state_name === 'Sonora' && r.municipality_code === '26002')).toBe(true);
    await exportForm.getByText(`Se descargó ${exported.suggestedFilename()}.`).waitFor();
    const audit = await server.database.db.selectFrom('audit_log').select('details').where('action', '=', 'incidents.exported').where('organization_id', '=', shelter).execute();
    expect(audit.map((a) => a.details)).toEqual([{ format: 'csv', redacted: true, count: 2 }]);

    // The server-refused mapping was answered 400 on purpose; nothing else went wrong in the page.
    expect(unexpected(problems, [{ path: importsPath(), status: 400 }])).toEqual([]);
    await context.close();
  });

  it('says how large a file may be when the CSV is larger than the server accepts', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    await signIn(page, documenter);
    await page.goto(`${server.url}/incidentes/importar-exportar`);
    const row = 'Patrullaje frente al albergue,05/03/2020,Sonora,Agua Prieta,Hostigamiento,GN,\n';
    const big = CSV.split('\n')[0] + '\n' + row.repeat(Math.ceil((1.1 * 1024 * 1024) / row.length));
    await page.getByLabel('Hoja de cálculo (CSV)').setInputFiles(file('grande.csv', 'text/csv', big));
    await page.getByLabel('Correspondencia (JSON)').setInputFiles(mappingFile);
    await page.getByRole('button', { name: 'Importar' }).click();
    await page.getByText('El archivo es demasiado grande para importarlo desde el navegador: el servidor acepta hasta 1 MB.').waitFor();
    expect(await incidentCount()).toBe(2);
    expect(unexpected(problems, [{ path: importsPath(), status: 413 }])).toEqual([]);
    await context.close();
  });

  it('has no axe-core violations on the page with a report, in both languages, at 360 px', { timeout: 120_000 }, async () => {
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await signIn(page, documenter);
    await page.goto(`${server.url}/incidentes/importar-exportar`);
    await page.getByLabel('Hoja de cálculo (CSV)').setInputFiles(csvFile);
    await page.getByLabel('Correspondencia (JSON)').setInputFiles(mappingFile);
    await page.getByLabel('Solo revisar (no importar nada)').check();
    await page.getByRole('button', { name: 'Revisar el archivo' }).click();
    await page.getByRole('table', { name: 'Problemas por fila' }).waitFor();

    const scans: Record<string, string> = {};
    const overflow: Record<string, boolean> = {};
    scans.es = describeViolations(await axeViolations(page));
    overflow.es = await pageOverflows(page);
    await screenshot(page, 'vigia-import-es-360');

    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('table', { name: 'Problems by row' }).waitFor();
    await page.getByRole('progressbar', { name: 'Import progress' }).waitFor();
    await page.getByText('The file was only checked: nothing was imported.').waitFor();
    scans.en = describeViolations(await axeViolations(page));
    overflow.en = await pageOverflows(page);
    await screenshot(page, 'vigia-import-en-360');

    expect(scans).toEqual({ es: '', en: '' });
    expect(overflow).toEqual({ es: false, en: false });
    expect(await incidentCount()).toBe(2);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
