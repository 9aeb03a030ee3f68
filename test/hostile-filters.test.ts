import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { testConfig } from './config.js';
import { describeEachEngine, type TestDatabase } from './db.js';
import { apiRoutes, encode, fillPath, plantOrganization, reachablePathValues, SQL, type ApiRoute, type PlantedOrganization } from './hostile.js';

/*
 * SQL metacharacters in the filters and path ids of every signed-in read (issue 7 item 4). The routes are
 * not listed here: they are every GET under /api/v1 the app registers that is not public, with the query
 * parameters the OpenAPI document gives them, so one added later is attacked too. The caller holds every
 * role in organization A and its network, second factor passed; organization B has a record of every
 * kind, each carrying a marker. Whatever goes in a query parameter or a path id — SQL, arbitrary strings,
 * B's own ids — the answer is never a 5xx, a refusal is a 4xx in the one error shape (a 400 naming the
 * parameter), and an answer that succeeds holds nothing of B.
 */

/** Cases per route; `VIGIA_FUZZ_RUNS=500` for a longer hunt. */
const RUNS = Number(process.env.VIGIA_FUZZ_RUNS ?? 12);

const MARKER_B = 'MARCADOR-DE-B';

describeEachEngine('hostile filters and ids on every signed-in read', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let a: PlantedOrganization;
  let b: PlantedOrganization;
  let routes: ApiRoute[];
  /** Per route, path values that reach one of A's records. */
  const reachable = new Map<ApiRoute, Record<string, string>>();
  const unreachable: string[] = [];

  async function get(url: string) {
    return app.inject({ method: 'GET', url, headers: a.headers });
  }

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    a = await plantOrganization(app, database, 'organización A');
    b = await plantOrganization(app, database, MARKER_B);
    routes = apiRoutes(app).filter((r) => r.method === 'GET' && r.access !== 'public');
    for (const route of routes) {
      const values = await reachablePathValues(app, route, a.headers, [...a.ids, ...a.otherValues]);
      if (!values) unreachable.push(route.url);
      reachable.set(route, values ?? Object.fromEntries(route.pathParams.map((p) => [p, a.ids[0]!])));
    }
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it("finds the signed-in reads from the app, and reaches A's records through their ids", async () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of ['GET /api/v1/incidents', 'GET /api/v1/audit', 'GET /api/v1/alerts', 'GET /api/v1/organizations/:id/reports', 'GET /api/v1/networks/:id/signals', 'GET /api/v1/incidents/:id/versions/:version/diff']) {
      expect(keys).toContain(expected);
    }
    // Every read answers A's own records, so the attacks below reach the query behind it.
    expect(unreachable).toEqual([]);
    // And B's marker is something a list shows: its absence below means something.
    expect((await app.inject({ method: 'GET', url: '/api/v1/incidents', headers: b.headers })).body).toContain(MARKER_B);
  });

  it("answers SQL in every query parameter and path id with a 4xx naming it or ordinary results, never B's records", { timeout: 300_000 }, async () => {
    const hostile = fc.oneof(fc.constantFrom(...SQL), fc.constantFrom(...b.ids, ...b.otherValues), fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
    for (const route of routes) {
      const valid = reachable.get(route)!;
      const names = [...route.query.map((q) => q.name), 'organizationId', 'x'];
      const attack = fc.record({
        // Each path id is A's own (so the query is read), B's, or hostile.
        path: fc.record(Object.fromEntries(route.pathParams.map((p) => [p, fc.oneof({ arbitrary: fc.constant(valid[p]!), weight: 3 }, { arbitrary: hostile, weight: 2 })]))),
        query: fc.dictionary(fc.constantFrom(...names), hostile, { minKeys: 1, maxKeys: 3 }),
      });
      await fc.assert(
        fc.asyncProperty(attack, async ({ path, query }) => {
          const search = Object.entries(query).map(([k, v]) => `${k}=${encode(v)}`).join('&');
          const url = `${fillPath(route.url, Object.fromEntries(Object.entries(path).map(([k, v]) => [k, encode(v)])))}?${search}`;
          const response = await get(url);
          const context = `GET ${url.slice(0, 200)} answered ${response.statusCode}: ${response.body.slice(0, 300)}`;
          expect(response.statusCode, context).toBeLessThan(500);
          if (response.statusCode >= 400) {
            const body = response.json() as { error?: { code?: string; message?: string } };
            expect(body.error?.code, context).toMatch(/^[A-Z_]+$/);
            expect(body.error?.message?.length ?? 0, context).toBeGreaterThan(10);
            if (response.statusCode === 400) {
              const named = [...Object.keys(query), ...Object.keys(path).filter((p) => path[p] !== valid[p])];
              expect(named.some((n) => body.error!.message!.includes(n)), `${context} names none of ${named.join(', ')}`).toBe(true);
            }
          } else {
            const leaked = [MARKER_B, ...b.ids].filter((id) => response.body.includes(id) && !Object.values(query).some((v) => v.includes(id)));
            expect(leaked, context).toEqual([]);
          }
        }),
        { numRuns: RUNS },
      );
    }
  });
});
