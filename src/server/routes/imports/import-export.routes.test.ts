import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import { createUser } from '../../../../test/auth.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { aguaPrietaDocument } from '../../../../test/incidents.js';
import { insertOrganization, userActor } from '../../../../test/organizations.js';
import { sessionHeaders } from '../../../../test/sessions.js';
import { SPREADSHEET_MAPPING } from '../../../../test/imports.js';
import { createApiToken } from '../../../commands/create-api-token.js';
import { generateTotpSecret } from '../../../auth/totp.js';
import { buildApp } from '../../app.js';

const SEALED = ['Albergue Ejemplo de Agua Prieta', 'Hermana Rosa', 'Coordinadora del albergue', '633 100 2000', '31.3275', '109.5489'];

describeEachEngine('import and export API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let shelter: string;
  let documenter: string;
  let exportToken: string;

  const get = async (url: string, headers?: Record<string, string>) => app.inject({ method: 'GET', url, headers: headers ?? (await sessionHeaders(database, documenter)) });
  const exportedActions = async () =>
    database.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'incidents.exported').where('organization_id', '=', shelter).orderBy('seq').execute();

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    shelter = (await insertOrganization(database, { stateCode: '26' })).id;
    documenter = (await createUser(database, { memberships: [{ organizationId: shelter, roles: ['documenter'] }] })).id;
    const admin = (await createUser(database, { memberships: [{ organizationId: shelter, roles: ['administrator'] }], totpSecret: generateTotpSecret() })).id;
    exportToken = (await createApiToken({ database, actor: userActor(admin, { [shelter]: ['administrator'] }), organizationId: shelter, name: 'Exportación', permissions: ['incidents:read', 'export:read'] })).secret;

    const headers = await sessionHeaders(database, documenter);
    const create = (overrides: Parameters<typeof aguaPrietaDocument>[0]) =>
      app.inject({ method: 'POST', url: `/api/v1/organizations/${shelter}/incidents`, headers, payload: { document: aguaPrietaDocument(overrides) } });
    expect((await create({})).statusCode).toBe(201);
    expect((await create({ title: '=HYPERLINK("http://malo.example","clic")', narrative: '+52 633 100 2000 llamó' })).statusCode).toBe(201);
  });

  it('imports a CSV sent as JSON, or reports its rows without importing', async () => {
    const headers = await sessionHeaders(database, documenter);
    const csv = 'Título,Fecha,Estado,Municipio,Agresión,Perpetrador,Relato\nPatrullaje frente al albergue,05/03/2020,Sonora,Agua Prieta,Hostigamiento,GN,\nSin fecha,,Sonora,,Hostigamiento,GN,\n';
    const url = `/api/v1/organizations/${shelter}/imports`;
    const refused = await app.inject({ method: 'POST', url, headers, payload: { csv, mapping: SPREADSHEET_MAPPING } });
    expect(refused.statusCode).toBe(200);
    expect(refused.json()).toEqual({ total: 2, valid: 1, invalid: 1, imported: 0, dryRun: false, problems: [{ row: 3, column: 'Fecha', problem: 'is empty' }] });
    const skipped = await app.inject({ method: 'POST', url, headers, payload: { csv, mapping: SPREADSHEET_MAPPING, skipInvalid: true } });
    expect(skipped.json()).toMatchObject({ total: 2, imported: 1 });
    const badMapping = await app.inject({ method: 'POST', url, headers, payload: { csv, mapping: { ...SPREADSHEET_MAPPING, startDate: { column: 'Fecha', format: 'el día' } } } });
    expect(badMapping.statusCode).toBe(400);
    expect(badMapping.json().error.details[0].field).toBe('mapping.startDate.format');
  });

  it('exports CSV that parses back, with formula cells neutralised and nothing sealed, and audits it', async () => {
    const before = (await exportedActions()).length;
    const response = await get(`/api/v1/organizations/${shelter}/incidents/export?format=csv`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="incidents-.*-redacted\.csv"/);
    const rows = parse(response.body, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const formula = rows.find((r) => r.title!.includes('HYPERLINK'))!;
    expect(formula.title).toBe(`'=HYPERLINK("http://malo.example","clic")`);
    // Not may_publish: the narrative is replaced by the title (neutralised too).
    expect(formula.narrative).toBe(formula.title);
    const agua = rows.find((r) => r.title === aguaPrietaDocument().title)!;
    expect(agua).toMatchObject({ state_code: '26', state_name: 'Sonora', municipality_code: '26002', municipality_name: 'Agua Prieta', act_types: 'ATTEMPTED_ENTRY; INFO_DEMAND; SURVEILLANCE', perpetrator_types: 'GN', start_date_precision: 'approximate' });
    for (const secret of SEALED) expect(response.body).not.toContain(secret);
    const audit = await exportedActions();
    expect(audit.length).toBe(before + 1);
    expect(audit.at(-1)).toMatchObject({ actor_id: documenter, details: { format: 'csv', redacted: true, count: rows.length } });
  });

  it('exports JSON and HURIDOCS ESF without sealed values when redacted', async () => {
    const json = await get(`/api/v1/organizations/${shelter}/incidents/export?format=json`);
    expect(json.statusCode).toBe(200);
    const body = json.json() as { count: number; incidents: { reference: string; document: { victims: { name: string | null }[] } }[] };
    expect(body.incidents).toHaveLength(body.count);
    expect(body.incidents[0]!.document.victims[0]!.name).toBeNull();
    const esf = await get(`/api/v1/organizations/${shelter}/incidents/export?format=esf`, { authorization: `Bearer ${exportToken}` });
    expect(esf.statusCode).toBe(200);
    const events = (esf.json() as { events: { acts: { typeOfAct: unknown }[]; involvements: { typeOfPerpetrator: unknown }[] }[] }).events;
    expect(events[0]!.acts[0]!.typeOfAct).toEqual({ code: 'ATTEMPTED_ENTRY', huridocsCode: '040101' });
    expect(events[0]!.involvements[0]!.typeOfPerpetrator).toMatchObject({ code: 'GN' });
    for (const secret of SEALED) {
      expect(json.body).not.toContain(secret);
      expect(esf.body).not.toContain(secret);
    }
  });

  it('refuses an unredacted export to a token (never allowed sealed fields), and audits one allowed to a documenter', async () => {
    const before = (await exportedActions()).length;
    const refused = await get(`/api/v1/organizations/${shelter}/incidents/export?format=json&redacted=false`, { authorization: `Bearer ${exportToken}` });
    expect(refused.statusCode).toBe(403);
    expect((await exportedActions()).length).toBe(before);

    const full = await get(`/api/v1/organizations/${shelter}/incidents/export?format=esf&redacted=false`);
    expect(full.statusCode).toBe(200);
    expect(full.body).toContain('Hermana Rosa Ejemplo');
    expect(full.body).toContain('+52 633 100 2000');
    const audit = await exportedActions();
    expect(audit.at(-1)).toMatchObject({ actor_id: documenter, details: { format: 'esf', redacted: false } });
  });
});
