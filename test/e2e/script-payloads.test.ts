import { randomBytes, randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solveChallenge } from '../../src/domain/proof-of-work.js';
import { createUser } from '../auth.js';
import { launchBrowser, openPage, startWebApp, type RunningApp } from '../browser.js';
import { aguaPrietaDocument } from '../incidents.js';
import { insertOrganization } from '../organizations.js';
import { SPREADSHEET_MAPPING } from '../imports.js';
import { photoWithGps } from '../photos.js';
import { testSession } from '../sessions.js';
import { callApi, payload, payloadPages } from './script-payloads-helpers.js';

/*
 * Script payloads in every free-text field of the reporting and documentation pages, rendered on every
 * page that shows them, in a real browser (issue 7 item 4; the helpers say how a payload is caught).
 * Alerts, early warning, webhooks, the audit viewer and the account page: script-payloads-alerts.test.ts.
 */

const M = {
  network: 'XSSNET',
  shelter: 'XSSORG',
  person: 'XSSUSER',
  whatHappened: 'XSSWHAT',
  shelterName: 'XSSSHELTER',
  who: 'XSSWHO',
  contact: 'XSSCONTACT',
  addition: 'XSSADDITION',
  question: 'XSSQUESTION',
  title: 'XSSTITLE',
  narrative: 'XSSNARRATIVE',
  victim: 'XSSVICTIM',
  unit: 'XSSUNIT',
  source: 'XSSSOURCE',
  note: 'XSSNOTE',
  editedTitle: 'XSSEDITED',
  fileName: 'XSSFILE',
  cell: 'XSSCELL',
} as const;

describe('script payloads in free text, on every page that shows it', () => {
  let browser: Browser;
  let server: RunningApp;
  let session: { token: string; csrf: string };
  let ids: { shelter: string; report: string; incident: string; receiptCode: string; secret: string; evidence: string };
  let pages: ReturnType<typeof payloadPages>;

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, body?: object) => callApi(server.app, session, method, url, body);

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startWebApp()]);
    pages = payloadPages(browser, server.url);
    const { database } = server;
    // Names are stored as given (an import or an administrator could write them); the pages must cope.
    const network = (await insertOrganization(database, { kind: 'network', name: payload(M.network) })).id;
    // A second network, so the public form lets the reporter choose between them by name.
    const otherNetwork = (await insertOrganization(database, { kind: 'network', name: `${payload(M.network).slice(0, 100)}2` })).id;
    await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', 'in', [network, otherNetwork]).execute();
    const shelter = (await insertOrganization(database, { name: payload(M.shelter), stateCode: '26' })).id;
    const user = await createUser(database, {
      displayName: payload(M.person),
      totpSecret: 'JBSWY3DPEHPK3PXP',
      memberships: [
        { organizationId: shelter, roles: ['documenter', 'reviewer', 'administrator'] },
        { organizationId: network, roles: ['documenter'] },
      ],
    });
    session = await testSession(database, user.id);

    // An anonymous report with a payload in every free-text field, an addition, and a triager's question.
    const { challenge, bits } = (await server.app.inject({ method: 'POST', url: '/api/v1/public/reports/challenges', remoteAddress: '10.1.1.1' })).json() as { challenge: string; bits: number };
    const secret = randomBytes(32).toString('base64url');
    const filed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      remoteAddress: '10.1.1.1',
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        organizationId: network,
        whatHappened: payload(M.whatHappened),
        when: { date: '2019-06-28', precision: 'day' },
        where: { stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER', shelterName: payload(M.shelterName) },
        who: { perpetratorType: 'GN', description: payload(M.who) },
        contact: payload(M.contact),
        consent: { mayContact: true, mayPublish: false },
        receiptSecret: secret,
        pow: { challenge, nonce: solveChallenge(challenge, bits) },
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const { receiptCode } = filed.json() as { receiptCode: string };
    await server.app.inject({ method: 'POST', url: '/api/v1/public/reports/additions', payload: { receiptCode, secret, text: payload(M.addition) } });
    const report = await database.db.selectFrom('reports').select('id').where('receipt_code', '=', receiptCode).executeTakeFirstOrThrow();
    await api('POST', `/api/v1/reports/${report.id}/resolution`, { outcome: 'needs_information', message: payload(M.question) });

    // An incident with payloads in its text, names and units, edited once (a diff), with a note, in review.
    const document = aguaPrietaDocument({
      title: payload(M.title),
      narrative: payload(M.narrative),
      victims: [{ id: 'v1', kind: 'organization', name: payload(M.victim), characteristics: ['HUMAN_RIGHTS_ORGANIZATION'] }],
      acts: [{ id: 'a1', actType: 'ATTEMPTED_ENTRY', victimId: 'v1' }],
      involvements: [{ id: 'i1', actId: 'a1', perpetratorType: 'GN', unit: payload(M.unit) }],
      sources: [{ id: 's1', sourceType: 'VICTIM_TESTIMONY', connection: 'VICTIM', reliability: 'HIGH', name: payload(M.source) }],
    });
    const incident = await api('POST', `/api/v1/organizations/${shelter}/incidents`, { document });
    await api('PUT', `/api/v1/incidents/${String(incident.id)}`, { expectedVersion: incident.version, document: { ...document, title: payload(M.editedTitle) } });
    await api('POST', `/api/v1/incidents/${String(incident.id)}/notes`, { body: payload(M.note) });
    await api('POST', `/api/v1/incidents/${String(incident.id)}/workflow`, { step: 'submit' });
    // Evidence whose sender-given name and description are payloads.
    const photo = await photoWithGps();
    const started = await api('POST', `/api/v1/incidents/${String(incident.id)}/evidence`, { length: photo.length, fileName: payload(M.fileName), description: payload('XSSDESC') });
    const chunk = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/evidence/${String(started.id)}/upload`,
      headers: { cookie: `vigia_session=${session.token}`, 'x-csrf-token': session.csrf, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      payload: photo,
    });
    expect(chunk.statusCode, chunk.body).toBe(200);
    ids = { shelter, report: report.id, incident: String(incident.id), receiptCode, secret, evidence: String(started.id) };
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens a page signed in (the default) or not, and expects every marker as text and nothing run. */
  const visit = (path: string, markers: readonly string[], prepare?: (page: Page) => Promise<void>, signedIn = true) =>
    pages.visit(path, markers, { prepare, session: signedIn ? session.token : undefined });

  it('would see a payload that became markup: the check itself catches an injected one', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser);
    try {
      await page.goto(`${server.url}/reportar`);
      await page.evaluate(`document.body.insertAdjacentHTML('beforeend', ${JSON.stringify(payload('CONTROL'))})`);
      await page.waitForTimeout(300);
      // The CSP blocks the inline handler and script, and says so; the elements are there to count.
      expect(await page.evaluate(`document.querySelectorAll('img[src="x"], svg[onload]').length`)).toBe(2);
      expect(problems.some((p) => p.kind === 'csp')).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('shows the network names on the public report form as text', { timeout: 60_000 }, async () => {
    await visit('/reportar', [M.network], undefined, false);
  });

  it("shows a triager's question on the receipt page as text", { timeout: 60_000 }, async () => {
    await visit('/recibo', [M.question], async (page) => {
      await page.getByLabel('Código del recibo').fill(ids.receiptCode);
      await page.getByLabel('Clave').fill(ids.secret);
      await page.getByRole('button', { name: 'Consultar' }).click();
    }, false);
  });

  it('shows a report in the triage inbox (codes, dates and organization names) and on its page as text', { timeout: 60_000 }, async () => {
    await visit('/bandeja', [M.network, M.shelter, M.person]);
    await visit(`/bandeja/${ids.report}`, [M.whatHappened, M.shelterName, M.who, M.contact]);
  });

  it('shows an incident in search, on its page (its sealed names too, once shown), its history and the review queue as text', { timeout: 120_000 }, async () => {
    await visit('/incidentes', [M.editedTitle]);
    await visit(`/incidentes/${ids.incident}`, [M.editedTitle, M.narrative, M.note, M.unit]);
    // Names are sealed until shown (an audited read); shown, they are text too.
    await visit(`/incidentes/${ids.incident}`, [M.victim, M.source], (page) => page.getByRole('button', { name: 'Mostrar nombres y contactos' }).click());
    // The history, with the edit's diff opened: both titles, old and new, in words.
    await visit(`/incidentes/${ids.incident}/historial`, [M.person, M.title, M.editedTitle], (page) =>
      page.locator('.history-entry').filter({ hasText: 'Versión 2: Edición del registro' }).getByText('Cambios respecto a la versión 1').click(),
    );
    await visit('/revision', [M.editedTitle]);
  });

  it('keeps the editor inert: the payloads sit in form fields as values', { timeout: 60_000 }, async () => {
    const opened = await pages.open(session.token);
    try {
      await opened.page.goto(`${server.url}/incidentes/${ids.incident}/editar`);
      await pages.expectInFields(opened, M.editedTitle, 'incident editor');
    } finally {
      await opened.context.close();
    }
  });

  it("shows evidence's sender-given name on the incident, and the custody log's names, as text", { timeout: 60_000 }, async () => {
    await visit(`/evidencias/${ids.evidence}`, [M.person]);
    await visit(`/incidentes/${ids.incident}`, [M.fileName], (page) => page.getByRole('button', { name: 'Mostrar nombres y contactos' }).click());
  });

  it('shows a hostile cell echoed in the import problem report as text', { timeout: 60_000 }, async () => {
    const csv = `Título,Fecha,Estado,Municipio,Agresión,Perpetrador,Relato\nVisita nocturna,05/03/2020,${payload(M.cell)},Agua Prieta,Hostigamiento,GN,\n`;
    await visit('/incidentes/importar-exportar', [M.cell], async (page) => {
      await page.getByLabel('Hoja de cálculo (CSV)').setInputFiles({ name: 'incidentes.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.getByLabel('Correspondencia (JSON)').setInputFiles({ name: 'correspondencia.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SPREADSHEET_MAPPING)) });
      await page.getByRole('form', { name: 'Importar desde una hoja de cálculo' }).getByRole('button', { name: 'Importar' }).click();
      await page.getByRole('table', { name: 'Problemas por fila' }).waitFor();
    });
  });

  it("shows the organization's and its people's names on its page and in the menu as text", { timeout: 60_000 }, async () => {
    await visit(`/organizaciones/${ids.shelter}`, [M.shelter, M.person]);
  });
});
