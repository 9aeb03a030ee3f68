import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createUser } from '../../../../test/auth.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { aguaPrietaDocument } from '../../../../test/incidents.js';
import { insertOrganization } from '../../../../test/organizations.js';
import { sessionHeaders } from '../../../../test/sessions.js';
import { generateTotpSecret } from '../../../auth/totp.js';
import { solveChallenge } from '../../../domain/proof-of-work.js';
import { buildApp } from '../../app.js';

const AGUA_PRIETA = 'El 27 de junio llegaron elementos de la Guardia Nacional al albergue en Agua Prieta, Sonora. Intentaron entrar, pidieron la lista de personas albergadas y de donantes, y nos filmaron.';

describeEachEngine('triage API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let network: string;
  let shelter: string;
  const people: Record<string, string> = {};

  async function call(name: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
    return app.inject({ method, url, headers: await sessionHeaders(database, people[name]!), ...(payload === undefined ? {} : { payload: payload as object }) });
  }

  async function publicReport(text: string, date = '2019-06-27') {
    const challenge = (await app.inject({ method: 'POST', url: '/api/v1/public/reports/challenges' })).json() as { challenge: string; bits: number };
    const secret = randomBytes(32).toString('base64url');
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        whatHappened: text,
        when: { date, precision: 'day' },
        where: { stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER', shelterName: '' },
        who: { perpetratorType: 'GN', description: '' },
        contact: 'correo-seguro@example.org',
        consent: { mayContact: false, mayPublish: true },
        receiptSecret: secret,
        pow: { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, challenge.bits) },
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const { receiptCode } = response.json() as { receiptCode: string };
    const row = await database.db.selectFrom('reports').select('id').where('receipt_code', '=', receiptCode).executeTakeFirstOrThrow();
    return { id: row.id, receiptCode, secret };
  }

  async function receiptStatus(receipt: { receiptCode: string; secret: string }) {
    return (await app.inject({ method: 'POST', url: '/api/v1/public/reports/status', payload: { receiptCode: receipt.receiptCode, secret: receipt.secret } })).json();
  }

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    network = (await insertOrganization(database, { kind: 'network' })).id;
    shelter = (await insertOrganization(database, { stateCode: '26' })).id;
    await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', network).execute();
    people.documenter = (await createUser(database, { memberships: [{ organizationId: network, roles: ['documenter'] }] })).id;
    people.reporter = (await createUser(database, { memberships: [{ organizationId: shelter, roles: ['reporter'] }] })).id;
    people.otherReviewer = (await createUser(database, { memberships: [{ organizationId: shelter, roles: ['reviewer'] }], totpSecret: generateTotpSecret() })).id;
  });

  it('opens a report with suggestions read from its words and likely duplicates, audited', async () => {
    const first = await publicReport(AGUA_PRIETA);
    const second = await publicReport('Guardia Nacional intentó entrar al albergue de Agua Prieta y pidió la lista de donantes. Nos filmaron.', '2019-06-28');

    const inbox = await call('documenter', 'GET', `/api/v1/organizations/${network}/reports`);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.json().data.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(JSON.stringify(inbox.json())).not.toContain('Guardia');

    const opened = await call('documenter', 'GET', `/api/v1/reports/${second.id}`);
    expect(opened.statusCode, opened.body).toBe(200);
    const report = opened.json();
    expect(report.contact).toBe(''); // the reporter did not allow contact
    const codes = (list: { code: string }[]) => list.map((s) => s.code);
    expect(codes(report.suggestions.perpetratorTypes)).toContain('GN');
    expect(codes(report.suggestions.actTypes)).toEqual(expect.arrayContaining(['ATTEMPTED_ENTRY', 'INFO_DEMAND', 'SURVEILLANCE']));
    expect(codes(report.suggestions.municipalities)).toContain('26002');
    const gn = report.suggestions.perpetratorTypes.find((s: { code: string }) => s.code === 'GN');
    expect(report.whatHappened.slice(gn.evidence[0].start, gn.evidence[0].end)).toBe(gn.evidence[0].text);
    expect(report.duplicates[0]).toMatchObject({ kind: 'report', id: first.id });
    expect(report.duplicates[0].reasons).toEqual(expect.arrayContaining(['same_place', 'close_dates', 'similar_text']));

    const audit = await database.db.selectFrom('audit_log').select('action').where('subject_id', '=', second.id).where('action', '=', 'report.read').execute();
    expect(audit).toHaveLength(1);
  });

  it('turns a report into an incident, attaches a duplicate, and tells each reporter only their status', async () => {
    const first = await publicReport(AGUA_PRIETA);
    const duplicate = await publicReport(`${AGUA_PRIETA} Otra persona del albergue lo confirma.`);
    const created = await call('documenter', 'POST', `/api/v1/reports/${first.id}/incident`, { document: aguaPrietaDocument() });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ organizationId: network, mayPublish: true, status: 'reported' });
    expect((await call('documenter', 'POST', `/api/v1/reports/${first.id}/incident`, { document: aguaPrietaDocument() })).statusCode).toBe(409);
    expect((await receiptStatus(first)).status).toBe('in_review');

    const attached = await call('documenter', 'POST', `/api/v1/reports/${duplicate.id}/attach`, { incidentId: created.json().id });
    expect(attached.statusCode).toBe(204);
    const row = await database.db.selectFrom('reports').select(['status', 'incident_id']).where('id', '=', duplicate.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'attached', incident_id: created.json().id });
  });

  it('asks the reporter a question they read on their receipt, and their answer brings the report back', async () => {
    const report = await publicReport(AGUA_PRIETA);
    const asked = await call('documenter', 'POST', `/api/v1/reports/${report.id}/resolution`, { outcome: 'needs_information', message: '¿Cuántos elementos eran y en qué vehículos?' });
    expect(asked.statusCode).toBe(204);
    expect(await receiptStatus(report)).toMatchObject({ status: 'needs_information', question: '¿Cuántos elementos eran y en qué vehículos?' });
    const stored = await database.db.selectFrom('reports').select('resolution_sealed').where('id', '=', report.id).executeTakeFirstOrThrow();
    expect(stored.resolution_sealed).not.toContain('vehículos');
    await app.inject({ method: 'POST', url: '/api/v1/public/reports/additions', payload: { receiptCode: report.receiptCode, secret: report.secret, text: 'Eran ocho, en dos camionetas.' } });
    const reopened = (await call('documenter', 'GET', `/api/v1/reports/${report.id}`)).json();
    expect(reopened.status).toBe('new');
    expect(reopened.additions.map((a: { text: string }) => a.text)).toEqual(['Eran ocho, en dos camionetas.']);

    const rejected = await call('documenter', 'POST', `/api/v1/reports/${report.id}/resolution`, { outcome: 'rejected', message: 'Fuera del ámbito de la red' });
    expect(rejected.statusCode).toBe(204);
    expect((await receiptStatus(report)).status).toBe('closed');
  });

  it('lets a shelter member file a report with a receipt, but not triage', async () => {
    const filed = await call('reporter', 'POST', `/api/v1/organizations/${shelter}/reports`, {
      whatHappened: 'Policías municipales se estacionaron frente al albergue toda la noche.',
      actTypes: ['INTIMIDATION'],
      who: { perpetratorType: 'POL_MUN', description: 'una patrulla' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await call('reporter', 'GET', `/api/v1/organizations/${shelter}/reports`)).statusCode).toBe(403);
    const inbox = await call('otherReviewer', 'GET', `/api/v1/organizations/${shelter}/reports`);
    expect(inbox.json().data.map((r: { id: string }) => r.id)).toEqual([filed.json().id]);
    expect((await call('documenter', 'GET', `/api/v1/reports/${filed.json().id}`)).statusCode).toBe(404);
    // Filing again about the same night: the reporter reads their own report back, but not what else the
    // organization holds (the duplicates name other reports and incidents); a triager sees them.
    const again = await call('reporter', 'POST', `/api/v1/organizations/${shelter}/reports`, {
      whatHappened: 'Policías municipales se estacionaron frente al albergue toda la noche otra vez.',
      who: { perpetratorType: 'POL_MUN', description: '' },
    });
    const own = await call('reporter', 'GET', `/api/v1/reports/${again.json().id}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().duplicates).toEqual([]);
    const triaged = await call('otherReviewer', 'GET', `/api/v1/reports/${again.json().id}`);
    expect(triaged.json().duplicates.map((d: { id: string }) => d.id)).toContain(filed.json().id);
    const badCode = await call('reporter', 'POST', `/api/v1/organizations/${shelter}/reports`, { whatHappened: 'Algo pasó en la puerta del albergue.', actTypes: ['NOPE'] });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.details[0].field).toBe('actTypes.0');
  });
});
