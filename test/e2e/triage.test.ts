import { randomBytes, randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from '../../src/domain/proof-of-work.js';
import { createUser, type TestUser } from '../auth.js';
import { axeViolations, describeViolations, launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { insertOrganization } from '../organizations.js';
import { pageOverflows, pathOf, screenshot, signInThroughForm, unexpected } from './people-helpers.js';

const TESTIMONY =
  'El 27 de junio llegaron elementos de la Guardia Nacional al albergue en Agua Prieta, Sonora. Intentaron entrar, pidieron la lista de personas albergadas y de donantes, y nos filmaron.';

describe('triage and the incident editor', () => {
  let browser: Browser;
  let server: RunningApp;
  let network: string;
  let documenter: TestUser;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    network = (await insertOrganization(server.database, { kind: 'network', name: 'Red de Prueba' })).id;
    await server.database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', network).execute();
    documenter = await createUser(server.database, {
      displayName: 'Documentadora de Prueba',
      memberships: [{ organizationId: network, roles: ['documenter'] }],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Files a report the way the public form does, proof of work included; returns its id and receipt code. */
  async function publicReport(): Promise<{ id: string; receiptCode: string }> {
    const challenge = (await (await fetch(`${server.url}/api/v1/public/reports/challenges`, { method: 'POST' })).json()) as {
      challenge: string;
      bits: number;
    };
    const response = await fetch(`${server.url}/api/v1/public/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        whatHappened: TESTIMONY,
        when: { date: '2019-06-27', precision: 'day' },
        where: { stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER', shelterName: 'Albergue Ejemplo' },
        who: { perpetratorType: null, description: 'dos patrullas' },
        consent: { mayContact: false, mayPublish: true },
        receiptSecret: randomBytes(32).toString('base64url'),
        pow: { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, challenge.bits) },
      }),
    });
    expect(response.status).toBe(201);
    const { receiptCode } = (await response.json()) as { receiptCode: string };
    const row = await server.database.db.selectFrom('reports').select('id').where('receipt_code', '=', receiptCode).executeTakeFirstOrThrow();
    return { id: row.id, receiptCode };
  }

  async function signIn(page: Page): Promise<void> {
    await signInThroughForm(page, server.url, documenter);
    await page.waitForURL('**/cuenta');
  }

  it('opens a report from the inbox, accepts its suggestions and turns it into a saved incident', { timeout: 120_000 }, async () => {
    const report = await publicReport();
    const { context, page, problems } = await openPage(browser);
    await signIn(page);

    await page.goto(`${server.url}/bandeja`);
    const card = page.getByRole('listitem').filter({ hasText: `Reporte ${report.receiptCode}` });
    await card.waitFor();
    expect(await card.textContent()).toContain('Agua Prieta, Sonora');
    expect(await card.textContent()).toContain('Formulario público');
    expect(await card.textContent()).not.toContain('Guardia');
    await card.getByRole('link', { name: `Reporte ${report.receiptCode}` }).click();
    await page.waitForURL(`**/bandeja/${report.id}`);

    // The words behind the suggestion are marked, and the mark says what they suggest.
    const mark = page.locator('mark').filter({ hasText: 'sugiere: Guardia Nacional' });
    await mark.first().waitFor();
    expect(await mark.first().textContent()).toContain('Guardia Nacional');
    await screenshot(page, 'vigia-triage-report');

    // Accept every suggestion; the chips say they are accepted.
    await page.getByRole('button', { name: 'Aceptar Guardia Nacional' }).click();
    expect(await page.getByRole('button', { name: 'Aceptar Guardia Nacional' }).getAttribute('aria-pressed')).toBe('true');
    const accept = page.getByRole('button', { name: /^Aceptar / });
    for (let i = 0; i < (await accept.count()); i += 1) await accept.nth(i).click();

    await page.getByRole('link', { name: 'Crear incidente' }).click();
    await page.waitForURL(`**/bandeja/${report.id}/incidente`);
    const title = page.getByLabel('Título');
    await title.waitFor();
    expect(await title.inputValue()).toBe('El 27 de junio llegaron elementos de la Guardia Nacional…');
    expect(await page.getByLabel('Relato', { exact: true }).inputValue()).toBe(TESTIMONY);
    expect(await page.locator('#f-victims-0-name').inputValue()).toBe('Albergue Ejemplo');
    expect(await page.locator('#f-acts-0-victimId').inputValue()).toBe('v1');
    expect(await page.locator('#f-involvements-0-perpetratorType').inputValue()).toBe('GN');
    await expect.poll(() => page.locator('#f-place-municipalityCode').inputValue()).toBe('26002');
    await page.getByRole('button', { name: 'Guardar el incidente' }).click();

    await page.waitForURL('**/incidentes/*/editar');
    await page.getByRole('status').filter({ hasText: 'guardado.' }).waitFor();
    await page.getByRole('heading', { name: 'Calificación jurídica' }).waitFor();
    expect(await page.getByText('Esta consulta queda registrada', { exact: false }).count()).toBe(1);
    await screenshot(page, 'vigia-incident-saved');

    const incidentId = pathOf(page).split('/')[2]!;
    const incident = await server.database.db
      .selectFrom('incidents')
      .select(['organization_id', 'title'])
      .where('id', '=', incidentId)
      .executeTakeFirstOrThrow();
    expect(incident.organization_id).toBe(network);
    const row = await server.database.db.selectFrom('reports').select(['status', 'incident_id']).where('id', '=', report.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'incident_created', incident_id: incidentId });
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it('says beside an act that it names no victim, without sending the record', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    await signIn(page);
    const before = await server.database.db.selectFrom('incidents').select('id').execute();
    await page.goto(`${server.url}/incidentes/nuevo`);
    await page.getByLabel('Título').fill('Amenaza en el albergue');
    await page.locator('#f-startDate').fill('2024-05-02');
    await page.locator('#f-place-stateCode').selectOption('07');
    await page.getByRole('button', { name: 'Añadir un acto' }).click();
    await page.locator('#f-acts-0-actType').selectOption('THREAT');
    await page.getByRole('button', { name: 'Guardar el incidente' }).click();

    const victim = page.locator('#f-acts-0-victimId');
    await page.getByText('Elija la víctima de este acto.').waitFor();
    expect(await victim.getAttribute('aria-invalid')).toBe('true');
    expect(await victim.getAttribute('aria-describedby')).toContain('f-acts-0-victimId-error');
    expect(await victim.evaluate((element) => element === (element.ownerDocument.activeElement as unknown))).toBe(true);
    expect(await page.getByRole('alert').filter({ hasText: 'Revise los campos marcados' }).count()).toBe(1);
    expect(await server.database.db.selectFrom('incidents').select('id').execute()).toHaveLength(before.length);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });

  it('has no axe-core violations on the inbox, the report and the editor, in both languages, at 360 px', { timeout: 120_000 }, async () => {
    const report = await publicReport();
    const { context, page, problems } = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await signIn(page);
    const scans: Record<string, string> = {};
    const overflow: Record<string, boolean> = {};
    async function scan(name: string, ready: () => Promise<unknown>): Promise<void> {
      await ready();
      scans[name] = describeViolations(await axeViolations(page));
      overflow[name] = await pageOverflows(page);
      await screenshot(page, `vigia-${name.replace(/\W+/g, '-')}-360`);
    }
    for (const language of ['es', 'en'] as const) {
      if (language === 'en') {
        await page.getByRole('button', { name: 'English' }).click();
        await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
      }
      const t =
        language === 'es'
          ? { report: `Reporte ${report.receiptCode}`, suggests: 'sugiere: Guardia Nacional', save: 'Guardar el incidente' }
          : { report: `Report ${report.receiptCode}`, suggests: 'suggests: National Guard', save: 'Save the incident' };
      await page.goto(`${server.url}/bandeja`);
      await scan(`${language} inbox`, () => page.getByRole('link', { name: t.report }).waitFor());
      await page.goto(`${server.url}/bandeja/${report.id}`);
      await scan(`${language} report`, () => page.locator('mark').filter({ hasText: t.suggests }).first().waitFor());
      await page.goto(`${server.url}/bandeja/${report.id}/incidente`);
      await scan(`${language} editor`, async () => {
        await page.getByRole('button', { name: t.save }).waitFor();
        // The vocabularies arrive after the form: scan once the selects are labelled.
        await expect.poll(() => page.locator('#f-place-placeType option').count()).toBeGreaterThan(2);
      });
    }
    expect(scans).toEqual({
      'es inbox': '', 'es report': '', 'es editor': '',
      'en inbox': '', 'en report': '', 'en editor': '',
    });
    expect(Object.entries(overflow).filter(([, wide]) => wide)).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
    await context.close();
  });
});
