import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { insertAlert, sampleAlertContent } from '../../test/alerts.js';
import { testConfig, testKeyring } from '../../test/config.js';
import { describeEachEngine } from '../../test/db.js';
import { insertOrganization, insertUser, userActor } from '../../test/organizations.js';
import { photoWithGps } from '../../test/photos.js';
import type { Database } from '../db/client.js';
import { EvidenceStore } from '../evidence/evidence-store.js';
import type { Actor } from '../policies/actor.js';
import { attachAlertResponseDocument, downloadAlertResponseDocument, openPublicAlertResponseDocument } from './alert-response-document.js';
import { distributePublishedAlert } from './distribute-alert.js';
import { recordAlertResponse } from './follow-up-alert-request.js';
import { readAlertAccountability, readPublicAccountability } from './read-alert-accountability.js';
import { createJobRegistry } from '../jobs/run.js';

const keyring = testKeyring();
const config = testConfig();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% Oficio INM/2019/4711 firmado\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function readAll(stream: Readable): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of stream as AsyncIterable<Buffer>) pieces.push(piece);
  return Buffer.concat(pieces);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describeEachEngine('documents of the authorities’ answers', (getDatabase) => {
  let database: Database;
  let store: EvidenceStore;
  let storeDir: string;
  let reviewer: Actor;
  let documenter: Actor;
  let outsider: Actor;
  let slug: string;
  let responses: string[];

  const attach = (actor: Actor, responseId: string, bytes: Buffer, options: { public?: boolean; maxBytes?: number } = {}) =>
    attachAlertResponseDocument({ database, keyring, store, actor, responseId, body: Readable.from([bytes]), length: bytes.length, maxBytes: options.maxBytes ?? 1_000_000, public: options.public ?? false });

  beforeAll(async () => {
    database = getDatabase();
    storeDir = join(config.dataDir, `evidence-${Date.now()}`);
    store = new EvidenceStore(storeDir);
    const network = await insertOrganization(database, { kind: 'network' });
    const other = await insertOrganization(database, { kind: 'network' });
    reviewer = userActor(await insertUser(database, { memberships: { [network.id]: ['reviewer'] } }), { [network.id]: ['reviewer'] }, { mfaVerified: true });
    documenter = userActor(await insertUser(database, { memberships: { [network.id]: ['documenter'] } }), { [network.id]: ['documenter'] });
    outsider = userActor(await insertUser(database, { memberships: { [other.id]: ['reviewer'] } }), { [other.id]: ['reviewer'] }, { mfaVerified: true });
    slug = `respuestas-${Date.now()}`;
    const addressees = [
      { code: 'PRESIDENCIA', name: { es: 'Presidencia de la República', en: 'Office of the President' }, stateCode: null },
      { code: 'INM', name: { es: 'Instituto Nacional de Migración', en: 'National Migration Institute' }, stateCode: null },
      { code: 'CNDH', name: { es: 'Comisión Nacional de los Derechos Humanos', en: 'National Human Rights Commission' }, stateCode: null },
    ];
    const alert = await insertAlert(database, { networkId: network.id, slug, content: sampleAlertContent({ addressees }) });
    await database.transaction((trx) => distributePublishedAlert(trx, { alertId: alert.id, networkId: network.id, version: 1, correction: false }, { jobs: createJobRegistry(config), config, keyring }));
    const requests = await readAlertAccountability({ database, actor: reviewer, alertId: alert.id });
    responses = [];
    for (const request of requests) {
      const { id } = await recordAlertResponse({ database, actor: reviewer, requestId: request.id, receivedOn: request.sentOn, summary: `Respuesta de ${request.addresseeCode}`, documentText: null });
      responses.push(id);
    }
  });

  it('keeps a PDF sealed with its hash in the audit chain; members download it (audited); the public does not see it unless marked public', async () => {
    const attached = await attach(reviewer, responses[0]!, PDF);
    const sha256 = createHash('sha256').update(PDF).digest('hex');
    expect(attached).toEqual({ mimeType: 'application/pdf', length: PDF.length, sha256, public: false });

    for (const file of await filesUnder(storeDir)) expect((await readFile(file)).includes('Oficio INM')).toBe(false);
    const entry = await database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'alert_response.document_attached').where('subject_id', '=', responses[0]!).executeTakeFirstOrThrow();
    expect(entry.details).toMatchObject({ sha256, mimeType: 'application/pdf', public: false });

    const view = await readAlertAccountability({ database, actor: documenter, alertId: (await database.db.selectFrom('alert_requests').innerJoin('alert_responses', 'alert_responses.request_id', 'alert_requests.id').select('alert_requests.alert_id').where('alert_responses.id', '=', responses[0]!).executeTakeFirstOrThrow()).alert_id });
    expect(view.flatMap((r) => r.responses).find((r) => r.id === responses[0])?.document).toEqual({ mimeType: 'application/pdf', length: PDF.length, sha256, public: false });

    const downloaded = await downloadAlertResponseDocument({ database, keyring, store, actor: documenter, responseId: responses[0]! });
    expect(await readAll(downloaded.stream)).toEqual(PDF);
    expect(downloaded).toMatchObject({ mimeType: 'application/pdf', fileName: expect.stringMatching(/^respuesta-[a-z-]+-\d{4}-\d{2}-\d{2}\.pdf$/) });
    const downloads = await database.db.selectFrom('audit_log').select(['actor_id']).where('action', '=', 'alert_response.document_downloaded').where('subject_id', '=', responses[0]!).execute();
    expect(downloads).toEqual([{ actor_id: (documenter as { userId: string }).userId }]);

    expect((await readPublicAccountability({ database, slug })).flatMap((a) => a.responses).every((r) => r.document === null)).toBe(true);
    await expect(openPublicAlertResponseDocument({ database, keyring, store, slug, responseId: responses[0]! })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(attach(reviewer, responses[0]!, PDF)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('serves a photo of a letter marked public to anyone, without its metadata, until the alert is withdrawn', async () => {
    const photo = await photoWithGps();
    const attached = await attach(reviewer, responses[1]!, photo, { public: true });
    expect(attached).toMatchObject({ mimeType: 'image/jpeg', public: true });

    const entry = (await readPublicAccountability({ database, slug })).flatMap((a) => a.responses).find((r) => r.document !== null);
    expect(entry?.document).toEqual({ url: `/api/v1/public/alerts/${slug}/responses/${responses[1]}/document`, mimeType: 'image/jpeg' });
    const served = await readAll((await openPublicAlertResponseDocument({ database, keyring, store, slug, responseId: responses[1]! })).stream);
    const metadata = await sharp(served).metadata();
    expect(metadata.format).toBe('jpeg');
    expect(metadata.exif).toBeUndefined();
    expect(served.includes('VigiaTestCam')).toBe(false);
    // Another alert's address does not open it.
    await expect(openPublicAlertResponseDocument({ database, keyring, store, slug: 'otra-alerta', responseId: responses[1]! })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await sql`update alerts set status = 'withdrawn', withdrawn_at = now() where slug = ${slug}`.execute(database.db);
    await expect(openPublicAlertResponseDocument({ database, keyring, store, slug, responseId: responses[1]! })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await sql`update alerts set status = 'published', withdrawn_at = null where slug = ${slug}`.execute(database.db);
  });

  it('refuses other types, files over the limit, and people who may not record answers, leaving nothing behind', async () => {
    const before = (await filesUnder(storeDir)).length;
    await expect(attach(reviewer, responses[2]!, Buffer.from('<html><script>alert(1)</script></html>'))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]);
    await expect(attach(reviewer, responses[2]!, zip)).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('PDF or an image') });
    await expect(attach(reviewer, responses[2]!, PDF, { maxBytes: 32 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(attach(documenter, responses[2]!, PDF)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(attach(outsider, responses[2]!, PDF)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(downloadAlertResponseDocument({ database, keyring, store, actor: outsider, responseId: responses[0]! })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await filesUnder(storeDir)).toHaveLength(before);
    expect(await database.db.selectFrom('alert_response_documents').select('response_id').where('response_id', '=', responses[2]!).execute()).toEqual([]);
  });
});
