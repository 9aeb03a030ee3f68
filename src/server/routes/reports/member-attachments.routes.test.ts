import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../../../../test/auth.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { aguaPrietaDocument } from '../../../../test/incidents.js';
import { insertOrganization } from '../../../../test/organizations.js';
import { photoWithGps } from '../../../../test/photos.js';
import { sessionHeaders } from '../../../../test/sessions.js';
import { buildApp } from '../../app.js';

const CHUNK_TYPE = 'application/offset+octet-stream';

describeEachEngine('files sent with a member report', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let shelter: string;
  const people: Record<'reporter' | 'otherReporter' | 'documenter', string> = { reporter: '', otherReporter: '', documenter: '' };

  async function headers(name: keyof typeof people): Promise<Record<string, string>> {
    return sessionHeaders(database, people[name]);
  }

  async function fileReport(): Promise<{ id: string; receiptCode: string }> {
    const filed = await app.inject({
      method: 'POST',
      url: `/api/v1/organizations/${shelter}/reports`,
      headers: { ...(await headers('reporter')), 'idempotency-key': randomUUID() },
      payload: {
        whatHappened: 'Dos patrullas de la Guardia Nacional filmaron la entrada del albergue durante una hora.',
        actTypes: ['SURVEILLANCE'],
        victimCharacteristics: ['SHELTER_STAFF'],
        agentsCount: 6,
        receiptSecret: randomBytes(32).toString('base64url'),
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    return filed.json() as { id: string; receiptCode: string };
  }

  async function start(name: keyof typeof people, reportId: string, length: number, fileName?: string) {
    return app.inject({
      method: 'POST',
      url: `/api/v1/reports/${reportId}/attachments`,
      headers: await headers(name),
      payload: { length, ...(fileName ? { fileName } : {}) },
    });
  }

  async function patch(name: keyof typeof people, id: string, offset: number, bytes: Buffer) {
    return app.inject({
      method: 'PATCH',
      url: `/api/v1/evidence/${id}/upload`,
      headers: { ...(await headers(name)), 'content-type': CHUNK_TYPE, 'upload-offset': String(offset) },
      payload: bytes,
    });
  }

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    shelter = (await insertOrganization(database, { stateCode: '26' })).id;
    people.reporter = (await createUser(database, { memberships: [{ organizationId: shelter, roles: ['reporter'] }] })).id;
    people.otherReporter = (await createUser(database, { memberships: [{ organizationId: shelter, roles: ['reporter'] }] })).id;
    people.documenter = (await createUser(database, { memberships: [{ organizationId: shelter, roles: ['documenter'] }] })).id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes a photo from the member who filed the report, names them in its custody, and shows it to triagers without its GPS', async () => {
    const report = await fileReport();
    const photo = await photoWithGps();
    const half = Math.floor(photo.length / 2);

    const started = await start('reporter', report.id, photo.length, 'patrulla_en_la_puerta.jpg');
    expect(started.statusCode, started.body).toBe(201);
    const { id } = started.json() as { id: string };
    expect((await patch('reporter', id, 0, photo.subarray(0, half))).json()).toMatchObject({ offset: half, status: 'uploading' });
    // Resumable through the evidence routes like any upload.
    const state = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/upload`, headers: await headers('reporter') });
    expect(state.json()).toEqual({ offset: half, length: photo.length, status: 'uploading' });
    // Nobody else sends its chunks, not even another reporter of the same shelter or a documenter.
    expect((await patch('otherReporter', id, half, photo.subarray(half))).statusCode).toBe(404);
    expect((await patch('documenter', id, half, photo.subarray(half))).statusCode).toBe(403);
    const done = await patch('reporter', id, half, photo.subarray(half));
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'complete', kind: 'image', hasRedactedCopy: true });

    const row = await database.db.selectFrom('evidence').select(['report_id', 'incident_id', 'uploaded_by']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ report_id: report.id, incident_id: null, uploaded_by: people.reporter });
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['evidence.upload_started', 'evidence.received']);
    expect(audit.every((a) => a.actor_id === people.reporter)).toBe(true);

    const opened = await app.inject({ method: 'GET', url: `/api/v1/reports/${report.id}`, headers: await headers('documenter') });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().attachments).toEqual([
      expect.objectContaining({ id, kind: 'image', mimeType: 'image/jpeg', length: photo.length, hasRedactedCopy: true, fileName: 'patrulla_en_la_puerta.jpg' }),
    ]);
    const copy = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: await headers('documenter') });
    expect(copy.statusCode).toBe(200);
    expect((await sharp(copy.rawPayload).metadata()).exif).toBeUndefined();
    // Before triage the original, with its metadata, goes to nobody; the reporter does not even see the copy.
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/original`, headers: await headers('documenter') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: await headers('reporter') })).statusCode).toBe(403);
  });

  it('refuses files from anyone but the member who filed it, and once the report is triaged', async () => {
    const report = await fileReport();
    expect((await start('otherReporter', report.id, 10)).statusCode).toBe(404);
    expect((await start('documenter', report.id, 10)).statusCode).toBe(403);

    const incident = await app.inject({
      method: 'POST',
      url: `/api/v1/reports/${report.id}/incident`,
      headers: await headers('documenter'),
      payload: { document: aguaPrietaDocument() },
    });
    expect(incident.statusCode, incident.body).toBe(201);
    const late = await start('reporter', report.id, 10);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.details).toEqual({ status: 'incident_created' });
  });

  it('keeps to five files a report', async () => {
    const report = await fileReport();
    for (let i = 0; i < 5; i += 1) expect((await start('reporter', report.id, 10)).statusCode).toBe(201);
    const sixth = await start('reporter', report.id, 10);
    expect(sixth.statusCode).toBe(409);
    expect(sixth.json().error.details).toEqual({ maxAttachments: 5 });
  });
});
