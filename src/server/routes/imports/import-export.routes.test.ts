import type { FastifyInstance } from 'fastify';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
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

  describe('with progress (Accept: application/x-ndjson)', () => {
    const url = () => `/api/v1/organizations/${shelter}/imports`;
    const HEADER = 'Título,Fecha,Estado,Municipio,Agresión,Perpetrador,Relato\n';
    const validRow = (n: number) => `Patrullaje ${n} frente al albergue,05/03/2020,Sonora,Agua Prieta,Hostigamiento,GN,\n`;
    const rows = (count: number) => Array.from({ length: count }, (_, i) => validRow(i + 1)).join('');
    type Line = { type: 'progress'; phase: 'validating' | 'importing'; done: number; total: number | null } | ({ type: 'report' } & Record<string, unknown>) | { type: 'error'; error: Record<string, unknown> };

    const importWithProgress = async (payload: object, accept = 'application/x-ndjson') =>
      app.inject({ method: 'POST', url: url(), headers: { ...(await sessionHeaders(database, documenter)), accept }, payload });
    const linesOf = (body: string): Line[] => {
      expect(body.endsWith('\n')).toBe(true);
      return body.trimEnd().split('\n').map((text) => JSON.parse(text) as Line);
    };
    const progressOf = (lines: Line[]) => lines.filter((l): l is Extract<Line, { type: 'progress' }> => l.type === 'progress');

    it('streams validation progress, then the same report as the JSON answer', async () => {
      const csv = `${HEADER}${rows(450)}Sin fecha,,Sonora,,Hostigamiento,GN,\n`;
      const streamed = await importWithProgress({ csv, mapping: SPREADSHEET_MAPPING, dryRun: true });
      expect(streamed.statusCode).toBe(200);
      expect(streamed.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
      expect(streamed.headers['cache-control']).toBe('no-store');
      const lines = linesOf(streamed.body);
      const progress = progressOf(lines);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((p) => p.phase === 'validating')).toBe(true);
      // Counting as it goes: the total is unknown until the last row, and the count never goes back.
      expect(progress.slice(0, -1).every((p) => p.total === null)).toBe(true);
      expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
      expect(progress.at(-1)).toEqual({ type: 'progress', phase: 'validating', done: 451, total: 451 });
      expect(lines.filter((l) => l.type !== 'progress')).toHaveLength(1);
      const { type, ...report } = lines.at(-1) as Extract<Line, { type: 'report' }>;
      expect(type).toBe('report');
      const plain = await importWithProgress({ csv, mapping: SPREADSHEET_MAPPING, dryRun: true }, 'application/json');
      expect(plain.headers['content-type']).toContain('application/json');
      expect(report).toEqual(plain.json());
      expect(report).toMatchObject({ total: 451, valid: 450, invalid: 1, imported: 0, dryRun: true, problems: [{ row: 452, column: 'Fecha', problem: 'is empty' }] });
    });

    it('streams the import phase when importing, and the count imported', async () => {
      const before = await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', shelter).executeTakeFirstOrThrow();
      const csv = `${HEADER}${rows(3)}Sin fecha,,Sonora,,Hostigamiento,GN,\n`;
      const lines = linesOf((await importWithProgress({ csv, mapping: SPREADSHEET_MAPPING, skipInvalid: true })).body);
      const phases = progressOf(lines).map((p) => p.phase);
      // Validation comes first; whatever lines the client saw, the import's come after.
      expect(phases.indexOf('importing')).toBeGreaterThanOrEqual(0);
      expect(phases.slice(phases.indexOf('importing')).every((p) => p === 'importing')).toBe(true);
      expect(progressOf(lines).at(-1)).toEqual({ type: 'progress', phase: 'importing', done: 3, total: 3 });
      expect(lines.at(-1)).toMatchObject({ type: 'report', total: 4, valid: 3, invalid: 1, imported: 3, dryRun: false });
      const after = await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', shelter).executeTakeFirstOrThrow();
      expect(Number(after.n) - Number(before.n)).toBe(3);
    });

    it('answers failures before progress with their usual status and error shape', async () => {
      const csv = `${HEADER}${rows(1)}`;
      const badMapping = await importWithProgress({ csv, mapping: { ...SPREADSHEET_MAPPING, startDate: { column: 'Fecha', format: 'el día' } } });
      expect(badMapping.statusCode).toBe(400);
      expect(badMapping.headers['content-type']).toContain('application/json');
      expect(badMapping.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'mapping.startDate.format' }] });

      const elsewhere = await insertOrganization(database, { stateCode: '05' });
      const hidden = await app.inject({
        method: 'POST',
        url: `/api/v1/organizations/${elsewhere.id}/imports`,
        headers: { ...(await sessionHeaders(database, documenter)), accept: 'application/x-ndjson' },
        payload: { csv, mapping: SPREADSHEET_MAPPING },
      });
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().error).toMatchObject({ code: 'NOT_FOUND', requestId: hidden.headers['x-request-id'] });
    });

    it('ends with an error line when the file breaks after progress began', async () => {
      // An unclosed quote after 250 good rows: the parser fails only when it reaches the end of the file.
      const csv = `${HEADER}${rows(250)}"Sin cerrar,05/03/2020,Sonora,Agua Prieta,Hostigamiento,GN,\n`;
      const response = await importWithProgress({ csv, mapping: SPREADSHEET_MAPPING, dryRun: true });
      expect(response.statusCode).toBe(200);
      const lines = linesOf(response.body);
      expect(progressOf(lines).length).toBeGreaterThan(0);
      expect(lines.at(-1)).toMatchObject({
        type: 'error',
        error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('not valid CSV'), requestId: response.headers['x-request-id'] },
      });
    });

    it('refuses a CSV larger than the body limit, saying the limit', async () => {
      const csv = `${HEADER}${validRow(1).repeat(Math.ceil(1.1 * 1024 * 1024 / validRow(1).length))}`;
      const response = await importWithProgress({ csv, mapping: SPREADSHEET_MAPPING, dryRun: true });
      expect(response.statusCode).toBe(413);
      expect(response.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: testConfig().bodyLimitBytes } });
    });
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
