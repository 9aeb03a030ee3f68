import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../../../test/db.js';
import { testConfig } from '../../../../test/config.js';
import { buildApp } from '../../app.js';

const BASE = '/api/v1/reference';

// The vocabularies DOMAIN.md §3 and §5 call for, written out here so that a file dropped from the data
// folder or the loader fails this test rather than passing silently.
const EXPECTED_VOCABULARIES = [
  'act_types',
  'perpetrator_types',
  'victim_characteristics',
  'place_types',
  'source_types',
  'source_connections',
  'source_reliability',
  'involvement_degrees',
  'intervention_types',
  'intervention_statuses',
  'addressees',
];

interface Problem {
  field: string;
  location: string;
}

describeEachEngine('reference API', (getDatabase) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildApp({ config: testConfig(), database: getDatabase() });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  async function get(url: string, server = app): Promise<{ status: number; body: any }> {
    const response = await server.inject(`${BASE}${url}`);
    return { status: response.statusCode, body: response.json() };
  }

  /**
   * Reference data is loaded when a server starts (and kept, answer by answer, while it runs): a test that
   * changes it asks a server started after the change, as an operator's restart after a reload would.
   */
  async function withServerStartedNow<T>(use: (server: FastifyInstance) => Promise<T>): Promise<T> {
    const server = await buildApp({ config: testConfig(), database: getDatabase() });
    await server.ready();
    try {
      return await use(server);
    } finally {
      await server.close();
    }
  }

  it('answers each reference list once computed, with an ETag, and 304 to a client that holds it', async () => {
    const first = await app.inject(`${BASE}/states`);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await app.inject(`${BASE}/states`);
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(etag);
    const held = await app.inject({ url: `${BASE}/states`, headers: { 'if-none-match': etag } });
    expect(held.statusCode).toBe(304);
    expect(held.body).toBe('');
    // Another language is another answer with its own tag; a failed lookup is not kept.
    const english = await app.inject(`${BASE}/vocabularies/act_types?lang=en`);
    expect(english.headers.etag).not.toBe((await app.inject(`${BASE}/vocabularies/act_types`)).headers.etag);
    expect((await get('/vocabularies/no_such_list')).status).toBe(404);
    expect((await get('/vocabularies/no_such_list')).status).toBe(404);
  });

  it('lists the 32 states in INEGI order with unique ISO 3166-2 codes', async () => {
    const { status, body } = await get('/states');
    expect(status).toBe(200);
    const states = body.data as Array<{ code: string; name: string; iso3166_2: string }>;
    expect(states).toHaveLength(32);
    expect(states.map((s) => s.code)).toEqual(Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(states[4]).toEqual({
      code: '05',
      name: 'Coahuila',
      officialName: 'Coahuila de Zaragoza',
      abbreviation: 'Coah.',
      iso3166_2: 'MX-COA',
    });
    expect(states[6]).toMatchObject({ code: '07', name: 'Chiapas', iso3166_2: 'MX-CHP' });
    expect(states[7]).toMatchObject({ code: '08', name: 'Chihuahua', iso3166_2: 'MX-CHH' });
    expect(states[8]).toMatchObject({ code: '09', name: 'Ciudad de México', iso3166_2: 'MX-CMX' });
    expect(new Set(states.map((s) => s.iso3166_2)).size).toBe(32);
    // State names are proper names: the same in both languages.
    expect((await get('/states?lang=en')).body).toEqual(body);
  });

  it('serves the state outlines as GeoJSON for maps', async () => {
    const response = await app.inject(`${BASE}/states/geojson`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
    const collection = response.json();
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(32);
    const chiapas = collection.features.find((f: { properties: { code: string } }) => f.properties.code === '07');
    expect(chiapas.properties).toEqual({ code: '07', name: 'Chiapas' });
    expect(['Polygon', 'MultiPolygon']).toContain(chiapas.geometry.type);
    // Chiapas lies between about 14.5°N and 18°N, 90°W and 94.5°W.
    const [lon, lat] = chiapas.geometry.coordinates.flat(2) as number[];
    expect(lon).toBeGreaterThan(-95);
    expect(lon).toBeLessThan(-90);
    expect(lat).toBeGreaterThan(14);
    expect(lat).toBeLessThan(18.5);
  });

  it("lists a state's municipalities, alphabetically in Spanish", async () => {
    const { status, body } = await get('/municipalities?state=07');
    expect(status).toBe(200);
    const municipalities = body.data as Array<{ cvegeo: string; stateCode: string; name: string }>;
    expect(municipalities.length).toBeGreaterThan(120);
    expect(municipalities.every((m) => m.stateCode === '07' && m.cvegeo.startsWith('07'))).toBe(true);
    expect(municipalities.find((m) => m.cvegeo === '07089')).toEqual({
      cvegeo: '07089',
      stateCode: '07',
      code: '089',
      name: 'Tapachula',
      seatName: 'Tapachula de Córdova y Ordóñez',
      lat: 14.911071,
      lon: -92.26432,
      retiredIn: null,
    });
    const names = municipalities.map((m) => m.name);
    expect(names).toEqual([...names].sort(new Intl.Collator('es').compare));
    // An accented initial sorts with its letter, not after "Z" as a byte order would put it.
    expect(names.indexOf('Ángel Albino Corzo')).toBeLessThan(names.indexOf('Bejucal de Ocampo'));
  });

  it('leaves retired municipalities out unless asked for', async () => {
    const { db } = getDatabase();
    await db.updateTable('ref_municipalities').set({ retired_in: '2099-01' }).where('cvegeo', '=', '07001').execute();
    try {
      await withServerStartedNow(async (server) => {
        const current = (await get('/municipalities?state=07', server)).body.data as Array<{ cvegeo: string }>;
        expect(current.map((m) => m.cvegeo)).not.toContain('07001');
        const all = (await get('/municipalities?state=07&includeRetired=true', server)).body.data as Array<{
          cvegeo: string;
          retiredIn: string | null;
        }>;
        expect(all.find((m) => m.cvegeo === '07001')?.retiredIn).toBe('2099-01');
        expect(all).toHaveLength(current.length + 1);
      });
    } finally {
      await db.updateTable('ref_municipalities').set({ retired_in: null }).where('cvegeo', '=', '07001').execute();
    }
  });

  it('answers 400 naming the field for a malformed state, a missing state or an unknown language', async () => {
    for (const [url, field] of [
      ['/municipalities?state=7', 'state'],
      ['/municipalities', 'state'],
      ['/municipalities?state=07&includeRetired=yes', 'includeRetired'],
      ['/states?lang=fr', 'lang'],
      ['/vocabularies/act_types?lang=fr', 'lang'],
      ['/legal-rules?lang=fr', 'lang'],
    ] as const) {
      const { status, body } = await get(url);
      expect(status, url).toBe(400);
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect((body.error.details as Problem[]).map((d) => d.field)).toContain(field);
      expect(body.error.message).toContain(field);
    }
  });

  it('answers 404 for an unknown state or vocabulary', async () => {
    const state = await get('/municipalities?state=33');
    expect(state.status).toBe(404);
    expect(state.body.error).toMatchObject({ code: 'NOT_FOUND', details: { state: '33' } });
    expect(state.body.error.message).toContain('"33"');

    const vocabulary = await get('/vocabularies/weather');
    expect(vocabulary.status).toBe(404);
    expect(vocabulary.body.error).toMatchObject({ code: 'NOT_FOUND', details: { name: 'weather' } });
  });

  it('lists every vocabulary with labels in the requested language', async () => {
    const es = (await get('/vocabularies')).body.data as Array<{ name: string; label: string }>;
    const en = (await get('/vocabularies?lang=en')).body.data as Array<{ name: string; label: string }>;
    expect(es.map((v) => v.name).sort()).toEqual([...EXPECTED_VOCABULARIES].sort());
    expect(es.find((v) => v.name === 'act_types')!.label).toBe('Tipos de acto');
    expect(en.find((v) => v.name === 'act_types')!.label).toBe('Types of act');
  });

  it('gives each vocabulary its active terms with non-empty labels in both languages', async () => {
    for (const name of EXPECTED_VOCABULARIES) {
      const es = await get(`/vocabularies/${name}`);
      const en = await get(`/vocabularies/${name}?lang=en`);
      expect(es.status, name).toBe(200);
      expect(es.body.data.name).toBe(name);
      const esTerms = es.body.data.terms as Array<{ code: string; label: string }>;
      const enTerms = en.body.data.terms as Array<{ code: string; label: string }>;
      expect(esTerms.length, name).toBeGreaterThan(0);
      expect(enTerms.map((t) => t.code)).toEqual(esTerms.map((t) => t.code));
      for (const [i, term] of esTerms.entries()) {
        expect(term.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
        expect(term.label.trim(), `${name}.${term.code} es`).not.toBe('');
        expect(enTerms[i]!.label.trim(), `${name}.${term.code} en`).not.toBe('');
      }
    }
  });

  it('labels act types in Spanish by default and in English on request, in their sort order', async () => {
    const es = (await get('/vocabularies/act_types')).body.data;
    const en = (await get('/vocabularies/act_types?lang=en')).body.data;
    expect(es.terms[0]).toEqual({
      code: 'HARASSMENT',
      label: 'Hostigamiento',
      description: null,
      huridocsCode: '020103',
      parentCode: null,
    });
    expect(en.terms[0]).toMatchObject({ code: 'HARASSMENT', label: 'Harassment' });
    const check = es.terms.find((t: { code: string }) => t.code === 'MIGRATION_CHECK');
    expect(check).toMatchObject({ label: 'Verificación o revisión migratoria en el albergue', huridocsCode: null });
    expect(check.description).toMatch(/albergue/);
    const checkEn = en.terms.find((t: { code: string }) => t.code === 'MIGRATION_CHECK');
    expect(checkEn.description).toMatch(/shelter/);

    const perpetrators = (await get('/vocabularies/perpetrator_types?lang=en')).body.data.terms as Array<{ code: string; label: string }>;
    expect(perpetrators.find((t) => t.code === 'GN')!.label).toBe('National Guard');
    const characteristics = (await get('/vocabularies/victim_characteristics')).body.data.terms as Array<{
      code: string;
      parentCode: string | null;
    }>;
    expect(characteristics.find((t) => t.code === 'UNACCOMPANIED_CHILD')!.parentCode).toBe('CHILD_ADOLESCENT');
  });

  it('hides inactive terms and shows local ones', async () => {
    const { db } = getDatabase();
    await db
      .insertInto('vocabulary_terms')
      .values({ vocabulary: 'place_types', code: 'BUS_STATION', label_es: 'Central de autobuses', label_en: 'Bus station', origin: 'local', sort_order: 15 })
      .execute();
    await db.updateTable('vocabulary_terms').set({ active: false }).where('vocabulary', '=', 'place_types').where('code', '=', 'ONLINE').execute();
    try {
      const codes = await withServerStartedNow(async (server) =>
        ((await get('/vocabularies/place_types', server)).body.data.terms as Array<{ code: string }>).map((t) => t.code),
      );
      expect(codes).not.toContain('ONLINE');
      expect(codes.slice(0, 2)).toEqual(['MIGRANT_SHELTER', 'BUS_STATION']);
    } finally {
      await db.deleteFrom('vocabulary_terms').where('code', '=', 'BUS_STATION').execute();
      await db.updateTable('vocabulary_terms').set({ active: true }).where('vocabulary', '=', 'place_types').where('code', '=', 'ONLINE').execute();
    }
  });

  it('names the legal rules in number order, titled and cited in the requested language', async () => {
    const es = (await get('/legal-rules')).body.data;
    const en = (await get('/legal-rules?lang=en')).body.data;
    expect(es.map((r: { id: string }) => r.id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R12']);
    expect(es[0]).toEqual({ id: 'R1', title: 'Verificación migratoria en un albergue', citation: 'Ley de Migración, art. 76', status: 'verified' });
    expect(en[0]).toMatchObject({ id: 'R1', title: 'Migration verification at a shelter', citation: 'Migration Law (Ley de Migración), art. 76' });
    expect(es.find((r: { id: string }) => r.id === 'R6').status).toBe('to_confirm');
  });

  it('documents every reference route in the OpenAPI document', async () => {
    const spec = (await app.inject('/api/openapi.json')).json();
    for (const route of ['/states', '/states/geojson', '/municipalities', '/vocabularies', '/vocabularies/{name}', '/legal-rules']) {
      const operation = spec.paths[`${BASE}${route}`]?.get;
      expect(operation, route).toBeDefined();
      expect(operation.tags).toEqual(['reference']);
    }
    const municipalities = spec.paths[`${BASE}/municipalities`].get;
    expect(municipalities.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['lang', 'state', 'includeRetired']),
    );
    expect(Object.keys(municipalities.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
  });
});
