import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateTotpSecret } from '../src/auth/totp.js';
import { changeIncidentStatus } from '../src/commands/change-incident-status.js';
import { createIncident } from '../src/commands/create-incident.js';
import { problemsCsv } from '../src/domain/csv.js';
import { incidentDocumentSchema, type IncidentDocumentInput } from '../src/domain/incident.js';
import { ROLES } from '../src/policies/actor.js';
import { buildApp } from '../src/server/app.js';
import { createUser } from './auth.js';
import { testConfig, testKeyring } from './config.js';
import { describeEachEngine, type TestDatabase } from './db.js';
import { apiRoutes, csvCells, fillPath, FORMULAS, plantOrganization, reachablePathValues, RUNS_AS_FORMULA, type ApiRoute, type PlantedOrganization } from './hostile.js';
import { aguaPrietaDocument } from './incidents.js';
import { userActor } from './organizations.js';

/*
 * Formula payloads in every CSV the app offers (issue 7 item 4). The files are not listed here: every GET
 * under /api/v1 is called, as a person holding every role in the organization, with each value its
 * enumerated query parameters allow (so `format=csv`), and every answer served as text/csv is checked —
 * today the incident export (redacted or not) and the open data files (plain and HXL). Every free-text
 * field of an incident starts with a formula (=, +, -, @, tab, CR, LF), labelled with the field's name;
 * whichever of them reach a file (the title and the narrative) must come out as text a spreadsheet will
 * not run: no parsed cell starts with one of those characters, and each payload is there behind an
 * apostrophe. The other columns hold no free text reachable from input: vocabulary codes (checked
 * against a pattern of capitals), dates, INEGI codes and the reference names of states and
 * municipalities. Statistics and the audit log answer JSON only. The import's problem report is written
 * by the browser (and by `vigia import incidents --report`) from the server's report, so it is checked
 * through the same function with a file whose header and cells are formulas.
 */

/** Each free-text field of an incident, with the formula that starts it and the field's label. */
function formulaDocument(formula: string, i: number): IncidentDocumentInput {
  const text = (field: string) => `${formula} campo-${field} ${i}`;
  const base = aguaPrietaDocument({ title: text('title'), narrative: text('narrative') });
  return {
    ...base,
    victims: base.victims!.map((v) => ({ ...v, name: text('victim-name'), description: text('victim-description') })),
    acts: base.acts!.map((a) => ({ ...a, method: text('act-method'), consequences: text('act-consequences') })),
    involvements: base.involvements!.map((v) => ({ ...v, unit: text('involvement-unit') })),
    sources: base.sources!.map((s) => ({ ...s, name: text('source-name'), contact: text('source-contact'), description: text('source-description') })),
    interventions: [{ id: 'n1', interventionType: 'CNDH_COMPLAINT', addressedTo: text('intervention-addressed-to'), reference: text('intervention-reference'), description: text('intervention-description') }],
  };
}

/** What a cell holding the payload of `field` for formula `i` must read: text, behind an apostrophe. */
function neutralised(field: string, i: number): string {
  // Free text is trimmed when saved, so a leading tab or line break is gone and the = behind it is what is neutralised.
  return `'${`${FORMULAS[i]} campo-${field} ${i}`.trim()}`;
}

/** The query strings to try on a route: none, then each value of its enumerated parameters (together when few). */
function queryVariants(route: ApiRoute): string[] {
  const enumerated = route.query.filter((q) => q.enum);
  const together = enumerated.reduce<string[][]>((partial, q) => partial.flatMap((pairs) => q.enum!.map((v) => [...pairs, `${q.name}=${v}`])), [[]]);
  const alone = enumerated.flatMap((q) => q.enum!.map((v) => [`${q.name}=${v}`]));
  return ['', ...(together.length <= 12 ? together : alone).map((pairs) => pairs.join('&'))];
}

describeEachEngine('formula payloads in every CSV export', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let a: PlantedOrganization;
  /** Every text/csv answer the app gave, by the address asked. */
  const files = new Map<string, string>();

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    a = await plantOrganization(app, database, 'organización A');
    const keyring = testKeyring();
    const documenter = userActor(a.userId, { [a.organizationId]: ROLES });
    const reviewer = await createUser(database, { memberships: [{ organizationId: a.organizationId, roles: ['reviewer'] }], totpSecret: generateTotpSecret() });
    // Each payload twice: verified, shared and publishable (open data), and kept from publication (the
    // redacted export then writes the title in place of the narrative).
    for (const mayPublish of [true, false]) {
      for (const i of FORMULAS.keys()) {
        const document = incidentDocumentSchema.parse(formulaDocument(FORMULAS[i]!, i));
        const incident = await createIncident({ database, keyring, actor: documenter, organizationId: a.organizationId, document, shareWithNetworks: true, mayPublish });
        await changeIncidentStatus({ database, actor: documenter, incidentId: incident.id, step: 'submit' });
        await changeIncidentStatus({ database, actor: userActor(reviewer.id, { [a.organizationId]: ['reviewer'] }), incidentId: incident.id, step: 'verify' });
      }
    }
    for (const route of apiRoutes(app).filter((r) => r.method === 'GET')) {
      const values = await reachablePathValues(app, route, a.headers, [...a.ids, ...a.otherValues]);
      if (!values) continue;
      for (const query of queryVariants(route)) {
        const url = `${fillPath(route.url, values)}${query ? `?${query}` : ''}`;
        const response = await app.inject({ method: 'GET', url, headers: a.headers });
        if (response.statusCode === 200 && String(response.headers['content-type']).startsWith('text/csv')) files.set(url, response.body);
      }
    }
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  it('finds the CSV files from the app: the incident export, redacted or not, and the open data', () => {
    const urls = [...files.keys()];
    expect(urls).toContain(`/api/v1/organizations/${a.organizationId}/incidents/export?format=csv&redacted=true`);
    expect(urls).toContain(`/api/v1/organizations/${a.organizationId}/incidents/export?format=csv&redacted=false`);
    expect(urls).toContain('/api/v1/open-data/incidents.csv');
    expect(urls).toContain('/api/v1/open-data/incidents.hxl.csv');
  });

  it('writes every formula that reaches a CSV as text a spreadsheet will not run', () => {
    for (const [url, body] of files) {
      const cells = csvCells(body);
      for (const { column, cell } of cells) expect(cell, `${url} ${column}: ${JSON.stringify(cell)}`).not.toMatch(RUNS_AS_FORMULA);
      const fields = new Set(cells.flatMap(({ cell }) => [...cell.matchAll(/campo-([a-z-]+) \d/g)].map((m) => m[1]!)));
      // The title and the narrative are the free text the files carry; each payload is there, neutralised.
      expect([...fields].sort(), url).toEqual(['narrative', 'title']);
      for (const field of fields) {
        for (const i of FORMULAS.keys()) expect(cells.map((c) => c.cell), `${url}: ${field} ${i}`).toContain(neutralised(field, i));
      }
    }
  });

  it("writes an import's problem report with the file's formulas as text", async () => {
    const columns = FORMULAS.map((f, i) => `${f} columna ${i}`.trim());
    const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
    const csv = `${columns.map(quote).join(',')}\n${FORMULAS.map(quote).join(',')}\n`;
    const mapping = {
      version: 1,
      title: { column: columns[0] },
      narrative: { column: columns[1] },
      startDate: { column: columns[2], format: 'DD/MM/YYYY' },
      state: { column: columns[3] },
      municipality: { column: columns[4] },
      acts: { column: columns[5], separator: ';', values: {} },
      // A column the file does not have, named like a formula: reported against the header.
      perpetrators: { column: '=falta()', separator: ';', values: {} },
    };
    const response = await app.inject({ method: 'POST', url: `/api/v1/organizations/${a.organizationId}/imports`, headers: a.headers, payload: { csv, mapping, dryRun: true } });
    expect(response.statusCode, response.body).toBe(200);
    const { problems } = response.json() as { problems: { row: number; column: string; problem: string }[] };
    expect(problems.map((p) => p.column)).toContain('=falta()');
    // A cell's value is quoted inside the message; a column's name is the whole cell.
    expect(problems.some((p) => p.problem.includes('@SUM(1+1)'))).toBe(true);
    const cells = csvCells(problemsCsv(problems));
    for (const { column, cell } of cells) expect(cell, `${column}: ${JSON.stringify(cell)}`).not.toMatch(RUNS_AS_FORMULA);
    expect(cells.map((c) => c.cell)).toEqual(expect.arrayContaining(["'=falta()", `'${columns[2]}`, `'${columns[3]}`]));
  });
});
