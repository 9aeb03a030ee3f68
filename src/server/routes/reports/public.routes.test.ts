import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { insertOrganization } from '../../../../test/organizations.js';
import { solveChallenge } from '../../../domain/proof-of-work.js';
import type { ReportSealed } from '../../../domain/report.js';
import { Keyring } from '../../../crypto/keyring.js';
import { loadMasterKeys } from '../../../crypto/master-keys.js';
import type { Config } from '../../config.js';
import { buildApp } from '../../app.js';

const TESTIMONY = 'Elementos de la Guardia Nacional intentaron entrar al albergue y pidieron la lista de personas albergadas.';
const CONTACT = 'señal +52 633 100 2000';

describeEachEngine('public reports API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let config: Config;
  let networkId: string;

  async function solvedPow(ip = '10.0.0.1') {
    const response = await app.inject({ method: 'POST', url: '/api/v1/public/reports/challenges', remoteAddress: ip });
    expect(response.statusCode).toBe(201);
    const { challenge, bits } = response.json() as { challenge: string; bits: number };
    return { challenge, nonce: solveChallenge(challenge, bits) };
  }

  function reportBody(overrides: Record<string, unknown> = {}) {
    return {
      whatHappened: TESTIMONY,
      when: { date: '2019-06-28', precision: 'day' },
      where: { stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER', shelterName: 'Albergue de prueba' },
      who: { perpetratorType: 'GN', description: 'dos camionetas, ocho elementos' },
      contact: CONTACT,
      consent: { mayContact: true, mayPublish: false },
      receiptSecret: randomBytes(32).toString('base64url'),
      ...overrides,
    };
  }

  async function send(body: Record<string, unknown>, key = randomUUID(), ip = '10.0.0.1') {
    return app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      headers: { 'idempotency-key': key },
      remoteAddress: ip,
      payload: { pow: await solvedPow(ip), ...body },
    });
  }

  beforeAll(async () => {
    database = getDatabase();
    config = testConfig({ VIGIA_REPORTS_PER_HOUR_PER_ADDRESS: '3' });
    app = await buildApp({ config, database });
    await app.ready();
    const network = await insertOrganization(database, { kind: 'network', name: 'Consejo de prueba' });
    networkId = network.id;
    await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', networkId).execute();
  });

  it('lists the networks that take public reports', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/public/intake' });
    expect(response.json()).toEqual({ organizations: [{ id: networkId, name: 'Consejo de prueba' }] });
  });

  it('files a report with a receipt, seals its text, and records no address', async () => {
    const body = reportBody();
    const response = await send(body, randomUUID(), '10.0.0.2');
    expect(response.statusCode, response.body).toBe(201);
    const receipt = response.json() as { receiptCode: string; status: string };
    expect(receipt.receiptCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(receipt.status).toBe('received');

    const row = await database.db.selectFrom('reports').selectAll().where('receipt_code', '=', receipt.receiptCode).executeTakeFirstOrThrow();
    expect(row.organization_id).toBe(networkId);
    expect(row.channel).toBe('public');
    expect(row.state_code).toBe('26');
    expect(JSON.stringify(row)).not.toContain('Guardia Nacional');
    expect(JSON.stringify(row)).not.toContain('633 100');
    const keyring = new Keyring(loadMasterKeys(config));
    const sealed = await keyring.openJson<ReportSealed>(database.db, networkId, `report:${row.id}`, row.sealed);
    expect(sealed).toMatchObject({ whatHappened: TESTIMONY, contact: CONTACT, shelterName: 'Albergue de prueba' });

    const audit = await database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', row.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'report.filed', actor_type: 'anonymous', ip: null, user_agent: null });
    const throttle = await database.db.selectFrom('intake_throttle').select('bucket').execute();
    expect(JSON.stringify(throttle)).not.toContain('10.0.0.2');
  });

  it('answers a retry with the same key and secret with the same receipt, filing once', async () => {
    const body = reportBody();
    const key = randomUUID();
    const first = await send(body, key, '10.0.0.3');
    const again = await send(body, key, '10.0.0.3');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json().receiptCode).toBe(first.json().receiptCode);
    const count = await database.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).where('idempotency_key', '=', key).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const other = await send(reportBody(), key, '10.0.0.3');
    expect(other.statusCode).toBe(409);
  });

  it('refuses a spent, forged or missing proof of work', async () => {
    const pow = await solvedPow('10.0.0.4');
    const ok = await app.inject({ method: 'POST', url: '/api/v1/public/reports', remoteAddress: '10.0.0.4', payload: { ...reportBody(), pow } });
    expect(ok.statusCode).toBe(201);
    const spent = await app.inject({ method: 'POST', url: '/api/v1/public/reports', remoteAddress: '10.0.0.4', payload: { ...reportBody(), pow } });
    expect(spent.statusCode).toBe(400);
    expect(spent.json().error).toMatchObject({ code: 'POW_INVALID', details: { reason: 'spent' } });
    const forged = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      remoteAddress: '10.0.0.4',
      payload: { ...reportBody(), pow: { challenge: pow.challenge.replace(/.$/, 'A'), nonce: pow.nonce } },
    });
    expect(forged.json().error.code).toBe('POW_INVALID');
    const missing = await app.inject({ method: 'POST', url: '/api/v1/public/reports', payload: reportBody() });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(missing.json().error.message).toContain('pow');
  });

  it('names each wrong field, including codes and places the catalogue does not know, and stores nothing', async () => {
    const before = await database.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const short = await send(reportBody({ whatHappened: 'corto' }), randomUUID(), '10.0.0.5');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toContain('whatHappened');
    const codes = await send(
      reportBody({ where: { stateCode: '26', municipalityCode: '26999', placeType: 'CASTLE', shelterName: '' }, who: { perpetratorType: 'ALIENS', description: '' } }),
      randomUUID(),
      '10.0.0.5',
    );
    expect(codes.statusCode).toBe(400);
    const fields = (codes.json().error.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['where.municipalityCode', 'where.placeType', 'who.perpetratorType']);
    const after = await database.db.selectFrom('reports').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('limits reports per address per hour with a Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await send(reportBody(), randomUUID(), '10.0.0.6')).statusCode).toBe(201);
    const refused = await send(reportBody(), randomUUID(), '10.0.0.6');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await send(reportBody(), randomUUID(), '10.0.0.7')).statusCode).toBe(201);
  });

  it('shows the status to the receipt holder only, and takes added information', async () => {
    const body = reportBody();
    const filed = (await send(body, randomUUID(), '10.0.0.8')).json() as { receiptCode: string };
    const status = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports/status',
      payload: { receiptCode: filed.receiptCode.toLowerCase(), secret: body.receiptSecret },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ receiptCode: filed.receiptCode, status: 'received', question: null, additions: [] });

    const wrongSecret = await app.inject({ method: 'POST', url: '/api/v1/public/reports/status', payload: { receiptCode: filed.receiptCode, secret: 'x'.repeat(43) } });
    const wrongCode = await app.inject({ method: 'POST', url: '/api/v1/public/reports/status', payload: { receiptCode: 'AAAA-AAAA-AAAA', secret: body.receiptSecret } });
    expect(wrongSecret.statusCode).toBe(404);
    expect(wrongCode.statusCode).toBe(404);
    expect(wrongSecret.json().error.message).toBe(wrongCode.json().error.message);

    const added = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports/additions',
      payload: { receiptCode: filed.receiptCode, secret: body.receiptSecret, text: 'Regresaron al día siguiente.' },
    });
    expect(added.statusCode).toBe(201);
    const later = await app.inject({ method: 'POST', url: '/api/v1/public/reports/status', payload: { receiptCode: filed.receiptCode, secret: body.receiptSecret } });
    expect(later.json().additions).toHaveLength(1);
    const rows = await database.db.selectFrom('report_additions').select('sealed').execute();
    expect(JSON.stringify(rows)).not.toContain('Regresaron');
  });
});
