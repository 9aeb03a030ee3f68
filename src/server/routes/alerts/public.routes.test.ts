import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertAlert, sampleAlertContent } from '../../../../test/alerts.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine } from '../../../../test/db.js';
import { insertOrganization } from '../../../../test/organizations.js';
import { buildApp } from '../../app.js';

const BASE = '/api/v1/public/alerts';

/** The PDF's document title (its Info dictionary), which pdfkit writes as a UTF-16 literal string. */
function pdfInfoTitle(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const ref = /\/Title (\d+) 0 R/.exec(raw);
  if (!ref) return '';
  const literal = /^\((.*)\)$/s.exec(raw.slice(raw.indexOf(`\n${ref[1]} 0 obj\n`)).split('\n')[2] ?? '');
  const bytes = Buffer.from((literal?.[1] ?? '').replace(/\\([()\\])/g, '$1'), 'latin1');
  return bytes.subarray(0, 2).equals(Buffer.from([0xfe, 0xff])) ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') : bytes.toString('latin1');
}

describeEachEngine('public alerts API and feeds', (getDatabase) => {
  let app: FastifyInstance;
  let networkId: string;
  let authorId: string;
  let incidentId: string;
  // An act type of this run's own, so that lists filtered by it see only this file's alerts.
  const actType = `TEST_${randomUUID().slice(0, 8).toUpperCase()}`;

  beforeAll(async () => {
    const database = getDatabase();
    app = await buildApp({ config: testConfig({ VIGIA_PUBLIC_URL: 'https://vigia.example.org/' }), database });
    await app.ready();
    networkId = (await insertOrganization(database, { kind: 'network' })).id;
    authorId = randomUUID();
    incidentId = randomUUID();
  });
  afterAll(async () => {
    await app.close();
  });

  const content = (title: string, extra: Parameters<typeof sampleAlertContent>[0] = {}) => {
    const base = sampleAlertContent();
    return sampleAlertContent({ ...extra, actTypes: [actType], es: { ...base.es, title }, en: { ...base.en, title: `${title} (EN)` } });
  };

  it('lists published and withdrawn alerts, newest first, a page at a time, and never drafts', async () => {
    const database = getDatabase();
    const old = await insertAlert(database, { networkId, content: content('Vieja'), publishedAt: new Date('2026-01-01T00:00:00Z') });
    const mid = await insertAlert(database, { networkId, status: 'withdrawn', content: content('Retirada'), publishedAt: new Date('2026-02-01T00:00:00Z') });
    const recent = await insertAlert(database, { networkId, content: content('Reciente', { urgent: true }), publishedAt: new Date('2026-03-01T00:00:00.123456Z') });
    await insertAlert(database, { networkId, status: 'draft', content: content('Borrador') });
    await insertAlert(database, { networkId, status: 'approved', content: content('Aprobada') });

    const first = await app.inject(`${BASE}?actType=${actType}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.json().data.map((a: { slug: string }) => a.slug)).toEqual([recent.slug, mid.slug]);
    expect(first.json().data[0]).toMatchObject({ urgent: true, status: 'published', title: { es: 'Reciente', en: 'Reciente (EN)' }, withdrawal: null });
    expect(first.json().data[1]).toMatchObject({ status: 'withdrawn', summary: null, withdrawal: { reason: 'Retirada en una prueba' } });
    const second = await app.inject(`${BASE}?actType=${actType}&limit=2&cursor=${first.json().nextCursor}`);
    expect(second.json()).toEqual({ data: [expect.objectContaining({ slug: old.slug })], nextCursor: null });
  });

  it('filters by state and act type, and says which filter was wrong', async () => {
    const database = getDatabase();
    const other = `TEST_${randomUUID().slice(0, 8).toUpperCase()}`;
    const yucatan = await insertAlert(database, { networkId, content: sampleAlertContent({ stateCodes: ['31'], actTypes: [other] }) });
    await insertAlert(database, { networkId, content: sampleAlertContent({ stateCodes: ['26'], actTypes: [other] }) });
    const byState = await app.inject(`${BASE}?actType=${other}&state=31`);
    expect(byState.json().data.map((a: { slug: string }) => a.slug)).toEqual([yucatan.slug]);

    for (const [query, field] of [['state=Sonora', 'state'], ['actType=<script>', 'actType'], ['limit=0', 'limit'], ['cursor=bm9wZQ', 'cursor'], ['nope=1', '']] as const) {
      const response = await app.inject(`${BASE}?${query}`);
      expect(response.statusCode, query).toBe(400);
      if (field) expect(JSON.stringify(response.json().error), query).toContain(field);
    }
  });

  it('shows exactly the published version, its correction notes, and nothing internal', async () => {
    const database = getDatabase();
    const alert = await insertAlert(database, { networkId, content: content('Publicada'), incidentIds: [incidentId], createdBy: undefined });
    // A published correction (version 2), then a draft edit (version 3) the public must not see.
    const corrected = content('Publicada y corregida');
    await database.db.insertInto('alert_versions').values({ alert_id: alert.id, version: 2, status: 'published', content: JSON.stringify(corrected), change_kind: 'corrected', note: 'Se corrigió el número de incidentes.' }).execute();
    await database.db.insertInto('alert_versions').values({ alert_id: alert.id, version: 3, status: 'draft', content: JSON.stringify(content('Borrador secreto')), change_kind: 'corrected', note: 'Nota interna' }).execute();
    await database.db.updateTable('alerts').set({ version: 3, published_version: 2, content: JSON.stringify(content('Borrador secreto')) }).where('id', '=', alert.id).execute();

    const response = await app.inject(`${BASE}/${alert.slug}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.title.es).toBe('Publicada y corregida');
    expect(body.text.es.title).toBe('Publicada y corregida');
    expect(body.corrections).toEqual([{ version: 2, at: expect.any(String), note: 'Se corrigió el número de incidentes.' }]);
    expect(body.addressees[0]).toEqual({ code: 'PRESIDENCIA', name: { es: 'Presidencia de la República', en: 'Office of the President' }, stateCode: null });
    const whole = response.body;
    for (const secret of [alert.id, alert.reference, incidentId, networkId, 'Borrador secreto', 'Nota interna']) expect(whole).not.toContain(secret);
    expect(Object.keys(body).sort()).toEqual(
      ['actTypes', 'addressees', 'corrections', 'legalRuleIds', 'period', 'perpetratorTypes', 'publishedAt', 'slug', 'stateCodes', 'status', 'text', 'title', 'updatedAt', 'urgent', 'withdrawal'].sort(),
    );
    const list = await app.inject(`${BASE}?actType=${actType}&limit=100`);
    for (const secret of [alert.id, alert.reference, incidentId, 'Borrador secreto', 'Nota interna']) expect(list.body).not.toContain(secret);
  });

  it('answers 404 for drafts and unknown addresses, 400 for a malformed one', async () => {
    const database = getDatabase();
    await insertAlert(database, { networkId, status: 'in_review' });
    expect((await app.inject(`${BASE}/no-existe`)).statusCode).toBe(404);
    expect((await app.inject(`${BASE}/No_Valid!`)).statusCode).toBe(400);
    expect((await app.inject(`${BASE}/no-existe/pdf`)).statusCode).toBe(404);
  });

  it('shows a withdrawn alert as its notice and reason, and answers 410 for its PDF', async () => {
    const withdrawn = await insertAlert(getDatabase(), { networkId, status: 'withdrawn', content: content('Ya no vigente') });
    const response = await app.inject(`${BASE}/${withdrawn.slug}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'withdrawn', text: null, withdrawal: { at: expect.any(String), reason: 'Retirada en una prueba' } });
    expect(response.body).not.toContain('Agua Prieta');
    const pdf = await app.inject(`${BASE}/${withdrawn.slug}/pdf?lang=es`);
    expect(pdf.statusCode).toBe(410);
    expect(pdf.json().error.code).toBe('GONE');
  });

  it('renders the PDF in Spanish and English, with the title, and refuses another language', async () => {
    const alert = await insertAlert(getDatabase(), { networkId, content: content('Título del PDF: «niñas»') });
    const es = await app.inject(`${BASE}/${alert.slug}/pdf?lang=es`);
    expect(es.statusCode).toBe(200);
    expect(es.headers['content-type']).toBe('application/pdf');
    expect(es.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfInfoTitle(es.rawPayload)).toBe('Título del PDF: «niñas»');
    const en = await app.inject(`${BASE}/${alert.slug}/pdf?lang=en`);
    expect(pdfInfoTitle(en.rawPayload)).toBe('Título del PDF: «niñas» (EN)');
    expect((await app.inject(`${BASE}/${alert.slug}/pdf?lang=fr`)).statusCode).toBe(400);
  });

  it('publishes Atom feeds in both languages with absolute addresses and escaped text', async () => {
    const tricky = await insertAlert(getDatabase(), {
      networkId,
      content: content('Albergue <b>"Casa"</b> & compañía', { urgent: true }),
      publishedAt: new Date(Date.now() + 60_000),
    });
    for (const [path, language, alertPath] of [['/alertas.atom', 'es', '/alertas/'], ['/en/alerts.atom', 'en', '/en/alerts/']] as const) {
      const response = await app.inject(path);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      expect(response.body).not.toContain('<b>');
      const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(response.body);
      const feed = parsed.feed;
      expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
      expect(feed['@xml:lang']).toBe(language);
      expect(feed.link).toContainEqual(expect.objectContaining({ '@rel': 'self', '@href': `https://vigia.example.org${path}` }));
      const entries = [feed.entry].flat();
      const entry = entries.find((e: { id: string }) => e.id === `https://vigia.example.org${alertPath}${tricky.slug}`);
      expect(entry, language).toBeDefined();
      const expectedTitle = language === 'es' ? '[Urgente] Albergue <b>"Casa"</b> & compañía' : '[Urgent] Albergue <b>"Casa"</b> & compañía (EN)';
      expect(entry.title['#text']).toBe(expectedTitle);
      expect(entry.link['@href']).toBe(`https://vigia.example.org${alertPath}${tricky.slug}`);
      expect(entry.published).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(entries.every((e: { id: string }) => e.id.startsWith('https://vigia.example.org/'))).toBe(true);
    }
  });
});
