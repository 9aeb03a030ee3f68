import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { testConfig, testKeyring } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { aguaPrietaDocument, verifiedIncident as verifiedIncidentIn } from '../../../../test/incidents.js';
import { insertOrganization, insertUser, userActor } from '../../../../test/organizations.js';
import { archiveIncident } from '../../../commands/archive-incident.js';
import { changeIncidentStatus } from '../../../commands/change-incident-status.js';
import { createIncident } from '../../../commands/create-incident.js';
import { rebuildPublicRollups } from '../../../commands/public-rollups.js';
import { setIncidentSharing } from '../../../commands/share-incident.js';
import { updateIncident } from '../../../commands/update-incident.js';
import { incidentDocumentSchema } from '../../../domain/incident.js';
import type { Actor } from '../../../policies/actor.js';
import { buildApp } from '../../app.js';

interface Cell {
  key: string;
  label: string;
  count: number | null;
  suppressed: 'small' | 'complementary' | null;
  display: string;
}
interface Dashboard {
  threshold: number;
  period: { from: string; to: string } | null;
  total: Omit<Cell, 'key' | 'label'>;
  byState: Cell[];
  byMonth: Cell[];
  byActType: Cell[];
  byPerpetratorType: Cell[];
  byPlaceType: Cell[];
}

describeEachEngine('public statistics API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let documenter: Actor;
  let reviewer: Actor;
  const keyring = testKeyring();

  const verifiedIncident = (place: { stateCode: string; municipalityCode: string | null }, date: string, options: { shared?: boolean; perpetrator?: string } = {}) =>
    verifiedIncidentIn(database, { keyring, organizationId: orgId, documenter, reviewer, place, date, ...options });

  async function summary(query = ''): Promise<Dashboard> {
    const response = await app.inject({ method: 'GET', url: `/api/v1/statistics/summary${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }

  const cell = (cells: Cell[], key: string) => cells.find((c) => c.key === key)!;
  const rollupRows = () =>
    database.db.selectFrom('public_rollup').selectAll().where('incidents', '<>', 0).orderBy(['act_type', 'perpetrator_type', 'place_type', 'month', 'state_code']).execute();

  let orgId: string;
  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    orgId = (await insertOrganization(database)).id;
    documenter = userActor(await insertUser(database, { memberships: { [orgId]: ['documenter'] } }), { [orgId]: ['documenter'] });
    reviewer = userActor(await insertUser(database, { memberships: { [orgId]: ['reviewer'] } }), { [orgId]: ['reviewer'] });
    for (const day of ['01', '10', '20', '27']) await verifiedIncident({ stateCode: '26', municipalityCode: '26002' }, `2019-06-${day}`);
    await verifiedIncident({ stateCode: '07', municipalityCode: '07089' }, '2019-07-30', { perpetrator: 'INM' });
    for (const day of ['03', '12', '19', '26']) await verifiedIncident({ stateCode: '05', municipalityCode: '05035' }, `2019-08-${day}`);
    // Not counted: not shared; never verified.
    await verifiedIncident({ stateCode: '27', municipalityCode: '27017' }, '2019-08-02', { shared: false });
    await createIncident({ database, keyring, actor: documenter, organizationId: orgId, document: incidentDocumentSchema.parse(aguaPrietaDocument({ place: { stateCode: '30', municipalityCode: null, placeType: null } })) });
  });

  it('counts only verified, shared incidents, and hides every figure under the threshold', async () => {
    const d = await summary();
    expect(d.threshold).toBe(3);
    expect(d.period).toEqual({ from: '2019-06', to: '2019-08' });
    expect(d.total).toMatchObject({ count: 9, display: '9' });
    expect(cell(d.byState, '07')).toMatchObject({ label: 'Chiapas', count: null, suppressed: 'small', display: '<3' });
    expect(cell(d.byState, '27').count).toBe(0);
    expect(cell(d.byState, '30').count).toBe(0);
    // Sonora 4, Chiapas 1, Coahuila 4 with the total shown: hiding Chiapas alone gives it back (9 − 4 − 4).
    expect(cell(d.byState, '05')).toMatchObject({ count: null, suppressed: 'complementary', display: '—' });
    expect(cell(d.byState, '26')).toMatchObject({ count: 4, display: '4' });
    for (const c of [...d.byState, ...d.byMonth, ...d.byActType, ...d.byPerpetratorType, ...d.byPlaceType]) {
      if (c.count !== null) expect(c.count === 0 || c.count >= 3, `${c.key}: ${c.count}`).toBe(true);
    }
    expect(d.byMonth.map((m) => [m.key, m.display])).toEqual([['2019-06', '—'], ['2019-07', '<3'], ['2019-08', '4']]);
    expect(d.byMonth[0]!.label).toBe('jun 2019');
    expect(cell(d.byPerpetratorType, 'INM').display).toBe('<3');
    expect(cell(d.byPerpetratorType, 'GN')).toMatchObject({ count: 8 });
    expect(cell(d.byActType, 'ATTEMPTED_ENTRY')).toMatchObject({ count: 9 });
  });

  it('filters by period, state, act and perpetrator; a state keeps the figure it has on the map', async () => {
    const sonora = await summary('?state=26&lang=en');
    expect(sonora.total).toEqual({ count: 4, suppressed: null, display: '4' });
    // Coahuila is hidden on the map to protect Chiapas: filtering by it must not give its figure back.
    const coahuila = await summary('?state=05');
    expect(coahuila.total.display).toBe('—');
    expect(coahuila.byMonth.every((m) => m.count === null || m.count === 0)).toBe(true);
    expect(coahuila.byActType.every((m) => m.count === null)).toBe(true);
    const chiapas = await summary('?state=07');
    expect(chiapas.total.display).toBe('<3');
    expect(chiapas.byMonth.every((m) => m.count === 0 || m.count === null)).toBe(true);
    const june = await summary('?from=2019-06&to=2019-06');
    expect(june.total).toMatchObject({ count: 4 });
    expect(cell(june.byState, '26')).toMatchObject({ count: 4 });
    expect((await summary('?perpetrator=INM')).total.display).toBe('<3');
    expect((await summary('?act=ATTEMPTED_ENTRY&perpetrator=GN')).total.count).toBe(8);
    expect((await summary('?act=ABDUCTION')).total.count).toBe(0);
    const labels = await summary('?lang=en');
    expect(labels.byMonth[0]!.label).toBe('Jun 2019');
  });

  it('answers a clear 400 for a bad filter', async () => {
    for (const q of ['?from=2019-13', '?state=7', '?act=attempted', '?from=2019-08&to=2019-06', '?lang=fr']) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/statistics/summary${q}` });
      expect(response.statusCode, q).toBe(400);
      expect(response.json().error.message).toMatch(/Invalid query/);
    }
  });

  it('serves the map, series, breakdowns and a state’s municipalities', async () => {
    const states = (await app.inject({ method: 'GET', url: '/api/v1/statistics/states' })).json();
    expect(states.data).toHaveLength(32);
    const monthly = (await app.inject({ method: 'GET', url: '/api/v1/statistics/monthly?state=26' })).json();
    expect(monthly.data.map((m: Cell) => m.display)).toEqual(['4', '0', '0']);
    const breakdowns = (await app.inject({ method: 'GET', url: '/api/v1/statistics/breakdowns' })).json();
    expect(Object.keys(breakdowns)).toEqual(['threshold', 'total', 'byActType', 'byPerpetratorType', 'byPlaceType']);
    const coahuila = (await app.inject({ method: 'GET', url: '/api/v1/statistics/states/05/municipalities' })).json();
    expect(coahuila.state.label).toBe('Coahuila');
    expect(coahuila.state.display).toBe('—');
    expect(coahuila.data).toEqual([expect.objectContaining({ key: '05035', label: 'Torreón', count: null, display: '—' })]);
    const sonora = (await app.inject({ method: 'GET', url: '/api/v1/statistics/states/26/municipalities?lang=en' })).json();
    expect(sonora.data).toEqual([expect.objectContaining({ key: '26002', label: 'Agua Prieta', count: 4 })]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/statistics/states/99/municipalities' })).statusCode).toBe(404);
  });

  it('serves the states as projected SVG paths for the map, one per state, inside the drawing', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/statistics/map' });
    expect(response.statusCode).toBe(200);
    const map: { viewBox: string; states: { code: string; name: string; path: string }[] } = response.json();
    const [, , width, height] = map.viewBox.split(' ').map(Number);
    expect(map.states.map((s) => s.code)).toEqual(Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(map.states.find((s) => s.code === '26')!.name).toBe('Sonora');
    for (const state of map.states) {
      expect(state.path).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+Z/);
      const numbers = state.path.match(/[\d.]+/g)!.map(Number);
      expect(Math.max(...numbers.filter((_, i) => i % 2 === 0))).toBeLessThanOrEqual(width!);
      expect(Math.max(...numbers.filter((_, i) => i % 2 === 1))).toBeLessThanOrEqual(height!);
    }
    expect(response.body.length).toBeLessThan(100_000);
  });

  it('keeps the rollups in step with every change, as a rebuild would compute them', async () => {
    const extra = await verifiedIncident({ stateCode: '26', municipalityCode: '26002' }, '2019-06-15');
    expect((await summary()).total.count).toBe(10);
    await setIncidentSharing({ database, actor: documenter, incidentId: extra.id, shared: false });
    expect((await summary()).total.count).toBe(9);
    await setIncidentSharing({ database, actor: documenter, incidentId: extra.id, shared: true });
    expect((await summary()).total.count).toBe(10);
    // An edit of a verified record sends it back to review: it stops counting until verified again.
    const moved = incidentDocumentSchema.parse({ ...aguaPrietaDocument(), startDate: { date: '2019-08-15', precision: 'day' }, place: { stateCode: '05', municipalityCode: '05035', placeType: 'MIGRANT_SHELTER' } });
    await updateIncident({ database, keyring, actor: documenter, incidentId: extra.id, expectedVersion: extra.version + 2, document: moved });
    expect((await summary()).total.count).toBe(9);
    await changeIncidentStatus({ database, actor: reviewer, incidentId: extra.id, step: 'verify' });
    const after = await summary('?state=05');
    expect(after.total.count).toBe(5);
    await archiveIncident({ database, actor: reviewer, incidentId: extra.id, reason: 'duplicado' });
    expect((await summary()).total.count).toBe(9);
    const incremental = await rollupRows();
    await rebuildPublicRollups(database.db);
    expect(await rollupRows()).toEqual(incremental);
  });
});
