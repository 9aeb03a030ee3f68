import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { testConfig } from './config.js';
import { describeEachEngine, type TestDatabase } from './db.js';
import { apiRoutes, encode } from './hostile.js';

/*
 * Hostile input on every public endpoint (issue 7 item 4). The endpoints are not listed here: they are
 * every /api/v1 route the app registers with `config.access` public, so one added later is covered too.
 * Whatever is sent — malformed JSON, wrong types, huge or deeply nested values, invalid UTF-8, NUL
 * characters, unexpected fields, hostile path segments and query strings — the answer is never a 5xx;
 * a refusal is a 4xx in the one error shape with a message that says what was wrong, and a refused
 * request leaves every table as it was.
 */

/** Cases per property; `VIGIA_FUZZ_RUNS=500` for a longer hunt. */
const RUNS = Number(process.env.VIGIA_FUZZ_RUNS ?? 25);

/** Attacks whose body no endpoint can read, so that even one which ignores its body must refuse them. */
const UNREADABLE = /^(malformed JSON|invalid UTF-8|NUL character)/;

interface PublicRoute {
  method: string;
  url: string;
  /** Property names of its JSON body, from the OpenAPI document (empty when it takes none). */
  bodyFields: string[];
  queryFields: string[];
}

/** Strings an attacker tries first: traversal, SQL and script metacharacters, control and odd Unicode. */
const NASTY = [
  '../../../../etc/passwd',
  "' OR '1'='1",
  "'; drop table incidents; --",
  '"\\',
  '%00',
  '\u0000',
  '\u202e\u0000\ud800',
  '<script>window.__pwned=1</script>',
  '${7*7}{{7*7}}',
  '=cmd|" /C calc"!A0',
  'a'.repeat(70_000),
  '1e309',
  '-1',
  '__proto__',
];

const nastyString = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nastyString, fc.constantFrom(null, true, -1, 1e308, [], {}));

function nested(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

/** A raw body and its declared type, for one attack on a body-taking route. */
function bodyAttacks(route: PublicRoute): fc.Arbitrary<{ payload: string | Buffer; contentType: string; label: string }> {
  const json = (label: string) => (value: unknown) => ({ payload: JSON.stringify(value), contentType: 'application/json', label });
  // Every attack but the last two is a body no endpoint can accept.
  const shaped = fc
    .record({
      known: fc.dictionary(route.bodyFields.length > 0 ? fc.constantFrom(...route.bodyFields) : fc.string(), anyJson, { maxKeys: 6 }),
      extra: fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('constructor', 'isAdmin', 'organizationId', 'status')), anyJson, { maxKeys: 3 }),
    })
    .map(({ known, extra }) => ({ ...extra, ...known }));
  return fc.oneof(
    fc.constantFrom('{', '{"a":', '[1,2', '{"a":1}}', "{'a':1}", 'nul', '', '\u0000', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}').map((p) => ({ payload: p, contentType: 'application/json', label: 'malformed JSON' })),
    anyJson.map(json('wrong type')),
    shaped.map(json('wrong types and unexpected fields')),
    fc.constantFrom(1_000, 100_000).map((d) => ({ payload: nested(d, '[', ']'), contentType: 'application/json', label: `nested ${d} deep` })),
    fc.constantFrom(1_000, 50_000).map((d) => ({ payload: '{"a":'.repeat(d) + '1' + '}'.repeat(d), contentType: 'application/json', label: `objects nested ${d} deep` })),
    fc.constantFrom(...route.bodyFields.length > 0 ? route.bodyFields : ['x']).map((field) => ({
      // Bytes that are not UTF-8 inside a string value (a lone continuation byte, an overlong NUL, a cut sequence).
      payload: Buffer.concat([Buffer.from(`{"${field}":"abc`), Buffer.from([0xc0, 0x80, 0xff, 0xe2, 0x82]), Buffer.from('"}')]),
      contentType: 'application/json',
      label: 'invalid UTF-8',
    })),
    fc.constantFrom(...route.bodyFields.length > 0 ? route.bodyFields : ['x']).map((field) => ({ payload: `{"${field}":"a\\u0000b"}`, contentType: 'application/json', label: 'NUL character' })),
    fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded').map((contentType) => ({ payload: 'a=1&b=<x/>', contentType, label: `body as ${contentType}` })),
  );
}

/** A path for the route with each `:param` replaced by something hostile, plus a hostile query string. */
function urlAttacks(route: PublicRoute): fc.Arbitrary<string> {
  const segment = fc.oneof(fc.constantFrom('..', '%2e%2e%2f', '%00', "1'--", '00000000-0000-0000-0000-000000000000', '%ff%fe', 'a'.repeat(5000)), fc.string({ maxLength: 20 }).map(encode));
  const query = fc.array(
    fc.tuple(fc.oneof(fc.constantFrom(...route.queryFields, 'x', '__proto__', 'q[]'), fc.string({ maxLength: 8 })), fc.oneof(nastyString, fc.constantFrom('%00', '%ff', '%', '1e999'))),
    { maxLength: 4 },
  );
  return fc.tuple(fc.array(segment, { minLength: 4, maxLength: 4 }), query).map(([segments, pairs]) => {
    let i = 0;
    const path = route.url.replace(/:[A-Za-z]+/g, () => segments[i++ % segments.length]!);
    const search = pairs.map(([k, v]) => `${encode(k)}=${v.startsWith('%') ? v : encode(v)}`).join('&');
    return search ? `${path}?${search}` : path;
  });
}

describeEachEngine('hostile input on every public endpoint', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let routes: PublicRoute[];
  let tables: string[];

  /** Every table's row count, in one statement. */
  async function rowCounts(): Promise<Record<string, number>> {
    const select = tables.map((t) => `(select count(*) from "${t}")::int as "${t}"`).join(', ');
    const result = await sql.raw<Record<string, number>>(`select ${select}`).execute(database.db);
    return result.rows[0]!;
  }

  async function expectRefusedCleanly(request: { method: string; url: string; payload?: string | Buffer; contentType?: string }, label: string) {
    const before = await rowCounts();
    const response = await app.inject({
      method: request.method as 'POST',
      url: request.url,
      ...(request.payload !== undefined ? { payload: request.payload, headers: { 'content-type': request.contentType ?? 'application/json', 'idempotency-key': 'k'.repeat(16) } } : {}),
      // A fresh address each time, so the per-address limits do not hide what validation would say.
      remoteAddress: `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    });
    const context = `${request.method} ${request.url.slice(0, 120)} (${label}) answered ${response.statusCode}: ${response.body.slice(0, 300)}`;
    expect(response.statusCode, context).toBeLessThan(500);
    if (response.statusCode >= 400) {
      const body = response.json() as { error?: { code?: string; message?: string } };
      expect(body.error?.code, context).toMatch(/^[A-Z_]+$/);
      expect(body.error?.message?.length ?? 0, context).toBeGreaterThan(10);
      const after = await rowCounts();
      if (![400, 413, 415].includes(response.statusCode)) {
        // A refusal after reading the input (a failed sign-in, a wrong receipt secret) is a security event:
        // it is audited and counted against the address or account; nothing else may change.
        for (const kept of ['audit_log', 'audit_head', 'sign_in_throttle', 'intake_throttle']) after[kept] = before[kept]!;
      }
      expect(after, context).toEqual(before);
    }
    return response;
  }

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig({ VIGIA_BODY_LIMIT_BYTES: String(256 * 1024) }), database });
    await app.ready();
    routes = apiRoutes(app)
      .filter((r) => r.access === 'public')
      .map((r) => ({ method: r.method, url: r.url, bodyFields: r.bodyFields, queryFields: r.query.map((q) => q.name) }));
    const result = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by 1`.execute(database.db);
    tables = result.rows.map((r) => r.name);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('finds the public endpoints (reports, receipts, attachments, challenge, reference data, sign-in, password reset, invitations)', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of ['POST /api/v1/public/reports', 'POST /api/v1/public/reports/status', 'PATCH /api/v1/public/attachments/:id', 'POST /api/v1/public/reports/challenges', 'POST /api/v1/auth/sign-in']) {
      expect(urls).toContain(expected);
    }
    expect(urls.some((u) => u.includes('/reference/'))).toBe(true);
    expect(urls.some((u) => u.includes('password-reset'))).toBe(true);
    expect(urls.some((u) => u.includes('invitations'))).toBe(true);
  });

  it('answers hostile bodies on every public endpoint that takes one with a clear 4xx, storing nothing', { timeout: 300_000 }, async () => {
    for (const route of routes.filter((r) => r.method === 'POST' || r.method === 'PUT' || r.method === 'PATCH')) {
      await fc.assert(
        fc.asyncProperty(bodyAttacks(route), urlAttacks({ ...route, queryFields: [] }), async (attack, url) => {
          // The real path for the body attacks; a hostile path for some of them.
          const target = route.url.includes(':') ? url.split('?')[0]! : route.url;
          const response = await expectRefusedCleanly({ method: route.method, url: target, payload: attack.payload, contentType: attack.contentType }, attack.label);
          // Some well-formed bodies may pass (a password reset answers 202 to any address, so as not to say
          // which exist; a challenge is issued whatever the body); a body no endpoint could read never does.
          if (UNREADABLE.test(attack.label)) expect(response.statusCode, `${route.method} ${route.url} ${attack.label}`).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('answers hostile paths and query strings on every public endpoint without a 5xx', { timeout: 300_000 }, async () => {
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(urlAttacks(route), async (url) => {
          await expectRefusedCleanly({ method: route.method, url, ...(route.method === 'GET' ? {} : { payload: '{}' }) }, 'hostile url');
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('says what is wrong with a NUL character, bytes that are not UTF-8, and an address that does not decode', async () => {
    const nul = await expectRefusedCleanly({ method: 'POST', url: '/api/v1/public/reports/status', payload: '{"receiptCode":"a\\u0000","secret":"x"}' }, 'NUL');
    expect(nul.json()).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('NUL character (\\u0000) at receiptCode') } });
    const latin1 = await expectRefusedCleanly({ method: 'POST', url: '/api/v1/public/reports/status', payload: Buffer.from('{"receiptCode":"se\xf1al","secret":"x"}', 'latin1') }, 'Latin-1');
    expect(latin1.json()).toMatchObject({ error: { code: 'BAD_REQUEST', message: 'The body is not valid UTF-8: send JSON encoded as UTF-8.' } });
    const badUrl = await expectRefusedCleanly({ method: 'GET', url: '/api/v1/reference/vocabularies/%ff%fe' }, 'bad escape');
    expect(badUrl.json()).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('The address is not valid') } });
  });

  it('refuses a body over the limit with 413 saying the limit', async () => {
    for (const route of routes.filter((r) => r.method === 'POST')) {
      const response = await expectRefusedCleanly({ method: 'POST', url: route.url, payload: JSON.stringify({ [route.bodyFields[0] ?? 'x']: 'a'.repeat(300 * 1024) }) }, 'oversized');
      if (route.url !== '/api/v1/public/reports/challenges') expect(response.statusCode).toBe(413);
    }
  });
});
