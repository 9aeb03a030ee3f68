import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { testConfig, testKeyring } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { verifiedIncident } from '../../../../test/incidents.js';
import { insertOrganization, insertUser, userActor } from '../../../../test/organizations.js';
import { buildApp } from '../../app.js';

describeEachEngine('open data API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    const organizationId = (await insertOrganization(database)).id;
    const documenter = userActor(await insertUser(database, { memberships: { [organizationId]: ['documenter'] } }), { [organizationId]: ['documenter'] });
    const reviewer = userActor(await insertUser(database, { memberships: { [organizationId]: ['reviewer'] } }), { [organizationId]: ['reviewer'] });
    const add = (stateCode: string, municipalityCode: string, date: string, extra: { mayPublish?: boolean; narrative?: string } = {}) =>
      verifiedIncident(database, { keyring: testKeyring(), organizationId, documenter, reviewer, place: { stateCode, municipalityCode }, date, mayPublish: true, ...extra });
    await add('26', '26002', '2019-06-27', { narrative: '=HYPERLINK("http://example.org","x") llegaron dos patrullas' });
    await add('26', '26002', '2019-06-28');
    await add('26', '26002', '2019-07-02');
    await add('26', '26030', '2019-07-04');
    // Not published as rows: no consent; a state with fewer than three published incidents.
    await add('26', '26030', '2019-07-05', { mayPublish: false, narrative: 'Relato que no debe publicarse' });
    await add('07', '07089', '2019-07-30');
    await add('07', '07089', '2019-07-31');
  });

  const get = (path: string) => app.inject({ method: 'GET', url: `/api/v1/open-data/${path}` });

  it('lists only consented rows, by month, with municipalities shared by at least three', async () => {
    const response = await get('incidents.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers.link).toMatch(/creativecommons\.org\/licenses\/by\/4\.0/);
    const records = parse(response.body, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(4);
    expect(records.every((r) => r.state_code === '26')).toBe(true);
    expect(records.map((r) => r.month)).toEqual(['2019-06', '2019-06', '2019-07', '2019-07']);
    expect(records.filter((r) => r.municipality_code === '26002')).toHaveLength(3);
    expect(records[3]).toMatchObject({ municipality_code: '', municipality_name: '' });
    expect(records[0]!.narrative).toMatch(/^'=HYPERLINK/);
    expect(response.body).not.toContain('Relato que no debe publicarse');
    expect(response.body).not.toContain('Coordinadora del albergue');
    expect(response.body).not.toContain('Hermana Rosa');
  });

  it('serves HXL, JSON and GeoJSON of the same rows, and a dictionary with the licence and the INEGI credit', async () => {
    const hxl = parse((await get('incidents.hxl.csv')).body) as string[][];
    expect(hxl[1]).toContain('#adm2+code');
    expect(hxl[1]!.every((tag) => tag.startsWith('#'))).toBe(true);
    expect(hxl).toHaveLength(6);
    const json = (await get('incidents.json')).json();
    expect(json.licence.name).toBe('CC BY 4.0');
    expect(json.data).toHaveLength(4);
    const geo = await get('incidents.geojson');
    expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/);
    const collection = geo.json();
    expect(collection.type).toBe('FeatureCollection');
    const points = collection.features.filter((f: { geometry: unknown }) => f.geometry !== null);
    expect(points).toHaveLength(3);
    const [lon, lat] = points[0].geometry.coordinates;
    expect(lon).toBeCloseTo(-109.5, 0);
    expect(lat).toBeCloseTo(31.3, 0);
    const dictionary = (await get('dictionary')).json();
    expect(dictionary.licence.geography).toMatch(/INEGI/);
    expect(dictionary.columns.map((c: { name: string }) => c.name)).toEqual(Object.keys(json.data[0]));
  });
});
