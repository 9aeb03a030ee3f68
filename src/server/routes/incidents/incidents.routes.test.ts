import type { FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { createUser } from '../../../../test/auth.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { aguaPrietaDocument } from '../../../../test/incidents.js';
import { insertOrganization, userActor } from '../../../../test/organizations.js';
import { sessionHeaders } from '../../../../test/sessions.js';
import { generateTotpSecret } from '../../../auth/totp.js';
import { createApiToken } from '../../../commands/create-api-token.js';
import type { Role } from '../../../db/schema.js';
import { buildApp } from '../../app.js';

describeEachEngine('incidents API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let shelter: string;
  const people: Record<string, string> = {};

  async function as(name: string) {
    return sessionHeaders(database, people[name]!);
  }

  async function call(name: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
    return app.inject({ method, url, headers: await as(name), ...(payload === undefined ? {} : { payload: payload as object }) });
  }

  async function create(overrides = {}) {
    const response = await call('documenter', 'POST', `/api/v1/organizations/${shelter}/incidents`, { document: aguaPrietaDocument(overrides), shareWithNetworks: true });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; version: number; status: string; reference: string; document: ReturnType<typeof aguaPrietaDocument> };
  }

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    shelter = (await insertOrganization(database, { stateCode: '26' })).id;
    const network = (await insertOrganization(database, { kind: 'network' })).id;
    const other = (await insertOrganization(database, { stateCode: '07' })).id;
    await database.db.insertInto('network_members').values({ network_id: network, organization_id: shelter }).execute();
    const person = async (name: string, organizationId: string, roles: Role[]) => {
      const mfa = roles.includes('reviewer') || roles.includes('administrator');
      people[name] = (await createUser(database, { memberships: [{ organizationId, roles }], ...(mfa ? { totpSecret: generateTotpSecret() } : {}) })).id;
    };
    await person('documenter', shelter, ['documenter']);
    await person('reviewer', shelter, ['reviewer']);
    await person('reviewer2', shelter, ['reviewer', 'documenter']);
    await person('reporter', shelter, ['reporter']);
    await person('networkReviewer', network, ['reviewer']);
    await person('outsider', other, ['administrator']);
  });

  it('creates a record with its legal qualification, sealing identities, contacts and coordinates', async () => {
    const incident = await create();
    expect(incident).toMatchObject({ status: 'reported', version: 1, sensitiveIncluded: false });
    expect(incident.reference).toMatch(/^INC-\d{6}$/);
    expect(incident.document.victims![1]!.name).toBeNull();
    expect(incident.document.place.coordinates).toBeNull();
    const legal = (incident as unknown as { legal: { ruleId: string }[] }).legal.map((f) => f.ruleId);
    expect(legal).toEqual(expect.arrayContaining(['R1', 'R9', 'R11', 'R12']));

    const row = await database.db.selectFrom('incidents').selectAll().where('id', '=', incident.id).executeTakeFirstOrThrow();
    const stored = JSON.stringify(row) + JSON.stringify(await database.db.selectFrom('incident_versions').selectAll().where('incident_id', '=', incident.id).execute());
    for (const secret of ['Hermana Rosa', 'Coordinadora del albergue', '633 100 2000', '31.3275', '109.5489']) expect(stored).not.toContain(secret);
    expect(row).toMatchObject({ state_code: '26', municipality_code: '26002', act_types: ['ATTEMPTED_ENTRY', 'INFO_DEMAND', 'SURVEILLANCE'], perpetrator_types: ['GN'] });
    expect(row.legal_rule_ids).toEqual(expect.arrayContaining(['R1', 'R9']));
  });

  it('opens sealed fields only when asked and allowed, and audits each such read', async () => {
    const { id } = await create();
    const open = await call('documenter', 'GET', `/api/v1/incidents/${id}?include=sensitive`);
    expect(open.statusCode).toBe(200);
    expect(open.json().document.victims[1].name).toBe('Hermana Rosa Ejemplo');
    expect(open.json().document.place.coordinates).toEqual({ lat: 31.3275, lon: -109.5489 });
    const audit = await database.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', id).where('action', '=', 'incident.read_sensitive').execute();
    expect(audit).toEqual([{ action: 'incident.read_sensitive', actor_id: people.documenter }]);

    // The council sees the shared record, without the sealed fields.
    const network = await call('networkReviewer', 'GET', `/api/v1/incidents/${id}`);
    expect(network.statusCode).toBe(200);
    expect(network.json().document.victims[1].name).toBeNull();
    expect((await call('networkReviewer', 'GET', `/api/v1/incidents/${id}?include=sensitive`)).statusCode).toBe(403);
    // Others do not learn it exists.
    expect((await call('outsider', 'GET', `/api/v1/incidents/${id}`)).statusCode).toBe(404);
    expect((await call('reporter', 'GET', `/api/v1/incidents/${id}`)).statusCode).toBe(404);
  });

  it('refuses unknown codes and places naming each field, and a stale version with 409', async () => {
    const bad = await call('documenter', 'POST', `/api/v1/organizations/${shelter}/incidents`, {
      document: aguaPrietaDocument({ place: { stateCode: '26', municipalityCode: '26999', placeType: 'CASTLE' }, acts: [{ id: 'a1', actType: 'TICKLING', victimId: 'v1' }], involvements: [] }),
    });
    expect(bad.statusCode).toBe(400);
    expect((bad.json().error.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['acts[].actType', 'place.municipalityCode', 'place.placeType']);

    const { id } = await create();
    const stale = await call('documenter', 'PUT', `/api/v1/incidents/${id}`, { expectedVersion: 7, document: aguaPrietaDocument() });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details).toEqual({ currentVersion: 1 });
  });

  it('links only to incidents the person may see, answering as if any other did not exist', async () => {
    const { id } = await create();
    const linking = (incidentId: string) => aguaPrietaDocument({ links: [{ incidentId, relation: 'related' }] });
    const other = (await database.db.selectFrom('memberships').select('organization_id').where('user_id', '=', people.outsider!).executeTakeFirstOrThrow()).organization_id;
    const hidden = await call('outsider', 'POST', `/api/v1/organizations/${other}/incidents`, { document: linking(id) });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.json().error.details).toEqual([{ location: 'body', field: 'links[0].incidentId', message: `names no incident ("${id}")` }]);
    const missing = await call('outsider', 'POST', `/api/v1/organizations/${other}/incidents`, { document: linking('00000000-0000-4000-8000-000000000000') });
    expect(missing.json().error.details[0].message).toBe('names no incident ("00000000-0000-4000-8000-000000000000")');
    const own = await call('documenter', 'POST', `/api/v1/organizations/${shelter}/incidents`, { document: linking(id) });
    expect(own.statusCode, own.body).toBe(201);
  });

  it('keeps every change as a version with a diff, and enforces four eyes on verification', async () => {
    const { id } = await create();
    const opened = (await call('documenter', 'GET', `/api/v1/incidents/${id}?include=sensitive`)).json();
    const edited = { ...opened.document, title: 'GN intenta ingresar y filma al personal', victims: opened.document.victims };
    const saved = await call('documenter', 'PUT', `/api/v1/incidents/${id}`, { expectedVersion: 1, document: edited });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().version).toBe(2);
    // The sealed fields survived the edit.
    expect((await call('documenter', 'GET', `/api/v1/incidents/${id}?include=sensitive`)).json().document.victims[1].name).toBe('Hermana Rosa Ejemplo');

    const diff = await call('documenter', 'GET', `/api/v1/incidents/${id}/versions/2/diff`);
    expect(diff.json().changes).toEqual([{ path: 'title', kind: 'changed', before: aguaPrietaDocument().title, after: 'GN intenta ingresar y filma al personal' }]);

    expect((await call('documenter', 'POST', `/api/v1/incidents/${id}/workflow`, { step: 'verify' })).statusCode).toBe(403);
    const submitted = await call('documenter', 'POST', `/api/v1/incidents/${id}/workflow`, { step: 'submit' });
    expect(submitted.json().status).toBe('in_review');

    // reviewer2 makes a change, so reviewer2 may not verify it; the other reviewer may.
    const reopened = (await call('reviewer2', 'GET', `/api/v1/incidents/${id}?include=sensitive`)).json();
    await call('reviewer2', 'PUT', `/api/v1/incidents/${id}`, { expectedVersion: reopened.version, document: { ...reopened.document, narrative: `${reopened.document.narrative} Regresaron dos días después.` } });
    const self = await call('reviewer2', 'POST', `/api/v1/incidents/${id}/workflow`, { step: 'verify' });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.details).toEqual({ reason: 'four_eyes' });
    const asReviewer = (await call('reviewer', 'GET', `/api/v1/incidents/${id}`)).json();
    expect(asReviewer.nextSteps).toContain('verify');
    const verified = await call('reviewer', 'POST', `/api/v1/incidents/${id}/workflow`, { step: 'verify' });
    expect(verified.json()).toMatchObject({ status: 'verified' });

    // Verified → back to review when anyone changes it.
    const current = (await call('documenter', 'GET', `/api/v1/incidents/${id}?include=sensitive`)).json();
    const changed = await call('documenter', 'PUT', `/api/v1/incidents/${id}`, { expectedVersion: current.version, document: { ...current.document, title: 'Otro título' } });
    expect(changed.json().status).toBe('in_review');

    const history = (await call('reviewer', 'GET', `/api/v1/incidents/${id}/versions`)).json().data as { changeKind: string }[];
    expect(history.map((h) => h.changeKind)).toEqual(['edited', 'verify', 'edited', 'submit', 'edited', 'created']);
    expect((await call('reviewer', 'POST', `/api/v1/incidents/${id}/workflow`, { step: 'reject' })).statusCode).toBe(400);
  });

  it('archives with a reason and then refuses changes; sharing is a recorded choice', async () => {
    const { id } = await create();
    expect((await call('documenter', 'POST', `/api/v1/incidents/${id}/archive`, { reason: 'Duplicado de otro registro' })).statusCode).toBe(403);
    const archived = await call('reviewer', 'POST', `/api/v1/incidents/${id}/archive`, { reason: 'Duplicado de otro registro' });
    expect(archived.json()).toMatchObject({ archiveReason: 'Duplicado de otro registro', nextSteps: [] });
    expect((await call('documenter', 'PUT', `/api/v1/incidents/${id}`, { expectedVersion: archived.json().version, document: aguaPrietaDocument() })).statusCode).toBe(409);

    const second = await create();
    const unshared = await call('documenter', 'PUT', `/api/v1/incidents/${second.id}/sharing`, { shared: false });
    expect(unshared.json().sharedWithNetworks).toBe(false);
    expect((await call('networkReviewer', 'GET', `/api/v1/incidents/${second.id}`)).statusCode).toBe(404);
  });

  it('searches words without accents and with stemming, within what each person may see', async () => {
    const { id } = await create({ title: 'Revisión migratoria ilegal en el albergue', narrative: 'Los agentes intentaron ingresar y revisaron documentos.' });
    const search = async (name: string, query: string) => (await call(name, 'GET', `/api/v1/incidents?${query}`)).json();
    const found = await search('documenter', 'text=revision%20migratoria&state=26');
    expect(found.data.map((i: { id: string }) => i.id)).toContain(id);
    expect((await search('documenter', 'text=ingresaron')).data.map((i: { id: string }) => i.id)).toContain(id);
    expect((await search('networkReviewer', 'text=revision%20migratoria')).data.map((i: { id: string }) => i.id)).toContain(id);
    expect((await search('outsider', 'text=revision%20migratoria')).data).toEqual([]);
    expect((await search('reporter', 'text=revision%20migratoria')).data).toEqual([]);
    const filtered = await search('documenter', 'actType=ATTEMPTED_ENTRY&actType=THEFT&perpetratorType=GN&status=reported&limit=1');
    expect(filtered.data).toHaveLength(1);
    expect(filtered.nextCursor).not.toBeNull();
    const bad = await call('documenter', 'GET', '/api/v1/incidents?cursor=nonsense');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('cursor');
    const hostile = await call('documenter', 'GET', `/api/v1/incidents?text=${encodeURIComponent("'); drop table incidents; --")}`);
    expect(hostile.statusCode).toBe(200);
  });

  it("keeps reviewers' notes beside the record, for those who work on it", async () => {
    const { id } = await create();
    const added = await call('reviewer', 'POST', `/api/v1/incidents/${id}/notes`, { body: 'Falta una segunda fuente independiente.' });
    expect(added.statusCode).toBe(201);
    const notes = (await call('documenter', 'GET', `/api/v1/incidents/${id}/notes`)).json().data;
    expect(notes).toEqual([expect.objectContaining({ body: 'Falta una segunda fuente independiente.', authorId: people.reviewer })]);
    expect((await call('networkReviewer', 'GET', `/api/v1/incidents/${id}/notes`)).statusCode).toBe(403);
    expect((await call('outsider', 'GET', `/api/v1/incidents/${id}/notes`)).statusCode).toBe(404);
    expect((await call('reviewer', 'POST', `/api/v1/incidents/${id}/notes`, { body: '  ' })).statusCode).toBe(400);
  });

  it('keeps sealed fields when someone who may edit but not read them saves the record (an integration)', async () => {
    const { id } = await create();
    const admin = await createUser(database, { memberships: [{ organizationId: shelter, roles: ['administrator'] }], totpSecret: generateTotpSecret() });
    const token = await createApiToken({
      database,
      actor: userActor(admin.id, { [shelter]: ['administrator'] }),
      organizationId: shelter,
      name: 'Integración',
      permissions: ['incidents:read', 'incidents:write'],
    });
    const headers = { authorization: `Bearer ${token.secret}` };
    const seen = (await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}`, headers })).json();
    expect(seen.document.victims[1].name).toBeNull();
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/v1/incidents/${id}`,
      headers,
      payload: { expectedVersion: seen.version, document: { ...seen.document, title: 'Título cambiado por la integración' } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const opened = (await call('documenter', 'GET', `/api/v1/incidents/${id}?include=sensitive`)).json();
    expect(opened.document.title).toBe('Título cambiado por la integración');
    expect(opened.document.victims[1].name).toBe('Hermana Rosa Ejemplo');
    expect(opened.document.sources[0].contact).toBe('+52 633 100 2000');
    expect(opened.document.place.coordinates).toEqual({ lat: 31.3275, lon: -109.5489 });
  });
});
