import { Readable } from 'node:stream';
import { beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../test/db.js';
import { insertOrganization, insertUser, userActor } from '../../test/organizations.js';
import { Keyring } from '../crypto/keyring.js';
import { loadMasterKeys } from '../crypto/master-keys.js';
import type { IncidentDocument } from '../domain/incident.js';
import { SPREADSHEET_MAPPING } from '../../test/imports.js';
import { verifyAuditChain } from '../audit/audit-log.js';
import { importIncidents } from './import-incidents.js';

const HEADER = 'Título,Fecha,Estado,Municipio,Agresión,Perpetrador,Relato';
const GOOD_ROWS = [
  '"Guardia Nacional intenta ingresar al albergue",27/06/2019,Sonora,Agua Prieta,Intento de ingreso,Guardia Nacional,"Pidieron listas, filmaron."',
  'Patrullaje frente al albergue,05/03/2020,chiapas,Tapachula,Hostigamiento; Vigilancia,Guardia Nacional; Policía municipal,',
];
const BAD_ROWS = [
  'Visita del INM,31/02/2020,Sonora,,Hostigamiento,GN,',
  'Amenazas por teléfono,01/03/2020,Cohauila,,Amenaza,GN,',
  'Quema de la bodega,02/03/2020,Coahuila,,Quemaron,GN,',
  'Revisión en la puerta,03/03/2020,Coahuila,Agua Prieta,Hostigamiento,GN,',
  ',04/03/2020,Chiapas,Tapachula,Hostigamiento,GN,',
];

function csv(...rows: string[]): () => Readable {
  return () => Readable.from([[HEADER, ...rows].join('\r\n') + '\r\n']);
}

describeEachEngine('importIncidents', (getDatabase) => {
  let database: TestDatabase;
  let keyring: Keyring;
  let organizationId: string;
  let actor: ReturnType<typeof userActor>;

  async function count() {
    const row = await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('organization_id', '=', organizationId).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const run = (openCsv: () => Readable, options: { dryRun?: boolean; skipInvalid?: boolean; mapping?: unknown } = {}) =>
    importIncidents({ database, keyring, actor, organizationId, openCsv, mapping: options.mapping ?? SPREADSHEET_MAPPING, dryRun: options.dryRun, skipInvalid: options.skipInvalid, batchSize: 1 });

  beforeAll(async () => {
    database = getDatabase();
    keyring = new Keyring(loadMasterKeys(testConfig()));
    organizationId = (await insertOrganization(database, { stateCode: '26' })).id;
    const userId = await insertUser(database, { memberships: { [organizationId]: ['documenter'] } });
    actor = userActor(userId, { [organizationId]: ['documenter'] });
  });

  it('reports each bad row by its spreadsheet row and column, and imports nothing without skipInvalid', async () => {
    const before = await count();
    const report = await run(csv(GOOD_ROWS[0]!, ...BAD_ROWS, GOOD_ROWS[1]!));
    expect(report).toMatchObject({ total: 7, valid: 2, invalid: 5, imported: 0 });
    expect(report.problems).toEqual([
      { row: 3, column: 'Fecha', problem: '"31/02/2020" is not a date written DD/MM/YYYY' },
      { row: 4, column: 'Estado', problem: `"Cohauila" is not a Mexican state's name or INEGI code` },
      { row: 5, column: 'Agresión', problem: '"Quemaron" has no translation in the mapping and the column has no default' },
      { row: 6, column: 'Municipio', problem: '"Agua Prieta" is not a municipality of Coahuila (05)' },
      { row: 7, column: 'Título', problem: 'is empty' },
    ]);
    expect(await count()).toBe(before);
  });

  it('stores nothing on a dry run, even when every row is valid', async () => {
    const before = await count();
    const auditBefore = await database.db.selectFrom('audit_log').select('seq').execute();
    const report = await run(csv(...GOOD_ROWS), { dryRun: true });
    expect(report).toMatchObject({ total: 2, valid: 2, invalid: 0, imported: 0, dryRun: true, problems: [] });
    expect(await count()).toBe(before);
    expect((await database.db.selectFrom('audit_log').select('seq').execute()).length).toBe(auditBefore.length);
  });

  it('imports the valid rows with skipInvalid, each created, versioned and audited, with one import entry', async () => {
    const before = await count();
    const report = await run(csv(GOOD_ROWS[0]!, BAD_ROWS[0]!, GOOD_ROWS[1]!), { skipInvalid: true });
    expect(report).toMatchObject({ total: 3, valid: 2, invalid: 1, imported: 2 });
    expect(report.problems.map((p) => p.row)).toEqual([3]);
    expect(await count()).toBe(before + 2);

    const rows = await database.db.selectFrom('incidents').selectAll().where('organization_id', '=', organizationId).orderBy('reference', 'desc').limit(2).execute();
    const patrol = rows.find((r) => r.title === 'Patrullaje frente al albergue')!;
    expect(patrol).toMatchObject({ state_code: '07', municipality_code: '07089', act_types: ['HARASSMENT', 'SURVEILLANCE'], perpetrator_types: ['GN', 'POL_MUN'], created_by: actor.userId });
    const document = patrol.document as IncidentDocument;
    expect(document.involvements.map((i) => `${i.actId}:${i.perpetratorType}`)).toEqual(['a1:GN', 'a1:POL_MUN', 'a2:GN', 'a2:POL_MUN']);
    expect(document.startDate).toEqual({ date: '2020-03-05', precision: 'day' });
    const versions = await database.db.selectFrom('incident_versions').select('incident_id').where('incident_id', 'in', rows.map((r) => r.id)).execute();
    expect(versions).toHaveLength(2);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_id', 'details']).where('organization_id', '=', organizationId).orderBy('seq', 'desc').limit(3).execute();
    expect(audit.map((a) => a.action)).toEqual(['incidents.imported', 'incident.created', 'incident.created']);
    expect(audit[0]).toMatchObject({ actor_id: actor.userId, details: { total: 3, valid: 2, invalid: 1, imported: 2, skipInvalid: true } });
  });

  it('imports a whole valid file in one go', async () => {
    const before = await count();
    const report = await run(csv(...GOOD_ROWS));
    expect(report).toMatchObject({ total: 2, valid: 2, invalid: 0, imported: 2, problems: [] });
    expect(await count()).toBe(before + 2);
  });

  it('imports a file larger than a batch in one transaction: every incident versioned and audited in file order, the chain intact', async () => {
    const before = await count();
    const progress: [number, number | null, string][] = [];
    const rows = Array.from({ length: 5 }, (_, i) => GOOD_ROWS[i % 2]!.replace(/^("?)/, `$1${i + 1}. `));
    const report = await importIncidents({ database, keyring, actor, organizationId, openCsv: csv(...rows), mapping: SPREADSHEET_MAPPING, batchSize: 2, onProgress: (...p) => progress.push(p) });
    expect(report).toMatchObject({ total: 5, valid: 5, imported: 5 });
    expect(progress.filter((p) => p[2] === 'importing')).toEqual([[2, 5, 'importing'], [4, 5, 'importing'], [5, 5, 'importing']]);
    expect(await count()).toBe(before + 5);
    const created = await database.db.selectFrom('incidents').select(['id', 'title', 'reference']).where('organization_id', '=', organizationId).orderBy('reference', 'desc').limit(5).execute();
    expect(created.reverse().map((r) => r.title.split('.')[0])).toEqual(['1', '2', '3', '4', '5']);
    const references = created.map((r) => Number(r.reference.slice(4)));
    expect(references).toEqual(references.map((_, i) => references[0]! + i));
    const versions = await database.db.selectFrom('incident_versions').select(['incident_id', 'version']).where('incident_id', 'in', created.map((r) => r.id)).execute();
    expect(versions).toHaveLength(5);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('organization_id', '=', organizationId).orderBy('seq', 'desc').limit(6).execute();
    expect(audit.reverse().map((a) => a.subject_id)).toEqual([...created.map((r) => r.id), organizationId]);
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true });
  });

  it('reports a NUL character in a cell against its row and column instead of failing the import', async () => {
    const before = await count();
    const report = await run(csv(GOOD_ROWS[0]!, 'Visita\u0000 nocturna,05/03/2020,Sonora,Agua Prieta,Hostigamiento,GN,'), { skipInvalid: true });
    expect(report).toMatchObject({ total: 2, valid: 1, invalid: 1, imported: 1 });
    expect(report.problems).toEqual([{ row: 3, column: 'Título', problem: 'holds a NUL character (\\u0000), which cannot be stored' }]);
    expect(await count()).toBe(before + 1);
  });

  it('builds a month-precision date from a year column and a month column', async () => {
    const mapping = { ...SPREADSHEET_MAPPING, startDate: { yearColumn: 'Año', monthColumn: 'Mes' } };
    const open = () => Readable.from(['Título,Año,Mes,Estado,Municipio,Agresión,Perpetrador,Relato\nHostigamiento en julio,2019,julio,26,002,Hostigamiento,,\n']);
    const report = await run(open, { mapping, skipInvalid: true });
    expect(report).toMatchObject({ imported: 1, problems: [] });
    const row = await database.db.selectFrom('incidents').selectAll().where('organization_id', '=', organizationId).orderBy('reference', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ start_date: '2019-07-01', date_precision: 'month', municipality_code: '26002', perpetrator_types: ['UNKNOWN'] });
  });

  it('names a mapped column the file does not have, against the header', async () => {
    const open = () => Readable.from(['Título,Fecha\nAlgo pasó,01/01/2020\n']);
    const report = await run(open, { skipInvalid: true });
    expect(report.imported).toBe(0);
    expect(report.problems).toContainEqual({ row: 1, column: 'Estado', problem: 'is not a column of the file (check the header)' });
  });

  it('refuses someone who may not document for the organization', async () => {
    const reporter = userActor(await insertUser(database, { memberships: { [organizationId]: ['reporter'] } }), { [organizationId]: ['reporter'] });
    await expect(importIncidents({ database, keyring, actor: reporter, organizationId, openCsv: csv(...GOOD_ROWS), mapping: SPREADSHEET_MAPPING })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
