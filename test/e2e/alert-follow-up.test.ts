import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, mexicoCityDate } from '../../src/commands/alert-requests.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { loadMasterKeys } from '../../src/crypto/master-keys.js';
import type { AlertContent } from '../../src/domain/alert.js';
import { alertNetwork } from '../alert-drafting.js';
import { createUser, type TestUser } from '../auth.js';
import { launchBrowser, openPage, scanPages, startWebApp, type RunningApp } from '../browser.js';
import { testConfig } from '../config.js';
import { sessionHeaders } from '../sessions.js';
import { newTotpSecret, signInThroughForm, signInWithTwoFactor, unexpected } from './people-helpers.js';

const COMAR = { es: 'Comisión Mexicana de Ayuda a Refugiados', en: 'Mexican Commission for Refugee Assistance' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/**
 * The accountability of an alert, end to end in the browser: a documenter ticks incidents in the search
 * and drafts an alert from them, adds an addressee in the editor; once published, a reviewer records
 * when a request was sent and an authority's answer with its PDF on the follow-up page, which then says
 * which request is answered, which overdue and which awaiting; the public alert shows the answer and
 * links the document. In Spanish and English, axe-clean at 360 px.
 */
describe('alert follow-up pages', () => {
  let browser: Browser;
  let server: RunningApp;
  let networkId: string;
  let titles: string[];
  let documenter: TestUser;
  const reviewers: { user: TestUser; secret: string }[] = [];

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    const net = await alertNetwork(server.database, new Keyring(loadMasterKeys(testConfig())));
    networkId = net.networkId;
    titles = ['Guardia Nacional filma al personal del albergue en Agua Prieta', 'Policía Federal intenta una revisión migratoria en Saltillo'];
    await net.verifiedIncident({ title: titles[0]! });
    await net.verifiedIncident({ title: titles[1]!, place: { stateCode: '05', municipalityCode: '05030', placeType: 'MIGRANT_SHELTER' }, startDate: { date: '2019-07-20', precision: 'day' } });
    documenter = await createUser(server.database, { displayName: 'Documentadora del Consejo', memberships: [{ organizationId: networkId, roles: ['documenter'] }] });
    for (const name of ['Revisora Uno', 'Revisor Dos', 'Revisora Tres']) {
      const secret = newTotpSecret();
      reviewers.push({ user: await createUser(server.database, { displayName: name, memberships: [{ organizationId: networkId, roles: ['reviewer'] }], totpSecret: secret }), secret });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Sends the alert through review and publication by API, as the drafting tests already cover those pages. */
  async function publish(alertId: string): Promise<string> {
    const call = async (user: TestUser, step: string) => {
      const response = await server.app.inject({ method: 'POST', url: `/api/v1/alerts/${alertId}/${step}`, headers: await sessionHeaders(server.database, user.id), payload: {} });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { slug: string | null };
    };
    await call(documenter, 'submit');
    await call(reviewers[1]!.user, 'approve');
    await call(reviewers[2]!.user, 'approve');
    return (await call(reviewers[0]!.user, 'publish')).slug!;
  }

  async function draftFromSearch(page: Page, box: (title: string) => string, button: string): Promise<string> {
    await page.goto(`${server.url}/incidentes`);
    for (const title of titles) await page.getByRole('checkbox', { name: box(title) }).check();
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL(/\/redaccion\/[0-9a-f-]{36}$/);
    return new URL(page.url()).pathname.split('/').pop()!;
  }

  it('drafts from the search, adds an addressee, follows up the answers and shows them publicly', { timeout: 240_000 }, async () => {
    // The documenter: incidents ticked in the search → a draft; an addressee added and saved as a version.
    const { context, page, problems } = await openPage(browser);
    await signInThroughForm(page, server.url, documenter);
    await page.waitForURL('**/cuenta');
    await page.goto(`${server.url}/incidentes`);
    await page.getByText('Selecciona incidentes verificados para redactar una alerta con ellos.').waitFor();
    const alertId = await draftFromSearch(page, (title) => `Seleccionar «${title}» para una alerta`, 'Redactar alerta con las seleccionadas');
    const stored = await server.database.db.selectFrom('alerts').select(['network_id', 'incident_ids']).where('id', '=', alertId).executeTakeFirstOrThrow();
    expect(stored.network_id).toBe(networkId);
    expect(stored.incident_ids).toHaveLength(2);

    const add = page.getByRole('group', { name: 'Añadir un destinatario' });
    // The draft already addresses the foreign ministry: a second time is refused in words.
    await add.getByLabel('Institución', { exact: true }).selectOption('SRE');
    expect(await add.getByLabel('Nombre en español').inputValue()).toBe('Secretaría de Relaciones Exteriores');
    expect(await add.getByLabel('Nombre en inglés').inputValue()).toBe('Ministry of Foreign Affairs');
    await add.getByRole('button', { name: 'Añadir el destinatario' }).click();
    await add.getByText('Secretaría de Relaciones Exteriores ya es destinatario de esta alerta.').waitFor();
    // The refugee commission is not in the vocabulary: added by its code and names.
    await add.getByLabel('Institución', { exact: true }).selectOption({ label: 'Otra institución' });
    await add.getByLabel('Clave de la institución').fill('comar');
    await add.getByLabel('Nombre en español').fill(COMAR.es);
    await add.getByLabel('Nombre en inglés').fill(COMAR.en);
    await add.getByRole('button', { name: 'Añadir el destinatario' }).click();
    await add.getByText(`Se añadió a ${COMAR.es}.`).waitFor();
    await page.getByRole('button', { name: 'Guardar una nueva versión' }).click();
    await page.getByRole('status').filter({ hasText: 'Se guardó una nueva versión.' }).waitFor();
    const saved = await server.database.db.selectFrom('alerts').select(['version', 'content']).where('id', '=', alertId).executeTakeFirstOrThrow();
    expect(saved.version).toBe(2);
    const addressees = (saved.content as AlertContent).addressees;
    expect(addressees.filter((a) => a.code === 'COMAR')).toEqual([{ code: 'COMAR', name: COMAR, stateCode: null }]);
    expect(unexpected(problems)).toEqual([]);
    await context.close();

    const slug = await publish(alertId);
    const inm = addressees.find((a) => a.code === 'INM')!;

    // A reviewer, from the editor to the follow-up page.
    const reviewer = await openPage(browser);
    await signInWithTwoFactor(reviewer.page, server.url, reviewers[0]!.user, reviewers[0]!.secret);
    await reviewer.page.waitForURL('**/cuenta');
    await reviewer.page.goto(`${server.url}/redaccion/${alertId}`);
    await reviewer.page.getByRole('link', { name: 'Seguimiento de las autoridades' }).click();
    await reviewer.page.waitForURL(`**/redaccion/${alertId}/seguimiento`);
    const comar = reviewer.page.getByRole('region', { name: COMAR.es });
    const inmRegion = reviewer.page.getByRole('region', { name: inm.name.es });
    await comar.getByText('En espera de respuesta').waitFor();

    // The INM's letter went 60 days ago by e-mail: its time has run out.
    const sentOn = addDays(mexicoCityDate(new Date()), -60);
    await inmRegion.getByLabel('Fecha de envío').fill(sentOn);
    await inmRegion.getByLabel('Medio de envío').selectOption('email');
    await inmRegion.getByRole('button', { name: 'Guardar el envío' }).click();
    await reviewer.page.getByRole('status').filter({ hasText: `Se guardó el envío a ${inm.name.es}` }).waitFor();
    await inmRegion.getByText('Vencida: sin respuesta después del plazo').waitFor();
    expect(await inmRegion.textContent()).toContain('Correo electrónico');

    // The refugee commission answered with a letter, published with the alert.
    await comar.getByLabel('Resumen de la respuesta (público)').fill('La COMAR informa que turnó la alerta al INM y a la Guardia Nacional.');
    await comar.getByLabel('Documento de la autoridad (opcional)').setInputFiles({ name: 'oficio-comar.pdf', mimeType: 'application/pdf', buffer: PDF });
    await comar.getByLabel('Publicar el documento junto a la alerta').check();
    await comar.getByRole('button', { name: 'Registrar la respuesta' }).click();
    await reviewer.page.getByRole('status').filter({ hasText: `Se registró la respuesta de ${COMAR.es}.` }).waitFor();
    await comar.getByText('Respondida', { exact: true }).waitFor();
    expect(await comar.textContent()).toContain('La COMAR informa que turnó la alerta');
    const download = comar.getByRole('link', { name: /Descargar el documento de la respuesta del .* \(PDF\)/ });
    const fetched = await reviewer.page.request.get(new URL((await download.getAttribute('href'))!, server.url).toString());
    expect(fetched.status()).toBe(200);
    expect(Buffer.from(await fetched.body()).equals(PDF)).toBe(true);
    expect(await reviewer.page.getByText('En espera de respuesta').count()).toBeGreaterThan(0);
    expect(unexpected(reviewer.problems)).toEqual([]);

    // In English, the same page says the same in its words.
    await reviewer.page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => reviewer.page.getAttribute('html', 'lang')).toBe('en');
    await reviewer.page.getByRole('region', { name: inm.name.en }).getByText('Overdue: no answer after the due date').waitFor();
    await reviewer.page.getByRole('region', { name: COMAR.en }).getByText('Answered', { exact: true }).waitFor();
    await reviewer.context.close();

    // The public alert: answered with the summary and a link to the letter; overdue said in words.
    const reader = await openPage(browser, { viewport: { width: 360, height: 740 } });
    await reader.page.goto(`${server.url}/alertas/${slug}`);
    const section = reader.page.getByRole('region', { name: 'Respuesta de las autoridades' });
    const answered = section.getByRole('listitem').filter({ hasText: COMAR.es });
    await answered.waitFor();
    expect(await answered.textContent()).toContain('La COMAR informa que turnó la alerta al INM y a la Guardia Nacional.');
    const letter = answered.getByRole('link', { name: new RegExp(`Documento de la respuesta de ${COMAR.es} del .* \\(PDF\\)`) });
    const publicCopy = await reader.page.request.get(new URL((await letter.getAttribute('href'))!, server.url).toString());
    expect(publicCopy.status()).toBe(200);
    expect(publicCopy.headers()['content-type']).toBe('application/pdf');
    expect(await section.getByRole('listitem').filter({ hasText: inm.name.es }).textContent()).toContain('Sin respuesta, plazo vencido');
    await reader.page.goto(`${server.url}/en/alerts/${slug}`);
    await reader.page.getByRole('link', { name: new RegExp(`Document of the answer from ${COMAR.en} of .* \\(PDF\\)`) }).waitFor();
    expect(unexpected(reader.problems)).toEqual([]);
    await reader.context.close();

    // In English the search drafts too; then the new page and the search are scanned at 360 px in both languages.
    const small = await openPage(browser, { viewport: { width: 360, height: 740 } });
    // Another reviewer: the first one's code of this half-minute is spent.
    await signInWithTwoFactor(small.page, server.url, reviewers[1]!.user, reviewers[1]!.secret);
    await small.page.waitForURL('**/cuenta');
    const scans: Record<string, { violations: string; sideways: boolean }> = {};
    for (const language of ['es', 'en'] as const) {
      if (language === 'en') {
        await small.page.getByRole('button', { name: 'English' }).click();
        await expect.poll(() => small.page.getAttribute('html', 'lang')).toBe('en');
        const draft = await draftFromSearch(small.page, (title) => `Select “${title}” for an alert`, 'Draft an alert from the selected incidents');
        expect(draft).not.toBe(alertId);
      }
      const scanned = await scanPages(small.page, server.url, [
        [`/redaccion/${alertId}/seguimiento`, 'section.follow-up'],
        ['/incidentes', 'input[type="checkbox"][id^="select-"]'],
      ]);
      for (const [path, result] of Object.entries(scanned)) scans[`${language} ${path}`] = result;
    }
    expect(scans).toEqual(Object.fromEntries(Object.keys(scans).map((name) => [name, { violations: '', sideways: false }])));
    expect(unexpected(small.problems)).toEqual([]);
    await small.context.close();
  });
});
