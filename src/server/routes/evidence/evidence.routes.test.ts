import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { insertIncident } from '../../../../test/incidents.js';
import { photoWithGps } from '../../../../test/photos.js';
import { insertOrganization, userActor } from '../../../../test/organizations.js';
import { verifyAuditChain } from '../../../audit/audit-log.js';
import { createSession } from '../../../auth/sessions.js';
import { createApiToken } from '../../../commands/create-api-token.js';
import type { Role } from '../../../db/schema.js';
import type { ApiTokenPermission } from '../../../policies/permissions.js';
import { buildApp } from '../../app.js';
import type { Config } from '../../config.js';

const MAX_BYTES = 2 * 1024 * 1024;
const FILE_NAME = 'denuncia_maria_tapachula.jpg';
const CHUNK_TYPE = 'application/offset+octet-stream';

describeEachEngine('evidence API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let config: Config;
  let orgA: string;
  let incidentA: string;
  const headers: Record<'documenterA' | 'reporterA' | 'documenterB' | 'readTokenA' | 'writeTokenA', Record<string, string>> = {
    documenterA: {},
    reporterA: {},
    documenterB: {},
    readTokenA: {},
    writeTokenA: {},
  };

  async function sessionFor(organizationId: string, role: Role): Promise<Record<string, string>> {
    const { id } = await database.db
      .insertInto('users')
      .values({ email: `persona-${Math.random().toString(36).slice(2)}@test.vigia.local`, display_name: `Persona ${role}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('memberships').values({ user_id: id, organization_id: organizationId, role }).execute();
    const session = await database.transaction((trx) =>
      createSession(trx, { userId: id, mfaVerified: true, ip: null, userAgent: null, config }),
    );
    return { cookie: `vigia_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }

  async function tokenFor(organizationId: string, permissions: ApiTokenPermission[]): Promise<Record<string, string>> {
    const adminId = (await database.db
      .insertInto('users')
      .values({ email: `admin-${Math.random().toString(36).slice(2)}@test.vigia.local`, display_name: 'Admin' })
      .returning('id')
      .executeTakeFirstOrThrow()).id;
    await database.db.insertInto('memberships').values({ user_id: adminId, organization_id: organizationId, role: 'administrator' }).execute();
    const created = await createApiToken({
      database,
      actor: userActor(adminId, { [organizationId]: ['administrator'] }),
      organizationId,
      name: 'Integración de prueba',
      permissions,
    });
    return { authorization: `Bearer ${created.secret}` };
  }

  function start(incidentId: string, body: Record<string, unknown>, as: Record<string, string> = headers.documenterA) {
    return app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/evidence`, headers: as, payload: body });
  }

  function patch(id: string, offset: number, bytes: Buffer, as: Record<string, string> = headers.documenterA) {
    return app.inject({
      method: 'PATCH',
      url: `/api/v1/evidence/${id}/upload`,
      headers: { ...as, 'content-type': CHUNK_TYPE, 'upload-offset': String(offset) },
      payload: bytes,
    });
  }

  /** Opens an upload for `bytes` and sends them in one chunk. */
  async function upload(incidentId: string, bytes: Buffer, fileName = FILE_NAME): Promise<{ id: string; finished: LightMyRequestResponse }> {
    const started = await start(incidentId, { length: bytes.length, fileName });
    expect(started.statusCode, started.body).toBe(201);
    const { id } = started.json() as { id: string };
    return { id, finished: await patch(id, 0, bytes) };
  }

  beforeAll(async () => {
    database = getDatabase();
    config = testConfig({ VIGIA_EVIDENCE_MAX_BYTES: String(MAX_BYTES) });
    app = await buildApp({ config, database });
    await app.ready();
    orgA = (await insertOrganization(database, { stateCode: '07' })).id;
    const orgB = (await insertOrganization(database, { stateCode: '26' })).id;
    incidentA = (await insertIncident(database, { organizationId: orgA })).id;
    headers.documenterA = await sessionFor(orgA, 'documenter');
    headers.reporterA = await sessionFor(orgA, 'reporter');
    headers.documenterB = await sessionFor(orgB, 'documenter');
    headers.readTokenA = await tokenFor(orgA, ['incidents:read']);
    headers.writeTokenA = await tokenFor(orgA, ['incidents:read', 'incidents:write']);
  });

  it('receives a photo in two chunks with a resume, keeps it sealed, shows it without metadata, and records its custody', async () => {
    const photo = await photoWithGps();
    expect(photo.includes('GPS')).toBe(true);
    const sha256 = createHash('sha256').update(photo).digest('hex');

    const started = await start(incidentA, { length: photo.length, fileName: FILE_NAME, description: 'Foto de la puerta forzada' });
    expect(started.statusCode, started.body).toBe(201);
    const { id, ...opened } = started.json() as { id: string; offset: number; length: number; status: string };
    expect(opened).toEqual({ offset: 0, length: photo.length, status: 'uploading' });
    expect(started.headers.location).toBe(`/api/v1/evidence/${id}/upload`);

    const half = Math.floor(photo.length / 2);
    const first = await patch(id, 0, photo.subarray(0, half));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ offset: half, status: 'uploading', sha256: null });

    // The connection "broke": the client asks where to resume, by HEAD and by GET.
    const head = await app.inject({ method: 'HEAD', url: `/api/v1/evidence/${id}/upload`, headers: headers.documenterA });
    expect(head.statusCode).toBe(200);
    expect(head.headers['upload-offset']).toBe(String(half));
    const state = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/upload`, headers: headers.documenterA });
    expect(state.json()).toEqual({ offset: half, length: photo.length, status: 'uploading' });
    const row = await database.db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.received_length).toBe(half);

    const rest = await patch(id, half, photo.subarray(half));
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json()).toEqual({
      offset: photo.length,
      length: photo.length,
      status: 'complete',
      sha256,
      mimeType: 'image/jpeg',
      kind: 'image',
      hasRedactedCopy: true,
      warning: null,
    });

    const stored = await database.db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'complete', sha256, mime_type: 'image/jpeg', kind: 'image', has_redacted_copy: true, received_length: photo.length });
    expect(stored.received_at).not.toBeNull();
    expect(JSON.stringify(stored)).not.toContain('tapachula');
    const incident = await database.db.selectFrom('incidents').select('has_evidence').where('id', '=', incidentA).executeTakeFirstOrThrow();
    expect(incident.has_evidence).toBe(true);

    // The hash is in the tamper-evident chain, and the chain still verifies.
    const receipt = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'evidence.received')
      .where('subject_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(receipt.details).toEqual({ sha256, length: photo.length, mimeType: 'image/jpeg', incidentId: incidentA });
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true });

    // What anyone who may read the incident sees: no EXIF, XMP or IPTC, no GPS anywhere in the bytes.
    const content = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: headers.readTokenA });
    expect(content.statusCode, content.body).toBe(200);
    expect(content.headers['content-type']).toBe('image/jpeg');
    expect(content.headers['content-disposition']).toBe(`inline; filename="evidence-${id}.jpg"`);
    expect(content.headers['cache-control']).toBe('no-store');
    expect(content.headers['x-content-type-options']).toBe('nosniff');
    expect(content.headers['content-security-policy']).toContain('sandbox');
    const shown = content.rawPayload;
    const metadata = await sharp(shown).metadata();
    expect(metadata.format).toBe('jpeg');
    expect(metadata.width).toBe(320);
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.iptc).toBeUndefined();
    expect(shown.includes('GPS')).toBe(false);
    expect(shown.includes('VigiaTestCam')).toBe(false);

    // The original, exactly as sent, only as an attachment.
    const original = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/original`, headers: headers.documenterA });
    expect(original.statusCode, original.body).toBe(200);
    expect(original.rawPayload.equals(photo)).toBe(true);
    expect(original.headers['content-type']).toBe('image/jpeg');
    expect(original.headers['content-disposition']).toBe(`attachment; filename="evidence-${id}.jpg"`);
    expect(original.headers['x-content-type-options']).toBe('nosniff');
    expect(original.headers['content-length']).toBe(String(photo.length));

    // Nothing on disk is plaintext: the photo's bytes appear in no stored file.
    const onDisk = await import('node:fs/promises').then((fs) => fs.readFile(join(config.dataDir, 'evidence', id, 'original.seal')));
    expect(onDisk.includes(photo.subarray(0, 64))).toBe(false);

    // A HEAD transfers nothing, so it must not enter the custody as a view or download.
    for (const path of ['content', 'original']) {
      const probe = await app.inject({ method: 'HEAD', url: `/api/v1/evidence/${id}/${path}`, headers: headers.documenterA });
      expect(probe.statusCode).not.toBe(200);
    }

    const custody = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/custody`, headers: headers.documenterA });
    expect(custody.statusCode, custody.body).toBe(200);
    const account = custody.json() as {
      evidence: { id: string; sha256: string; length: number; mimeType: string };
      events: Array<{ action: string; actorType: string; actorName?: string; seq: number; hash: string }>;
    };
    expect(account.evidence).toMatchObject({ id, sha256, length: photo.length, mimeType: 'image/jpeg' });
    expect(account.events.map((e) => e.action)).toEqual([
      'evidence.upload_started',
      'evidence.received',
      'evidence.viewed',
      'evidence.original_downloaded',
    ]);
    expect(account.events.map((e) => e.actorType)).toEqual(['user', 'user', 'api_token', 'user']);
    expect(account.events[1]!.hash).toBe(receipt.hash);
    expect(account.events[0]!.actorName).toBe('Persona documenter');
    const seqs = account.events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    // A read-only token sees the custody without names, and the list without the file name.
    const tokenCustody = (await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/custody`, headers: headers.readTokenA })).json() as typeof account;
    expect(tokenCustody.events.every((e) => e.actorName === undefined)).toBe(true);
    const listed = await app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentA}/evidence`, headers: headers.documenterA });
    const item = (listed.json() as { data: Array<Record<string, unknown>> }).data.find((e) => e.id === id);
    expect(item).toMatchObject({ id, status: 'complete', sha256, kind: 'image', hasRedactedCopy: true, fileName: FILE_NAME, length: photo.length });
    const tokenList = (await app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentA}/evidence`, headers: headers.readTokenA })).json() as {
      data: Array<Record<string, unknown>>;
    };
    expect(tokenList.data.find((e) => e.id === id)?.fileName).toBeNull();

    // The file name never reaches the audit log.
    const entries = await database.db.selectFrom('audit_log').select('details').where('subject_id', '=', id).execute();
    expect(JSON.stringify(entries)).not.toContain('tapachula');

    // Complete is complete: more bytes are refused with where it stands.
    const again = await patch(id, photo.length, Buffer.from('x'));
    expect(again.statusCode).toBe(409);
  });

  afterAll(async () => {
    await app.close();
  });

  it('streams a chunk larger than the JSON body limit over a real connection, without a Content-Length', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(config.bodyLimitBytes + 300_000, 0x20), Buffer.from('\n%%EOF\n')]);
    expect(pdf.length).toBeLessThanOrEqual(MAX_BYTES);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const { id } = (await start(incidentA, { length: pdf.length })).json() as { id: string };
    const pieces = [pdf.subarray(0, 100_000), pdf.subarray(100_000, 900_000), pdf.subarray(900_000)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = pieces.shift();
        if (next) controller.enqueue(new Uint8Array(next));
        else controller.close();
      },
    });
    const response = await fetch(`${base}/api/v1/evidence/${id}/upload`, {
      method: 'PATCH',
      headers: { ...headers.documenterA, 'content-type': CHUNK_TYPE, 'upload-offset': '0' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'complete', offset: pdf.length, mimeType: 'application/pdf' });
    const original = await fetch(`${base}/api/v1/evidence/${id}/original`, { headers: headers.documenterA });
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('answers a wrong offset with 409 and the offset to resume from', async () => {
    const started = await start(incidentA, { length: 100 });
    const { id } = started.json() as { id: string };
    expect((await patch(id, 0, Buffer.alloc(10, 1))).statusCode).toBe(200);
    const wrong = await patch(id, 0, Buffer.alloc(10, 1));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json()).toMatchObject({ error: { code: 'CONFLICT', details: { offset: 10 } } });
    const ahead = await patch(id, 50, Buffer.alloc(10, 1));
    expect(ahead.json()).toMatchObject({ error: { code: 'CONFLICT', details: { offset: 10 } } });
  });

  it('refuses a file larger than the limit (naming it) and a chunk larger than what is left', async () => {
    const tooBig = await start(incidentA, { length: MAX_BYTES + 1 });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: MAX_BYTES } } });
    expect((tooBig.json() as { error: { message: string } }).error.message).toContain(String(MAX_BYTES));

    const { id } = (await start(incidentA, { length: 10 })).json() as { id: string };
    const over = await patch(id, 0, Buffer.alloc(11, 1));
    expect(over.statusCode).toBe(413);
    const state = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/upload`, headers: headers.documenterA });
    expect(state.json()).toMatchObject({ offset: 0, status: 'uploading' });
  });

  it('refuses chunks sent with another media type', async () => {
    const { id } = (await start(incidentA, { length: 10 })).json() as { id: string };
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/v1/evidence/${id}/upload`,
      headers: { ...headers.documenterA, 'content-type': 'application/json', 'upload-offset': '0' },
      payload: '{"a":1}',
    });
    expect(response.statusCode).toBe(415);
    expect(response.body).toContain(CHUNK_TYPE);
  });

  it.each([
    ['a Windows program', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0'), Buffer.alloc(200)])],
    ['a zip archive', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0]), Buffer.alloc(16), Buffer.from([5, 0, 0, 0]), Buffer.from('a.txt'), Buffer.from('hola mundo')])],
    ['an HTML page', Buffer.from('<!doctype html><html><body><script>fetch("/api/v1/auth/session")</script></body></html>')],
  ])('refuses %s named .jpg with 415 and keeps nothing of it', async (_name, bytes) => {
    const incident = (await insertIncident(database, { organizationId: orgA })).id;
    const { id, finished } = await upload(incident, bytes, 'foto.jpg');
    expect(finished.statusCode, finished.body).toBe(415);
    expect(finished.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const row = await database.db.selectFrom('evidence').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('refused');
    expect(existsSync(join(config.dataDir, 'evidence', id))).toBe(false);
    const listed = (await app.inject({ method: 'GET', url: `/api/v1/incidents/${incident}/evidence`, headers: headers.documenterA })).json() as { data: unknown[] };
    expect(listed.data).toEqual([]);
    const flags = await database.db.selectFrom('incidents').select('has_evidence').where('id', '=', incident).executeTakeFirstOrThrow();
    expect(flags.has_evidence).toBe(false);
    for (const path of ['content', 'original']) {
      expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/${path}`, headers: headers.documenterA })).statusCode).toBe(409);
    }
    const refusal = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'evidence.refused').where('subject_id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(refusal.details)).not.toContain('foto.jpg');
  });

  it('serves a PDF only as its original: there is no copy without metadata to show', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const { id, finished } = await upload(incidentA, pdf, 'acta.pdf');
    expect(finished.statusCode, finished.body).toBe(200);
    expect(finished.json()).toMatchObject({ status: 'complete', mimeType: 'application/pdf', kind: 'document', hasRedactedCopy: false });
    const content = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: headers.documenterA });
    expect(content.statusCode).toBe(404);
    expect((content.json() as { error: { message: string } }).error.message).toContain(`/api/v1/evidence/${id}/original`);
    const original = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/original`, headers: headers.documenterA });
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('application/pdf');
    expect(original.headers['content-disposition']).toBe(`attachment; filename="evidence-${id}.pdf"`);
    expect(original.rawPayload.equals(pdf)).toBe(true);
  });

  it('keeps a damaged image without a copy, and says so', async () => {
    const photo = await photoWithGps();
    const damaged = Buffer.concat([photo.subarray(0, 600), Buffer.alloc(400, 0x41)]);
    const { id, finished } = await upload(incidentA, damaged, 'rota.jpg');
    expect(finished.statusCode, finished.body).toBe(200);
    const progress = finished.json() as { status: string; hasRedactedCopy: boolean; warning: string | null };
    expect(progress).toMatchObject({ status: 'complete', hasRedactedCopy: false });
    expect(progress.warning).toContain('original was kept');
    const content = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: headers.documenterA });
    expect(content.statusCode).toBe(404);
  });

  it('lets an API token with incidents:write upload, and refuses one with only incidents:read', async () => {
    const refused = await start(incidentA, { length: 10 }, headers.readTokenA);
    expect(refused.statusCode).toBe(403);
    const { id } = (await start(incidentA, { length: 10 })).json() as { id: string };
    expect((await patch(id, 0, Buffer.alloc(4), headers.readTokenA)).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/upload`, headers: headers.readTokenA })).statusCode).toBe(403);
    const allowed = await start(incidentA, { length: 10 }, headers.writeTokenA);
    expect(allowed.statusCode).toBe(201);
    expect((await patch((allowed.json() as { id: string }).id, 0, Buffer.alloc(4), headers.writeTokenA)).statusCode).toBe(200);
  });

  it('answers 404 on every endpoint to another organization and to a reporter', async () => {
    const photo = await photoWithGps();
    const { id, finished } = await upload(incidentA, photo);
    expect(finished.statusCode).toBe(200);
    const { id: open } = (await start(incidentA, { length: 10 })).json() as { id: string };
    for (const as of [headers.documenterB, headers.reporterA]) {
      const calls = [
        start(incidentA, { length: 10 }, as),
        app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentA}/evidence`, headers: as }),
        app.inject({ method: 'GET', url: `/api/v1/evidence/${open}/upload`, headers: as }),
        app.inject({ method: 'HEAD', url: `/api/v1/evidence/${open}/upload`, headers: as }),
        patch(open, 0, Buffer.alloc(4), as),
        app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: as }),
        app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/original`, headers: as }),
        app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/custody`, headers: as }),
      ];
      const statuses = [];
      for (const call of calls) statuses.push((await call).statusCode);
      expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 404, 404]);
    }
    // Nothing they tried moved the open upload.
    const state = await app.inject({ method: 'GET', url: `/api/v1/evidence/${open}/upload`, headers: headers.documenterA });
    expect(state.json()).toMatchObject({ offset: 0 });
  });
});
