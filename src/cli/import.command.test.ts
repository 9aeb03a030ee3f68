import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../test/db.js';
import { SPREADSHEET_MAPPING } from '../../test/imports.js';
import { insertOrganization, insertUser } from '../../test/organizations.js';
import { Keyring } from '../crypto/keyring.js';
import { loadMasterKeys } from '../crypto/master-keys.js';
import { runImportIncidents } from './import.command.js';

const CSV = [
  'Título,Fecha,Estado,Municipio,Agresión,Perpetrador,Relato',
  'Patrullaje frente al albergue,05/03/2020,Sonora,Agua Prieta,Hostigamiento,GN,',
  'Quema de la bodega,02/03/2020,Sonora,,Quemaron,GN,',
].join('\n');

describeEachEngine('vigia import incidents', (getDatabase) => {
  let database: TestDatabase;
  let keyring: Keyring;
  let slug: string;
  let email: string;
  let organizationId: string;
  let userId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-import-'));
  const file = path.join(dir, 'casos.csv');
  const mapping = path.join(dir, 'mapping.json');
  const reportFile = path.join(dir, 'report.csv');

  function output() {
    const out = { stdout: '', stderr: '' };
    return { out, streams: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t), isTTY: true } } };
  }
  const run = (options: { dryRun?: boolean; skipInvalid?: boolean }, streams: ReturnType<typeof output>['streams']) =>
    runImportIncidents({ database, keyring, file, options: { org: slug, mapping, as: email, report: reportFile, ...options }, output: streams });

  beforeAll(async () => {
    database = getDatabase();
    keyring = new Keyring(loadMasterKeys(testConfig()));
    const organization = await insertOrganization(database, { stateCode: '26' });
    slug = organization.slug;
    organizationId = organization.id;
    userId = await insertUser(database, { memberships: { [organizationId]: ['documenter'] } });
    email = (await database.db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email;
    fs.writeFileSync(file, CSV);
    fs.writeFileSync(mapping, JSON.stringify(SPREADSHEET_MAPPING));
  });

  it('fails, importing nothing, when a row is invalid; writes the report as CSV', async () => {
    const { out, streams } = output();
    await expect(run({}, streams)).rejects.toThrow('1 invalid row(s): nothing was imported (fix them, or use --skip-invalid).');
    expect(out.stdout).toContain('2 row(s) read: 1 valid, 1 invalid.');
    expect(out.stdout).toContain('row 3, Agresión: "Quemaron" has no translation');
    expect(parse(fs.readFileSync(reportFile, 'utf8'), { columns: true })).toEqual([
      { row: '3', column: 'Agresión', problem: '"Quemaron" has no translation in the mapping and the column has no default' },
    ]);
    const stored = await database.db.selectFrom('incidents').select('id').where('organization_id', '=', organizationId).execute();
    expect(stored).toEqual([]);
  });

  it('imports the valid rows with --skip-invalid as the named documenter, drawing progress on a terminal', async () => {
    const { out, streams } = output();
    const report = await run({ skipInvalid: true }, streams);
    expect(report.imported).toBe(1);
    expect(out.stdout).toContain(`Imported 1 incident(s)`);
    expect(out.stdout).toContain(`as ${email}`);
    expect(out.stderr).toContain('\rImporting [');
    const audit = await database.db.selectFrom('audit_log').select(['actor_type', 'actor_id']).where('action', '=', 'incidents.imported').where('organization_id', '=', organizationId).execute();
    expect(audit).toEqual([{ actor_type: 'user', actor_id: userId }]);
  });

  it('refuses someone who is not a documenter of the organization', async () => {
    const outsider = await insertUser(database);
    const outsiderEmail = (await database.db.selectFrom('users').select('email').where('id', '=', outsider).executeTakeFirstOrThrow()).email;
    const { streams } = output();
    await expect(runImportIncidents({ database, keyring, file, options: { org: slug, mapping, as: outsiderEmail }, output: streams })).rejects.toThrow('There is no such organization.');
  });
});
