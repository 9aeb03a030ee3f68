import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createIncident } from '../src/commands/create-incident.js';
import { incidentDocumentSchema } from '../src/domain/incident.js';
import { buildApp } from '../src/server/app.js';
import { testConfig, testKeyring } from './config.js';
import { describeEachEngine, type TestDatabase } from './db.js';
import { FORMULAS, RUNS_AS_FORMULA, SQL } from './hostile.js';
import { aguaPrietaDocument } from './incidents.js';
import { insertOrganization, insertUser, userActor } from './organizations.js';
import { sessionHeaders } from './sessions.js';

/*
 * Hostile text where it meets SQL and spreadsheets (issue 7 item 4): SQL metacharacters in the search
 * text and every filter give ordinary answers (results or a 400 naming the filter), never an error and
 * never another organization's incidents; formula payloads in incident fields come out of the CSV export
 * as text a spreadsheet will not run.
 */

describeEachEngine('hostile text in search and exports', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let orgA: string;
  let headers: Record<string, string>;
  let otherOrgIncident: string;

  async function search(query: string) {
    return app.inject({ method: 'GET', url: `/api/v1/incidents?${query}`, headers });
  }

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    const keyring = testKeyring();
    orgA = (await insertOrganization(database, { name: '=cmd|" /C calc"!A0 Albergue' })).id;
    const orgB = (await insertOrganization(database)).id;
    const documenter = await insertUser(database, { memberships: { [orgA]: ['documenter'] } });
    headers = await sessionHeaders(database, documenter);
    const create = (organizationId: string, title: string, narrative: string, userId: string) =>
      createIncident({ database, keyring, actor: userActor(userId, { [organizationId]: ['documenter'] }), organizationId, document: incidentDocumentSchema.parse(aguaPrietaDocument({ title, narrative })) });
    for (const [i, payload] of [...FORMULAS, ...SQL].entries()) {
      await create(orgA, `${payload} título ${i}`, `${payload} relato de la visita ${i}`, documenter);
    }
    const outsider = await insertUser(database, { memberships: { [orgB]: ['documenter'] } });
    otherOrgIncident = (await create(orgB, 'Incidente de otra organización', 'No debe verse desde la primera.', outsider)).id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('finds text with quotes and SQL metacharacters as words, and never reaches another organization', { timeout: 120_000 }, async () => {
    const obrien = await search(`text=${encodeURIComponent("O'Brien")}`);
    expect(obrien.statusCode, obrien.body).toBe(200);
    expect((obrien.json().data as { title: string }[]).map((i) => i.title)).toContain(`O'Brien título ${FORMULAS.length}`);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...SQL, ...FORMULAS), fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 })), async (text) => {
        const response = await search(`text=${encodeURIComponent(text)}`);
        expect(response.statusCode, `${JSON.stringify(text)}: ${response.body}`).toBeLessThan(500);
        if (response.statusCode === 200) expect((response.json().data as { id: string }[]).map((i) => i.id)).not.toContain(otherOrgIncident);
        else expect(response.json().error.message).toMatch(/text/);
      }),
      { numRuns: 40 },
    );
  });

  it('answers SQL in every filter with a 400 that names the filter, and a NUL in the text with ordinary results', async () => {
    const hostile = encodeURIComponent("' OR 1=1 --");
    for (const filter of ['state', 'municipality', 'from', 'to', 'actType', 'perpetratorType', 'victimType', 'status', 'organization', 'hasEvidence', 'includeArchived', 'sort', 'limit', 'cursor']) {
      const response = await search(`${filter}=${hostile}`);
      expect(response.statusCode, `${filter}: ${response.body}`).toBe(400);
      expect(response.json().error.message, filter).toContain(filter);
    }
    const nul = await search('text=a%00b');
    expect(nul.statusCode, nul.body).toBe(200);
  });

  it('exports formula payloads as text: no CSV cell starts with a character a spreadsheet would run', async () => {
    for (const redacted of ['true', 'false']) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/organizations/${orgA}/incidents/export?format=csv&redacted=${redacted}`, headers });
      expect(response.statusCode, response.body).toBe(200);
      const rows = parse(response.body, { columns: true, relax_column_count: false }) as Record<string, string>[];
      expect(rows.length).toBe(FORMULAS.length + SQL.length);
      for (const row of rows) {
        for (const [column, cell] of Object.entries(row)) expect(cell, `${column}: ${JSON.stringify(cell)}`).not.toMatch(RUNS_AS_FORMULA);
      }
      const titles = rows.map((r) => Object.entries(r).find(([k]) => /title|t[ií]tulo/i.test(k))?.[1]);
      // Titles are trimmed when saved, so a leading tab or line break is gone and the = behind it is neutralised.
      for (const [i, payload] of FORMULAS.entries()) expect(titles).toContain(`'${`${payload} título ${i}`.trim()}`);
    }
  });
});
