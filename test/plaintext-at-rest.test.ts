import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { solveChallenge } from '../src/domain/proof-of-work.js';
import { buildApp } from '../src/server/app.js';
import { createUser } from './auth.js';
import { testConfig } from './config.js';
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from './db.js';
import { aguaPrietaDocument } from './incidents.js';
import { insertOrganization } from './organizations.js';
import { sessionHeaders } from './sessions.js';

/*
 * The values that identify people or places must never be readable from what an attacker who copies the
 * disk or a database dump would hold, nor from the logs. Each is typed through the API like a user would,
 * then looked for, byte for byte, in the PGlite data directory or a pg_dump, and in every log line.
 * A plain value (the title) is looked for too and must be found: it proves the search can see plaintext.
 */
const SECRETS = {
  victimName: 'Zacarías Quintanilla Ybarra',
  sourceName: 'Eulalia Fonseca Treviño',
  sourceContact: '+52 999 321 7788',
  reporterContact: 'zq-contacto-seguro@example.org',
  testimonyName: 'Prudencio Valadez Ocampo',
  latitude: '31.339871',
  longitude: '-109.547713',
  // A reviewer's authenticator key (base32), sealed under the master key as enrolment stores it.
  totpSecret: 'KRUGKIDUN5ZGC3DJNZSSA33GEB3GSZ3J',
};
const CONTROL_TITLE = `Título de control ${randomUUID()}`;

function documentWithSecrets() {
  const doc = aguaPrietaDocument({ title: CONTROL_TITLE });
  return {
    ...doc,
    place: { ...doc.place, coordinates: { lat: Number(SECRETS.latitude), lon: Number(SECRETS.longitude) } },
    victims: doc.victims!.map((v) => (v.id === 'v2' ? { ...v, name: SECRETS.victimName } : v)),
    sources: [{ id: 's1', sourceType: 'VICTIM_TESTIMONY', name: SECRETS.sourceName, contact: SECRETS.sourceContact }],
  };
}

/** Files a public report and documents an incident with every kind of sensitive value, through the API. */
async function writeSensitiveData(app: FastifyInstance, database: Database): Promise<void> {
  const network = (await insertOrganization(database, { kind: 'network' })).id;
  await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', network).execute();
  const documenter = await createUser(database, { memberships: [{ organizationId: network, roles: ['documenter'] }] });
  await createUser(database, { memberships: [{ organizationId: network, roles: ['reviewer'] }], totpSecret: SECRETS.totpSecret });
  const challenge = (await app.inject({ method: 'POST', url: '/api/v1/public/reports/challenges' })).json() as { challenge: string; bits: number };
  const report = await app.inject({
    method: 'POST',
    url: '/api/v1/public/reports',
    payload: {
      whatHappened: `La Guardia Nacional detuvo a ${SECRETS.testimonyName} frente al albergue.`,
      contact: SECRETS.reporterContact,
      consent: { mayContact: true, mayPublish: false },
      receiptSecret: randomBytes(32).toString('base64url'),
      pow: { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, challenge.bits) },
    },
  });
  expect(report.statusCode, report.body).toBe(201);
  const headers = await sessionHeaders(database, documenter.id);
  const created = await app.inject({ method: 'POST', url: `/api/v1/organizations/${network}/incidents`, headers, payload: { document: documentWithSecrets() } });
  expect(created.statusCode, created.body).toBe(201);
  // Reads that open the sealed fields, and a refused request carrying them, must not log them either.
  const opened = await app.inject({ method: 'GET', url: `/api/v1/incidents/${created.json().id}?include=sensitive`, headers });
  expect(opened.json().document.victims[1].name).toBe(SECRETS.victimName);
  const refused = await app.inject({ method: 'PUT', url: `/api/v1/incidents/${created.json().id}`, headers, payload: { expectedVersion: 99, document: documentWithSecrets() } });
  expect(refused.statusCode).toBe(409);
}

function expectNoSecrets(haystack: Buffer, where: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(haystack.includes(Buffer.from(value, 'utf8')), `${name} found in plain text in ${where}`).toBe(false);
  }
}

function readTree(dir: string): Buffer {
  const parts: Buffer[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) parts.push(fs.readFileSync(path.join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

function captureLogs(): { stream: { write(line: string): void }; text: () => string } {
  const lines: string[] = [];
  return { stream: { write: (line: string) => void lines.push(line) }, text: () => lines.join('') };
}

describe('sensitive values at rest and in logs [pglite]', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-plaintext-'));
  const logs = captureLogs();
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    // A persisted copy of the suite's prepared template: the files on disk are what is inspected.
    database = await openDatabase({ engine: 'pglite', dataDir: path.join(dataDir, 'db'), loadDataDir: new Blob([fs.readFileSync(inject('pgliteTemplate'))]) });
    app = await buildApp({ config: testConfig({ VIGIA_LOG_LEVEL: 'trace', VIGIA_DATA_DIR: dataDir }), database, logStream: logs.stream });
    await app.ready();
    await writeSensitiveData(app, database);
    await app.close();
    await database.close();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every sensitive value out of the data directory, which does hold the plain title', () => {
    const tree = readTree(dataDir);
    expect(tree.includes(Buffer.from(CONTROL_TITLE, 'utf8')), 'the control value should be readable').toBe(true);
    expectNoSecrets(tree, 'the PGlite data directory');
  });

  it('keeps every sensitive value out of the logs', () => {
    expect(logs.text()).toContain('"reqId"');
    expectNoSecrets(Buffer.from(logs.text(), 'utf8'), 'the logs');
  });
});

describe.runIf(TEST_DATABASE_URL)('sensitive values at rest [postgres]', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    await writeSensitiveData(app, database);
  });
  afterAll(async () => {
    await app.close();
    await database.dispose();
  });

  it('keeps every sensitive value out of a pg_dump, which does hold the plain title', async () => {
    const schema = (await database.db.selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s')).executeTakeFirstOrThrow()).s;
    const dump = spawnSync('pg_dump', ['--dbname', TEST_DATABASE_URL!, '--schema', schema, '--data-only'], { maxBuffer: 256 * 1024 * 1024 });
    expect(dump.status, dump.stderr.toString()).toBe(0);
    expect(dump.stdout.includes(Buffer.from(CONTROL_TITLE, 'utf8'))).toBe(true);
    expectNoSecrets(dump.stdout, 'pg_dump');
  });
});
