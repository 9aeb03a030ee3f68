import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from '../src/auth/sessions.js';
import { solveChallenge } from '../src/domain/proof-of-work.js';
import { buildApp } from '../src/server/app.js';
import type { Config } from '../src/server/config.js';
import { testConfig } from './config.js';
import { describeEachEngine, type TestDatabase } from './db.js';
import { insertOrganization } from './organizations.js';
import { photoWithGps } from './photos.js';

/*
 * Upload attacks on the files anyone may send with a public report (issue 7 item 4): the type is read
 * from the bytes, never from the name; archives (and so decompression bombs), programs, HTML and SVG are
 * refused with a 415 that says why and leave no file behind; a polyglot that passes as an image is only
 * ever shown re-encoded, under headers that stop a browser from running it; a name that tries to climb
 * out of the store is only a sealed label; empty and oversized files are refused before any byte is kept.
 */

const MAX_BYTES = 256 * 1024;
const CHUNK_TYPE = 'application/offset+octet-stream';

/** A zip whose one entry inflates from a few kilobytes to 50 MB of zeros. */
function zipBomb(): Buffer {
  const data = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
  const name = Buffer.from('ceros.txt');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(50 * 1024 * 1024, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name, data]);
}

const SCRIPT = Buffer.from('<script>window.__pwned=1</script>');

describeEachEngine('upload attacks on report attachments', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let config: Config;
  let triager: Record<string, string>;
  let ip = 0;

  async function fileReport(): Promise<{ receiptCode: string; secret: string }> {
    const remoteAddress = `10.77.0.${++ip}`;
    const { challenge, bits } = (await app.inject({ method: 'POST', url: '/api/v1/public/reports/challenges', remoteAddress })).json() as { challenge: string; bits: number };
    const secret = randomBytes(32).toString('base64url');
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/public/reports',
      remoteAddress,
      headers: { 'idempotency-key': randomUUID() },
      payload: { whatHappened: 'Tomaron fotos de las personas en la puerta del albergue.', consent: { mayContact: false, mayPublish: false }, receiptSecret: secret, pow: { challenge, nonce: solveChallenge(challenge, bits) } },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    return { receiptCode: (filed.json() as { receiptCode: string }).receiptCode, secret };
  }

  async function send(bytes: Buffer, fileName: string) {
    const receipt = await fileReport();
    const started = await app.inject({ method: 'POST', url: '/api/v1/public/reports/attachments', payload: { ...receipt, length: bytes.length, fileName } });
    expect(started.statusCode, started.body).toBe(201);
    const { id } = started.json() as { id: string };
    const done = await app.inject({
      method: 'PATCH',
      url: `/api/v1/public/attachments/${id}`,
      headers: { 'content-type': CHUNK_TYPE, 'upload-offset': '0', 'x-receipt-secret': receipt.secret },
      payload: bytes,
    });
    return { id, done };
  }

  /** Every file under the data directory. */
  function storedFiles(): string[] {
    return (fs.readdirSync(config.dataDir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(config.dataDir, f)).isFile());
  }

  beforeAll(async () => {
    database = getDatabase();
    config = testConfig({ VIGIA_EVIDENCE_MAX_BYTES: String(MAX_BYTES) });
    app = await buildApp({ config, database });
    await app.ready();
    const networkId = (await insertOrganization(database, { kind: 'network', name: 'Red de adjuntos hostiles' })).id;
    await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', networkId).execute();
    const { id: userId } = await database.db.insertInto('users').values({ email: `triage-${randomUUID()}@test.vigia.local`, display_name: 'Triage' }).returning('id').executeTakeFirstOrThrow();
    await database.db.insertInto('memberships').values({ user_id: userId, organization_id: networkId, role: 'documenter' }).execute();
    const session = await database.transaction((trx) => createSession(trx, { userId, mfaVerified: true, ip: null, userAgent: null, config }));
    triager = { cookie: `vigia_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['HTML named as a photo', Buffer.concat([Buffer.from('<!doctype html><html><body>'), SCRIPT]), 'foto.jpg', /could not be recognised/],
    ['SVG with a script', Buffer.concat([Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'), SCRIPT, Buffer.from('</svg>')]), 'mapa.png', /could not be recognised/],
    ['a Windows program named as a PDF', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x40, 0, 0, 0]), Buffer.from('PE\0\0'), Buffer.alloc(200)]), 'denuncia.pdf', /Programs .* never accepted|not accepted/],
    ['a zip bomb named as a photo', zipBomb(), 'foto.jpg', /Archives and office documents/],
    ['a gzip bomb named as a video', gzipSync(Buffer.alloc(50 * 1024 * 1024)), 'video.mp4', /Archives and office documents/],
  ])('refuses %s by its bytes with a 415 that says why, and keeps no file', async (_label, bytes, fileName, reason) => {
    expect(bytes.length).toBeLessThan(MAX_BYTES);
    const before = storedFiles().length;
    const { id, done } = await send(bytes, fileName);
    expect(done.statusCode, done.body).toBe(415);
    expect(done.json().error.message).toMatch(reason);
    const row = await database.db.selectFrom('evidence').select(['status', 'mime_type']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('refused');
    expect(storedFiles().length).toBe(before);
  });

  it('shows a photo with HTML appended only re-encoded, under headers that keep a browser from running anything', async () => {
    const polyglot = Buffer.concat([await photoWithGps(), Buffer.from('<html>'), SCRIPT]);
    const { id, done } = await send(polyglot, 'foto.jpg');
    expect(done.statusCode, done.body).toBe(200);
    const shown = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: triager });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers).toMatchObject({ 'content-type': 'image/jpeg', 'x-content-type-options': 'nosniff' });
    expect(String(shown.headers['content-security-policy'])).toMatch(/sandbox/);
    expect(String(shown.headers['content-disposition'])).toMatch(new RegExp(`filename="evidence-${id}\\.jpg"`));
    expect(shown.rawPayload.includes('__pwned')).toBe(false);
  });

  it('keeps a GIF/JavaScript polyglot as an original only: no copy to show, so it is never served into a page', async () => {
    const polyglot = Buffer.concat([Buffer.from('GIF89a/*'), Buffer.alloc(64, 0x20), Buffer.from('*/=1;window.__pwned=1;//')]);
    const { id, done } = await send(polyglot, 'x.js');
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ mimeType: 'image/gif', hasRedactedCopy: false, warning: expect.stringContaining('damaged or not what it claims') });
    const shown = await app.inject({ method: 'GET', url: `/api/v1/evidence/${id}/content`, headers: triager });
    expect(shown.statusCode).toBe(404);
    expect(shown.body).not.toContain('__pwned');
  });

  it('treats a file name that climbs out of the store as a sealed label only', async () => {
    const photo = await photoWithGps();
    for (const fileName of ['../../../../../../tmp/vigia-pwned.jpg', '..\\..\\..\\vigia-pwned.jpg', '/etc/passwd', 'a/../../vigia-pwned.jpg\u202egpj.exe']) {
      const { done } = await send(photo, fileName);
      expect(done.statusCode, done.body).toBe(200);
    }
    expect(fs.existsSync('/tmp/vigia-pwned.jpg')).toBe(false);
    expect(fs.existsSync(path.join(config.dataDir, '..', 'vigia-pwned.jpg'))).toBe(false);
    // Everything stored is under evidence/<uuid>/, named by the store, never by the sender.
    const names = storedFiles();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names.filter((n) => n.startsWith('evidence'))) expect(name).toMatch(/^evidence\/[0-9a-f-]{36}\/(derived\/)?[A-Za-z0-9._-]+$/);
    expect(names.some((n) => /pwned|passwd/.test(n))).toBe(false);
  });

  it('refuses an empty file and one over the limit before keeping a byte, and a chunk longer than declared', async () => {
    const receipt = await fileReport();
    const empty = await app.inject({ method: 'POST', url: '/api/v1/public/reports/attachments', payload: { ...receipt, length: 0 } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/length: must be at least 1 byte/);
    const huge = await app.inject({ method: 'POST', url: '/api/v1/public/reports/attachments', payload: { ...receipt, length: MAX_BYTES + 1 } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toMatch(new RegExp(String(MAX_BYTES).slice(0, 3)));
    const started = await app.inject({ method: 'POST', url: '/api/v1/public/reports/attachments', payload: { ...receipt, length: 10 } });
    const { id } = started.json() as { id: string };
    const longer = await app.inject({
      method: 'PATCH',
      url: `/api/v1/public/attachments/${id}`,
      headers: { 'content-type': CHUNK_TYPE, 'upload-offset': '0', 'x-receipt-secret': receipt.secret },
      payload: randomBytes(11),
    });
    expect(longer.statusCode).toBe(413);
    const state = await app.inject({ method: 'GET', url: `/api/v1/public/attachments/${id}`, headers: { 'x-receipt-secret': receipt.secret } });
    expect(state.json()).toMatchObject({ offset: 0 });
  });
});
