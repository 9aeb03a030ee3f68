import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { aguaPrietaDocument } from '../../../../test/incidents.js';
import { insertOrganization } from '../../../../test/organizations.js';
import { photoWithGps } from '../../../../test/photos.js';
import { verifyAuditChain } from '../../../audit/audit-log.js';
import { createSession } from '../../../auth/sessions.js';
import { solveChallenge } from '../../../domain/proof-of-work.js';
import type { Config } from '../../config.js';
import { buildApp } from '../../app.js';

const MAX_BYTES = 256 * 1024;
const CHUNK_TYPE = 'application/offset+octet-stream';

describeEachEngine('report attachments API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let config: Config;
  let networkId: string;
  let triager: Record<string, string>;
  let ipCounter = 0;

  /** Files a public report (each from its own address, so the hourly limit never interferes). */
  async function fileReport(): Promise<{ id: string; receiptCode: string; secret: string }> {
    const ip = `10.9.0.${++ipCounter}`;
    const challenge = await app.inject({ method: 'POST', url: '/api/v1/public/reports/challenges', remoteAddress: ip });
    const { challenge: c, bits } = challenge.json() as { challenge: string; bits: number };
    const secret = randomBytes(32).toString('base64url');
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      remoteAddress: ip,
      headers: { 'idempotency-key': randomUUID() },
      payload: {
        whatHappened: 'Elementos de la Guardia Nacional tomaron fotos de las personas en la puerta del albergue.',
        consent: { mayContact: false, mayPublish: false },
        receiptSecret: secret,
        pow: { challenge: c, nonce: solveChallenge(c, bits) },
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const { receiptCode } = filed.json() as { receiptCode: string };
    const row = await database.db.selectFrom('reports').select('id').where('receipt_code', '=', receiptCode).executeTakeFirstOrThrow();
    return { id: row.id, receiptCode, secret };
  }

  function start(receipt: { receiptCode: string; secret: string }, length: number, fileName?: string) {
    return app.inject({
      method: 'POST',
      url: '/api/v1/public/reports/attachments',
      remoteAddress: '10.9.9.9',
      payload: { receiptCode: receipt.receiptCode, secret: receipt.secret, length, ...(fileName ? { fileName } : {}) },
    });
  }

  function patch(id: string, secret: string, offset: number, bytes: Buffer) {
    return app.inject({
      method: 'PATCH',
      url: `/api/v1/public/attachments/${id}`,
      remoteAddress: '10.9.9.9',
      headers: { 'content-type': CHUNK_TYPE, 'upload-offset': String(offset), 'x-receipt-secret': secret },
      payload: bytes,
    });
  }

  async function uploadWhole(receipt: { receiptCode: string; secret: string }, bytes: Buffer): Promise<string> {
    const started = await start(receipt, bytes.length);
    expect(started.statusCode, started.body).toBe(201);
    const { id } = started.json() as { id: string };
    const done = await patch(id, receipt.secret, 0, bytes);
    expect(done.statusCode, done.body).toBe(200);
    return id;
  }

  beforeAll(async () => {
    database = getDatabase();
    config = testConfig({ VIGIA_EVIDENCE_MAX_BYTES: String(MAX_BYTES), VIGIA_REPORTS_PER_HOUR_PER_ADDRESS: '3' });
    app = await buildApp({ config, database });
    await app.ready();
    networkId = (await insertOrganization(database, { kind: 'network', name: 'Red de adjuntos' })).id;
    await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', networkId).execute();
    const { id: userId } = await database.db
      .insertInto('users')
      .values({ email: `documentadora-${randomUUID()}@test.vigia.local`, display_name: 'Documentadora' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('memberships').values({ user_id: userId, organization_id: networkId, role: 'documenter' }).execute();
    const session = await database.transaction((trx) => createSession(trx, { userId, mfaVerified: true, ip: null, userAgent: null, config }));
    triager = { cookie: `vigia_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes a photo in two chunks with a resume, strips its GPS in the copy triagers see, and records no address', async () => {
    const receipt = await fileReport();
    const photo = await photoWithGps();
    expect(photo.includes('GPS')).toBe(true);
    const half = Math.floor(photo.length / 2);

    const started = await start(receipt, photo.length, 'foto_puerta_albergue.jpg');
    expect(started.statusCode, started.body).toBe(201);
    const { id, offset, length } = started.json() as { id: string; offset: number; length: number };
    expect({ offset, length }).toEqual({ offset: 0, length: photo.length });

    expect((await patch(id, receipt.secret, 0, photo.subarray(0, half))).json()).toMatchObject({ offset: half, status: 'uploading' });
    // The connection broke: the client asks where to resume, with the same secret.
    const state = await app.inject({ method: 'GET', url: `/api/v1/public/attachments/${id}`, headers: { 'x-receipt-secret': receipt.secret } });
    expect(state.statusCode).toBe(200);
    expect(state.json()).toEqual({ offset: half, length: photo.length, status: 'uploading' });
    expect(state.headers['upload-offset']).toBe(String(half));
    const stale = await patch(id, receipt.secret, 0, photo.subarray(0, half));
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.offset).toBe(half);

    const done = await patch(id, receipt.secret, half, photo.subarray(half));
    expect(done.statusCode, done.body).toBe(200);
    const sha256 = createHash('sha256').update(photo).digest('hex');
    expect(done.json()).toMatchObject({ offset: photo.length, status: 'complete', sha256, mimeType: 'image/jpeg', kind: 'image', hasRedactedCopy: true });

    // Triagers see it listed on the report, and only as the copy without metadata.
    const report = await app.inject({ method: 'GET', url: `/api/v1/reports/${receipt.id}`, headers: triager });
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().attachments).toEqual([{ id, mimeType: 'image/jpeg', kind: 'image', length: photo.length, sha256, hasRedactedCopy: true, fileName: 'foto_puerta_albergue.jpg' }]);
    const shown = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: triager });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(shown.rawPayload).metadata()).exif).toBeUndefined();
    expect(shown.rawPayload.includes('GPS')).toBe(false);
    expect(shown.rawPayload.includes('VigiaTestCam')).toBe(false);
    // Not to anyone else, nor the original.
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content` })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/original`, headers: triager })).statusCode).toBe(404);

    const entries = await database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', id).orderBy('seq').execute();
    const sent = entries.filter((e) => e.action === 'evidence.upload_started' || e.action === 'evidence.received');
    expect(sent.map((e) => [e.action, e.actor_type, e.actor_id, e.ip, e.user_agent])).toEqual([
      ['evidence.upload_started', 'anonymous', null, null, null],
      ['evidence.received', 'anonymous', null, null, null],
    ]);
    expect(JSON.stringify(entries)).not.toContain('foto_puerta');
    expect(JSON.stringify(entries)).toContain(sha256);
    expect((await verifyAuditChain(database)).ok).toBe(true);
  });

  it('answers one 404 for a wrong receipt code, a wrong secret, and evidence not sent with a report', async () => {
    const receipt = await fileReport();
    const wrongCode = await start({ receiptCode: 'AAAA-AAAA-AAAA', secret: receipt.secret }, 10);
    const wrongSecret = await start({ ...receipt, secret: randomBytes(32).toString('base64url') }, 10);
    expect([wrongCode.statusCode, wrongSecret.statusCode]).toEqual([404, 404]);
    expect(wrongCode.json().error.message).toBe(wrongSecret.json().error.message);

    const { id } = (await start(receipt, 10)).json() as { id: string };
    const other = randomBytes(32).toString('base64url');
    const badPatch = await patch(id, other, 0, Buffer.from('abc'));
    const badGet = await app.inject({ method: 'GET', url: `/api/v1/public/attachments/${id}`, headers: { 'x-receipt-secret': other } });
    const unknown = await patch(randomUUID(), receipt.secret, 0, Buffer.from('abc'));
    expect([badPatch.statusCode, badGet.statusCode, unknown.statusCode]).toEqual([404, 404, 404]);
    expect(badPatch.json().error.message).toBe(unknown.json().error.message);
    const noHeader = await app.inject({ method: 'GET', url: `/api/v1/public/attachments/${id}` });
    expect(noHeader.statusCode).toBe(400);
    // Nothing was written by the refused chunk.
    const state = await app.inject({ method: 'GET', url: `/api/v1/public/attachments/${id}`, headers: { 'x-receipt-secret': receipt.secret } });
    expect(state.json()).toEqual({ offset: 0, length: 10, status: 'uploading' });
  });

  it('limits the size and number of attachments, and takes none once the report is rejected', async () => {
    const receipt = await fileReport();
    expect((await start(receipt, MAX_BYTES + 1)).statusCode).toBe(413);
    for (let i = 0; i < 5; i += 1) expect((await start(receipt, 100)).statusCode).toBe(201);
    const sixth = await start(receipt, 100);
    expect(sixth.statusCode).toBe(409);
    expect(sixth.json().error.details.maxAttachments).toBe(5);

    const rejected = await fileReport();
    const reject = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${rejected.id}/resolution`,
      headers: triager,
      payload: { outcome: 'rejected', message: 'Fuera de ámbito' },
    });
    expect(reject.statusCode, reject.body).toBeLessThan(300);
    expect((await start(rejected, 100)).statusCode).toBe(409);
  });

  it('moves the complete attachments onto the incident made from the report, and one completed later follows', async () => {
    const receipt = await fileReport();
    const photo = await photoWithGps();
    const complete = await uploadWhole(receipt, photo);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const started = await start(receipt, pdf.length);
    const { id: pending } = started.json() as { id: string };
    expect((await patch(pending, receipt.secret, 0, pdf.subarray(0, 10))).statusCode).toBe(200);

    const made = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${receipt.id}/incident`,
      headers: triager,
      payload: { document: aguaPrietaDocument() },
    });
    expect(made.statusCode, made.body).toBe(201);
    const incidentId = (made.json() as { id: string }).id;

    const listed = await app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}/evidence`, headers: triager });
    expect(listed.statusCode, listed.body).toBe(200);
    expect((listed.json() as { data: Array<{ id: string }> }).data.map((e) => e.id)).toEqual([complete]);
    const incident = await database.db.selectFrom('incidents').select('has_evidence').where('id', '=', incidentId).executeTakeFirstOrThrow();
    expect(incident.has_evidence).toBe(true);
    const moved = await database.db.selectFrom('audit_log').select(['action', 'actor_type']).where('subject_id', '=', complete).where('action', '=', 'evidence.moved_to_incident').execute();
    expect(moved).toEqual([{ action: 'evidence.moved_to_incident', actor_type: 'user' }]);

    // The upload under way when the report was triaged lands on the incident when it completes.
    const rest = await patch(pending, receipt.secret, 10, pdf.subarray(10));
    expect(rest.statusCode, rest.body).toBe(200);
    const relisted = (await app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}/evidence`, headers: triager })).json() as { data: Array<{ id: string }> };
    expect(relisted.data.map((e) => e.id).sort()).toEqual([complete, pending].sort());
  });
});
