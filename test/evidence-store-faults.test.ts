import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { asStorageError } from '../src/evidence/durable-fs.js';
import { EvidenceStore } from '../src/evidence/evidence-store.js';
import { buildApp } from '../src/server/app.js';
import { testConfig } from './config.js';
import { describeEachEngine, type TestDatabase } from './db.js';
import { insertOrganization } from './organizations.js';

/** A real store whose disk can be made full: every write then fails with ENOSPC, as the kernel says it. */
class FillableStore extends EvidenceStore {
  full = false;

  private refuseIfFull(step: string): void {
    if (this.full) throw asStorageError(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }), step);
  }

  override async createUpload(...args: Parameters<EvidenceStore['createUpload']>) {
    this.refuseIfFull('create an upload');
    return super.createUpload(...args);
  }

  override async appendChunk(...args: Parameters<EvidenceStore['appendChunk']>) {
    this.refuseIfFull('write a chunk');
    return super.appendChunk(...args);
  }
}

describeEachEngine('evidence store full or unwritable', (getDatabase) => {
  let database: TestDatabase;
  let fillable: FillableStore;
  let app: FastifyInstance;
  let unwritableApp: FastifyInstance;

  beforeAll(async () => {
    database = getDatabase();
    const config = testConfig({ VIGIA_REPORT_POW_BITS: '0' });
    fillable = new FillableStore(join(config.dataDir, 'evidence'));
    app = await buildApp({ config, database, evidenceStore: fillable });
    // A file where the store's directory should be: every write under it fails (ENOTDIR), as on a read-only mount.
    const blocked = join(config.dataDir, 'not-a-directory');
    writeFileSync(blocked, '');
    unwritableApp = await buildApp({ config, database, evidenceStore: new EvidenceStore(join(blocked, 'evidence')) });
    const network = await insertOrganization(database, { kind: 'network' });
    await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', network.id).execute();
  });

  afterAll(async () => {
    await app.close();
    await unwritableApp.close();
  });

  async function fileReport(): Promise<{ id: string; receiptCode: string; secret: string }> {
    const secret = randomBytes(32).toString('base64url');
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      headers: { 'idempotency-key': randomUUID() },
      payload: { whatHappened: 'Tomaron fotos de la puerta del albergue.', consent: { mayContact: false, mayPublish: false }, receiptSecret: secret, pow: { challenge: 'x', nonce: '0' } },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const { receiptCode } = filed.json() as { receiptCode: string };
    const row = await database.db.selectFrom('reports').select('id').where('receipt_code', '=', receiptCode).executeTakeFirstOrThrow();
    return { id: row.id, receiptCode, secret };
  }

  function startAttachment(on: FastifyInstance, receipt: { receiptCode: string; secret: string }, length: number) {
    return on.inject({ method: 'POST', url: '/api/v1/public/reports/attachments', payload: { receiptCode: receipt.receiptCode, secret: receipt.secret, length } });
  }

  async function evidenceOf(reportId: string) {
    return database.db.selectFrom('evidence').select(['id', 'status']).where('report_id', '=', reportId).execute();
  }

  async function auditCount(): Promise<number> {
    const row = await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('answers 503 with Retry-After when the store cannot be written, and keeps no record of the upload', async () => {
    const receipt = await fileReport();
    const before = await auditCount();
    const response = await startAttachment(unwritableApp, receipt, 10);
    expect(response.statusCode, response.body).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('evidence store cannot be written') });
    expect(await evidenceOf(receipt.id)).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it('answers 507 when the disk is full, at the start or mid-upload, and keeps nothing half-written', async () => {
    const receipt = await fileReport();
    const before = await auditCount();
    fillable.full = true;
    const refused = await startAttachment(app, receipt, 10);
    expect(refused.statusCode, refused.body).toBe(507);
    expect(refused.json().error).toMatchObject({ code: 'INSUFFICIENT_STORAGE', message: expect.stringContaining('full') });
    expect(await evidenceOf(receipt.id)).toEqual([]);
    expect(await auditCount()).toBe(before);

    fillable.full = false;
    const started = await startAttachment(app, receipt, 10);
    expect(started.statusCode, started.body).toBe(201);
    const { id } = started.json() as { id: string };
    fillable.full = true;
    const chunk = await app.inject({
      method: 'PATCH',
      url: `/api/v1/public/attachments/${id}`,
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0', 'x-receipt-secret': receipt.secret },
      payload: randomBytes(10),
    });
    expect(chunk.statusCode, chunk.body).toBe(507);
    // The chunk was not taken: the upload still stands at 0, ready to resume once there is room.
    fillable.full = false;
    const state = await app.inject({ method: 'GET', url: `/api/v1/public/attachments/${id}`, headers: { 'x-receipt-secret': receipt.secret } });
    expect(state.json()).toMatchObject({ offset: 0, length: 10 });
    expect(await evidenceOf(receipt.id)).toEqual([{ id, status: 'uploading' }]);
  });
});
