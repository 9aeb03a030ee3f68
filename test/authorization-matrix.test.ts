import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSession } from '../src/auth/sessions.js';
import { generateTotpSecret } from '../src/auth/totp.js';
import { createApiToken } from '../src/commands/create-api-token.js';
import { createIncident } from '../src/commands/create-incident.js';
import { fileMemberReport } from '../src/commands/file-member-report.js';
import { memberReportExtraSchema, reportBaseSchema } from '../src/domain/report.js';
import { Keyring } from '../src/crypto/keyring.js';
import { loadMasterKeys } from '../src/crypto/master-keys.js';
import { incidentDocumentSchema } from '../src/domain/incident.js';
import { aguaPrietaDocument } from './incidents.js';
import { insertAlert, sampleAlertContent } from './alerts.js';
import { buildApp } from '../src/server/app.js';
import { createUser } from './auth.js';
import { testConfig } from './config.js';
import { describeEachEngine } from './db.js';
import { insertOrganization, userActor } from './organizations.js';

/*
 * Every /api/v1 route, called by every kind of caller, must answer as this table says. A route missing
 * from the table fails the test by name: a new route must state who may call it before it can ship.
 * Statuses: 200-299 are written as 'ok'; errors are exact (401 no identity, 403 visible but not allowed
 * or wrong kind of caller, 404 not visible).
 */

const ACTORS = ['anonymous', 'reporterA', 'documenterA', 'reviewerA', 'adminA', 'adminB', 'instanceAdmin', 'tokenA'] as const;
type ActorName = (typeof ACTORS)[number];
type Expected = 'ok' | 400 | 401 | 403 | 404 | 409 | 429;
type Row = Record<ActorName, Expected>;

function row(anonymous: Expected, members: Expected, adminA: Expected, adminB: Expected, instanceAdmin: Expected, tokenA: Expected): Row {
  return { anonymous, reporterA: members, documenterA: members, reviewerA: members, adminA, adminB, instanceAdmin, tokenA };
}
const everyone = (e: Expected): Row => row(e, e, e, e, e, e);
/** Any signed-in person; API tokens are refused. */
const signedIn: Row = row(401, 'ok', 'ok', 'ok', 'ok', 403);
/** Org A's members and instance administrators. */
const membersOfA: Row = row(401, 'ok', 'ok', 404, 'ok', 403);
/** Org A's administrators and instance administrators; its other members see it but may not act. */
const adminsOfA: Row = row(401, 403, 'ok', 404, 'ok', 403);
/** Split by second factor: reporters and documenters have none enrolled, everyone else has one. */
function byEnrolment(withoutSecondFactor: Expected, withSecondFactor: Expected): Row {
  return {
    ...row(401, withSecondFactor, withSecondFactor, withSecondFactor, withSecondFactor, 403),
    reporterA: withoutSecondFactor,
    documenterA: withoutSecondFactor,
  };
}
/** An incident of org A: documenter, reviewer and administrator of A as given; everyone else never sees it. */
function incidentOfA(documenterA: Expected, reviewerA: Expected, adminA: Expected, tokenA: Expected): Row {
  return { anonymous: 401, reporterA: 404, documenterA, reviewerA, adminA, adminB: 404, instanceAdmin: 404, tokenA };
}
/** Set by the fixture: takes the incident out of the archive so each call finds it as the table assumes. */
let unarchive: (f: Fixture) => Promise<void> = async () => {};
/** Set by the fixture: puts the report back in the inbox so each triage call finds it untriaged. */
let reopenReport: (f: Fixture) => Promise<void> = async () => {};
/** Instance administrators only. */
const instanceAdminOnly: Row = row(401, 403, 403, 403, 'ok', 403);
/** Who sees org A's incidents: its documenters, reviewers and administrators, and its incidents:read token. */
const incidentReaders: Row = { ...row(401, 'ok', 'ok', 404, 404, 'ok'), reporterA: 404 };
/** Org A's documenters, reviewers and administrators; its read-only token sees the incident but may not act. */
const incidentWorkers: Row = { ...row(401, 'ok', 'ok', 404, 404, 403), reporterA: 404 };

interface Fixture {
  orgA: string;
  network: string;
  documenterA: string;
  victimTokenA: string;
  invitationA: string;
  incidentA: string;
  reportA: string;
  /** A photo received in full, with its metadata-free copy. */
  evidenceA: string;
  /** An upload still open. */
  uploadA: string;
  /** Opens another upload of 10 bytes on incidentA, as its documenter. */
  openUpload: () => Promise<string>;
  /** A draft alert of the network, in which none of the callers works. */
  alertA: string;
  /** A published alert of org A with one request to an authority, and a webhook endpoint of org A. */
  reachA: { id: string; slug: string; requestId: string; endpointId: string; responseId: string };
  /** A new answer to org A's request, with no document yet. */
  newResponse: () => Promise<string>;
}
/** An alert of the network: no caller of the table works in it, so people get 404 and tokens 403. */
const alertOfNetwork: Row = row(401, 404, 404, 404, 404, 403);

interface Expectation {
  expect: Row;
  body?: (f: Fixture) => unknown;
  /** Puts the record back as the call expects it (calls that delete it run once per actor). */
  before?: (f: Fixture) => Promise<void>;
  /** Path parameters that differ from the defaults in `fill`. */
  params?: (f: Fixture) => Record<string, string>;
  headers?: (f: Fixture) => Record<string, string>;
}

/** The upload each PATCH call sends a chunk to: a fresh one per caller, so each starts at offset 0. */
let chunkTarget = '';
let responseTarget = '';
const RESPONSE_PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const TABLE: Record<string, Expectation> = {
  'GET /api/v1/reference/states': { expect: everyone('ok') },
  'GET /api/v1/reference/states/geojson': { expect: everyone('ok') },
  'GET /api/v1/reference/municipalities': { expect: everyone('ok') },
  'GET /api/v1/reference/vocabularies': { expect: everyone('ok') },
  'GET /api/v1/reference/vocabularies/:name': { expect: everyone('ok') },
  'GET /api/v1/reference/legal-rules': { expect: everyone('ok') },
  'GET /api/v1/statistics/map': { expect: everyone('ok') },
  'GET /api/v1/statistics/summary': { expect: everyone('ok') },
  'GET /api/v1/statistics/states': { expect: everyone('ok') },
  'GET /api/v1/statistics/monthly': { expect: everyone('ok') },
  'GET /api/v1/statistics/breakdowns': { expect: everyone('ok') },
  'GET /api/v1/statistics/states/:code/municipalities': { expect: everyone('ok') },
  'GET /api/v1/open-data/incidents.csv': { expect: everyone('ok') },
  'GET /api/v1/open-data/incidents.hxl.csv': { expect: everyone('ok') },
  'GET /api/v1/open-data/incidents.geojson': { expect: everyone('ok') },
  'GET /api/v1/open-data/incidents.json': { expect: everyone('ok') },
  'GET /api/v1/open-data/dictionary': { expect: everyone('ok') },

  // Wrong credentials for everyone: the answer never depends on who calls.
  'POST /api/v1/auth/sign-in': { expect: everyone(401), body: () => ({ email: `nadie-${randomUUID()}@test.vigia.local`, password: 'not the password at all' }) },
  'POST /api/v1/auth/sign-out': { expect: signedIn },
  'PUT /api/v1/auth/password': { expect: row(401, 400, 400, 400, 400, 403), body: () => ({ currentPassword: 'wrong password here', newPassword: 'another long enough passphrase 42' }) },
  'GET /api/v1/auth/session': { expect: signedIn },
  'GET /api/v1/auth/sessions': { expect: signedIn },
  'DELETE /api/v1/auth/sessions/:id': { expect: row(401, 404, 404, 404, 404, 403) },
  'POST /api/v1/auth/sessions/revoke-others': { expect: signedIn },
  'POST /api/v1/auth/sessions/revoke-all': { expect: signedIn },
  // Already enrolled: 409; nothing pending to confirm: 409; a wrong code: 401.
  'POST /api/v1/auth/two-factor/enrolment': { expect: byEnrolment('ok', 409) },
  // The enrolment row above (registered, so run, first) left reporters and documenters a pending secret.
  'POST /api/v1/auth/two-factor/enrolment/confirm': { expect: byEnrolment(400, 409), body: () => ({ code: '000000' }) },
  'POST /api/v1/auth/two-factor/challenge': { expect: byEnrolment(409, 401), body: () => ({ code: '000000' }) },
  'POST /api/v1/auth/two-factor/recovery-codes': { expect: byEnrolment(409, 401), body: () => ({ code: '000000' }) },
  'POST /api/v1/auth/password-reset': { expect: everyone('ok'), body: () => ({ email: `nadie-${randomUUID()}@test.vigia.local` }) },
  'POST /api/v1/auth/password-reset/:token': { expect: everyone(404), body: () => ({ password: 'another long enough passphrase 42' }) },

  'GET /api/v1/organizations': { expect: signedIn },
  'POST /api/v1/organizations': {
    expect: instanceAdminOnly,
    body: () => ({ slug: `nuevo-${randomBytes(4).toString('hex')}`, name: 'Albergue nuevo', kind: 'shelter', stateCode: '07' }),
  },
  'GET /api/v1/organizations/:id': { expect: membersOfA },
  'PATCH /api/v1/organizations/:id': { expect: adminsOfA, body: () => ({ shareWithNetworksByDefault: false }) },
  'GET /api/v1/organizations/:id/members': { expect: adminsOfA },
  'PUT /api/v1/organizations/:id/members/:userId/roles': { expect: adminsOfA, body: () => ({ roles: ['documenter'] }) },
  // Org A's administrator does not administer the network: it is not theirs to see.
  'PUT /api/v1/organizations/:networkId/member-organizations/:organizationId': { expect: row(401, 404, 404, 404, 'ok', 403) },
  'DELETE /api/v1/organizations/:networkId/member-organizations/:organizationId': {
    expect: row(401, 404, 404, 404, 'ok', 403),
    before: async () => {},
  },
  'GET /api/v1/organizations/:id/api-tokens': { expect: adminsOfA },
  'POST /api/v1/organizations/:id/api-tokens': { expect: adminsOfA, body: () => ({ name: 'Integración', permissions: ['incidents:read'] }) },
  'DELETE /api/v1/organizations/:id/api-tokens/:tokenId': { expect: adminsOfA },
  'POST /api/v1/organizations/:id/invitations': {
    expect: adminsOfA,
    body: () => ({ email: `invitada-${randomUUID()}@test.vigia.local`, role: 'reporter' }),
  },
  'GET /api/v1/organizations/:id/invitations': { expect: adminsOfA },
  'DELETE /api/v1/organizations/:id/invitations/:invitationId': { expect: adminsOfA },
  'GET /api/v1/invitations/:token': { expect: everyone(404) },
  'POST /api/v1/invitations/:token/accept': { expect: everyone(404), body: () => ({ displayName: 'Persona', password: 'another long enough passphrase 42' }) },

  'GET /api/v1/audit': { expect: row(401, 403, 'ok', 'ok', 'ok', 403) },

  // Anonymous intake: the same answer whoever calls (no proof of work here, so 400; unknown receipts 404).
  'GET /api/v1/public/intake': { expect: everyone('ok') },
  'POST /api/v1/public/reports/challenges': { expect: everyone('ok') },
  'POST /api/v1/public/reports': { expect: everyone(400), body: () => ({ whatHappened: 'Algo pasó en el albergue anoche.', pow: { challenge: 'x', nonce: '1' }, receiptSecret: 'a'.repeat(43) }) },
  'POST /api/v1/public/reports/status': { expect: everyone(404), body: () => ({ receiptCode: 'AAAA-AAAA-AAAA', secret: 'a'.repeat(43) }) },
  // Alert subscriptions: the same answer whoever calls; unknown tokens 404, a missing token 400.
  'POST /api/v1/public/subscriptions': { expect: everyone('ok'), body: () => ({ email: `lectora-${randomUUID()}@test.vigia.local`, language: 'es', stateCodes: ['05'] }) },
  'POST /api/v1/public/subscriptions/confirm': { expect: everyone(404), body: () => ({ token: 'a'.repeat(43) }) },
  'POST /api/v1/public/subscriptions/unsubscribe': { expect: everyone(400) },
  'GET /api/v1/public/alerts/:slug/accountability': { expect: everyone('ok'), params: (f) => ({ slug: f.reachA.slug }) },
  // Webhooks of org A: its administrators (and instance administrators, who administer every organization).
  'GET /api/v1/organizations/:id/webhooks': { expect: adminsOfA },
  'POST /api/v1/organizations/:id/webhooks': { expect: adminsOfA, body: () => ({ url: 'https://hooks.example.org/otro' }) },
  'PUT /api/v1/organizations/:id/webhooks/:endpointId/active': { expect: adminsOfA, params: (f) => ({ endpointId: f.reachA.endpointId }), body: () => ({ active: true }) },
  // Following up an alert of org A: its members read; its reviewers and administrators record answers.
  'GET /api/v1/alerts/:id/requests': { expect: { ...incidentOfA('ok', 'ok', 'ok', 403), reporterA: 'ok' }, params: (f) => ({ id: f.reachA.id }) },
  'PATCH /api/v1/alert-requests/:id': { expect: { ...incidentOfA(403, 'ok', 'ok', 403), reporterA: 403 }, params: (f) => ({ id: f.reachA.requestId }), body: () => ({ sentOn: '2026-11-02', channel: 'email' }) },
  'POST /api/v1/alert-requests/:id/responses': { expect: { ...incidentOfA(403, 'ok', 'ok', 403), reporterA: 403 }, params: (f) => ({ id: f.reachA.requestId }), body: () => ({ receivedOn: '2026-11-20', summary: 'Respuesta de prueba' }) },
  'PUT /api/v1/alert-responses/:id/document': {
    expect: { ...incidentOfA(403, 'ok', 'ok', 403), reporterA: 403 },
    before: async (f) => {
      responseTarget = await f.newResponse();
    },
    params: () => ({ id: responseTarget }),
    headers: () => ({ 'content-type': 'application/pdf' }),
    body: () => RESPONSE_PDF,
  },
  'GET /api/v1/alert-responses/:id/document': { expect: { ...incidentOfA('ok', 'ok', 'ok', 403), reporterA: 'ok' }, params: (f) => ({ id: f.reachA.responseId }) },
  // A document marked public, of a published alert: anyone.
  'GET /api/v1/public/alerts/:slug/responses/:responseId/document': { expect: everyone('ok'), params: (f) => ({ slug: f.reachA.slug, responseId: f.reachA.responseId }) },

  // An incident of org A, not shared: its documenters, reviewers and administrators work on it; reviewers
  // decide; reporters, other organizations and instance administrators do not learn it exists.
  // Everyone signed in may search; the results are limited to what each may see (tested in the route's tests).
  'GET /api/v1/incidents': { expect: row(401, 'ok', 'ok', 'ok', 'ok', 'ok') },
  'POST /api/v1/organizations/:id/incidents': {
    expect: { ...incidentOfA('ok', 'ok', 'ok', 403), reporterA: 403, instanceAdmin: 403 },
    body: () => ({ document: aguaPrietaDocument() }),
  },
  // Exporting and importing an organization's record: its documenters, reviewers and administrators; a token
  // needs export:read (tokenA has only incidents:read) and never imports (browser-facing).
  'GET /api/v1/organizations/:id/incidents/export': { expect: { ...incidentOfA('ok', 'ok', 'ok', 403), reporterA: 403, instanceAdmin: 403 } },
  'POST /api/v1/organizations/:id/imports': {
    expect: { ...incidentOfA('ok', 'ok', 'ok', 403), reporterA: 403, instanceAdmin: 403 },
    body: () => ({
      csv: 'Título,Fecha,Estado,Acto\nHostigamiento frente al albergue,01/02/2020,Coahuila,HARASSMENT\n',
      mapping: { version: 1, title: { column: 'Título' }, startDate: { column: 'Fecha', format: 'DD/MM/YYYY' }, state: { column: 'Estado' }, acts: { column: 'Acto' } },
      dryRun: true,
    }),
  },
  'GET /api/v1/incidents/:id': { expect: incidentOfA('ok', 'ok', 'ok', 'ok'), before: (f) => unarchive(f) },
  'PUT /api/v1/incidents/:id': { expect: incidentOfA(409, 409, 409, 403), body: () => ({ expectedVersion: 999, document: aguaPrietaDocument() }), before: (f) => unarchive(f) },
  'POST /api/v1/incidents/:id/workflow': { expect: incidentOfA(403, 409, 403, 403), body: () => ({ step: 'reopen', note: 'nuevos hechos' }), before: (f) => unarchive(f) },
  'POST /api/v1/incidents/:id/archive': { expect: incidentOfA(403, 'ok', 'ok', 403), body: () => ({ reason: 'registro de prueba' }), before: (f) => unarchive(f) },
  'PUT /api/v1/incidents/:id/sharing': { expect: incidentOfA('ok', 'ok', 'ok', 403), body: () => ({ shared: false }), before: (f) => unarchive(f) },
  'GET /api/v1/incidents/:id/notes': { expect: incidentOfA('ok', 'ok', 'ok', 403) },
  'POST /api/v1/incidents/:id/notes': { expect: incidentOfA('ok', 'ok', 'ok', 403), body: () => ({ body: '¿Hay una segunda fuente?' }) },
  'GET /api/v1/incidents/:id/versions': { expect: incidentOfA('ok', 'ok', 'ok', 'ok') },
  'GET /api/v1/incidents/:id/versions/:version/diff': { expect: incidentOfA('ok', 'ok', 'ok', 'ok') },

  // Reports into org A: any member files; its documenters, reviewers and administrators triage.
  'POST /api/v1/organizations/:id/reports': {
    expect: { ...incidentOfA('ok', 'ok', 'ok', 403), reporterA: 'ok', instanceAdmin: 403 },
    body: () => ({ whatHappened: 'Una patrulla vigiló el albergue toda la noche.' }),
  },
  'GET /api/v1/organizations/:id/reports': { expect: { ...incidentOfA('ok', 'ok', 'ok', 403), reporterA: 403, instanceAdmin: 403 } },
  'GET /api/v1/reports/:id': { expect: incidentOfA('ok', 'ok', 'ok', 403) },
  'POST /api/v1/reports/:id/incident': { expect: incidentOfA('ok', 'ok', 'ok', 403), body: () => ({ document: aguaPrietaDocument() }), before: (f) => reopenReport(f) },
  'POST /api/v1/reports/:id/attach': { expect: incidentOfA('ok', 'ok', 'ok', 403), body: (f) => ({ incidentId: f.incidentA }), before: (f) => reopenReport(f) },
  'POST /api/v1/reports/:id/resolution': { expect: incidentOfA('ok', 'ok', 'ok', 403), body: () => ({ outcome: 'rejected', message: 'fuera de ámbito' }), before: (f) => reopenReport(f) },

  // Files with a member's report: only the member who filed it (documenterA); those who triage it see it but may not.
  'POST /api/v1/reports/:id/attachments': {
    expect: { ...incidentOfA('ok', 403, 403, 403), reporterA: 404 },
    body: () => ({ length: 10, fileName: 'foto.jpg' }),
    before: (f) => reopenReport(f),
  },

  'POST /api/v1/public/reports/additions': { expect: everyone(404), body: () => ({ receiptCode: 'AAAA-AAAA-AAAA', secret: 'a'.repeat(43), text: 'más' }) },
  // Attachments are held by the receipt alone: an unknown receipt, or evidence of an incident reached
  // through the receipt's routes, is the same 404 whoever calls.
  'POST /api/v1/public/reports/attachments': { expect: everyone(404), body: () => ({ receiptCode: 'AAAA-AAAA-AAAA', secret: 'a'.repeat(43), length: 10 }) },
  // Public alerts: the same answer whoever calls (no alert is published in this fixture: 404 for one).
  'GET /api/v1/public/alerts': { expect: everyone('ok') },
  'GET /api/v1/public/alerts/:slug': { expect: everyone(404), params: () => ({ slug: 'sin-publicar' }) },
  'GET /api/v1/public/alerts/:slug/pdf': { expect: everyone(404), params: () => ({ slug: 'sin-publicar' }) },
  'GET /api/v1/public/attachments/:id': { expect: everyone(404), params: (f) => ({ id: f.uploadA }), headers: () => ({ 'x-receipt-secret': 'a'.repeat(43) }) },
  'PATCH /api/v1/public/attachments/:id': {
    expect: everyone(404),
    params: (f) => ({ id: f.uploadA }),
    headers: () => ({ 'content-type': 'application/offset+octet-stream', 'upload-offset': '0', 'x-receipt-secret': 'a'.repeat(43) }),
    body: () => Buffer.from('abcd'),
  },

  // Evidence: decided on its incident. Reporters do not browse the record; org B and instance
  // administrators do not see org A's incidents at all; a read-only token reads but never adds.
  'POST /api/v1/incidents/:id/evidence': { expect: incidentWorkers, params: (f) => ({ id: f.incidentA }), body: () => ({ length: 10, fileName: 'foto.jpg' }) },
  'GET /api/v1/incidents/:id/evidence': { expect: incidentReaders, params: (f) => ({ id: f.incidentA }) },
  'GET /api/v1/evidence/:id/upload': { expect: incidentWorkers, params: (f) => ({ id: f.uploadA }) },
  'PATCH /api/v1/evidence/:id/upload': {
    expect: incidentWorkers,
    before: async (f) => {
      chunkTarget = await f.openUpload();
    },
    params: () => ({ id: chunkTarget }),
    headers: () => ({ 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }),
    body: () => Buffer.from('abcd'),
  },
  'GET /api/v1/evidence/:id/content': { expect: incidentReaders, params: (f) => ({ id: f.evidenceA }) },
  'GET /api/v1/evidence/:id/original': { expect: incidentWorkers, params: (f) => ({ id: f.evidenceA }) },
  'GET /api/v1/evidence/:id/custody': { expect: incidentReaders, params: (f) => ({ id: f.evidenceA }) },

  // Alerts: a network's people only (the route tests cover them); tokens never.
  'GET /api/v1/alerts': { expect: signedIn },
  'POST /api/v1/alerts': { expect: alertOfNetwork, body: (f) => ({ networkId: f.network, incidentIds: [f.incidentA] }) },
  'GET /api/v1/alerts/:id': { expect: alertOfNetwork },
  'PUT /api/v1/alerts/:id': { expect: alertOfNetwork, body: () => ({ content: sampleAlertContent() }) },
  'POST /api/v1/alerts/:id/submit': { expect: alertOfNetwork, body: () => ({}) },
  'POST /api/v1/alerts/:id/return': { expect: alertOfNetwork, body: () => ({ note: 'falta contexto' }) },
  'POST /api/v1/alerts/:id/approve': { expect: alertOfNetwork, body: () => ({}) },
  'POST /api/v1/alerts/:id/publish': { expect: alertOfNetwork, body: () => ({}) },
  'POST /api/v1/alerts/:id/correct': { expect: alertOfNetwork, body: () => ({ content: sampleAlertContent(), note: 'corrección' }) },
  'POST /api/v1/alerts/:id/withdraw': { expect: alertOfNetwork, body: () => ({ reason: 'duplicada' }) },
  'GET /api/v1/alerts/:id/versions': { expect: alertOfNetwork },
  'POST /api/v1/alerts/:id/check': { expect: alertOfNetwork, body: () => ({}) },
  // Early warning: rules are read by anyone signed in and edited by instance administrators; a network's
  // signals are its documenters' and reviewers' only (none of these callers is a member of the network;
  // the inbox itself is tested in src/alerts/evaluate.test.ts and the routes' tests).
  'GET /api/v1/alert-rules': { expect: signedIn },
  'GET /api/v1/alert-rules/:id': { expect: signedIn, params: () => ({ id: 'severity' }) },
  'PUT /api/v1/alert-rules/:id': {
    expect: instanceAdminOnly,
    params: () => ({ id: 'repeat-targeting' }),
    body: () => ({ description: { es: 'El mismo albergue agredido al menos 3 veces en 90 días.', en: 'The same shelter targeted at least 3 times within 90 days.' }, parameters: { minIncidents: 3, days: 90 }, enabled: true }),
  },
  'GET /api/v1/networks/:id/signals': { expect: row(401, 404, 404, 404, 404, 403), params: (f) => ({ id: f.network }) },
  'GET /api/v1/signals/:id': { expect: row(401, 404, 404, 404, 404, 403), params: () => ({ id: randomUUID() }) },
  'POST /api/v1/signals/:id/dismiss': { expect: row(401, 404, 404, 404, 404, 403), params: () => ({ id: randomUUID() }), body: () => ({ reason: 'sin relación' }) },
};

describeEachEngine('authorization matrix', (getDatabase) => {
  let app: FastifyInstance;
  let fixture: Fixture;
  const credentials = new Map<ActorName, { userId?: string; bearer?: string }>();
  let routes: Array<{ method: string; url: string }>;

  beforeAll(async () => {
    const database = getDatabase();
    const config = testConfig();
    app = await buildApp({ config, database });
    await app.ready();

    const orgA = (await insertOrganization(database, { stateCode: '05' })).id;
    const orgB = (await insertOrganization(database, { stateCode: '07' })).id;
    const network = (await insertOrganization(database, { kind: 'network' })).id;
    await database.db.insertInto('network_members').values({ network_id: network, organization_id: orgA }).execute();
    const person = async (name: ActorName, organizationId: string | undefined, role: 'reporter' | 'documenter' | 'reviewer' | 'administrator' | undefined, isInstanceAdmin = false) => {
      const mfa = isInstanceAdmin || role === 'reviewer' || role === 'administrator';
      const user = await createUser(database, {
        isInstanceAdmin,
        memberships: organizationId && role ? [{ organizationId, roles: [role] }] : [],
        ...(mfa ? { totpSecret: generateTotpSecret() } : {}),
      });
      credentials.set(name, { userId: user.id });
      return user.id;
    };
    await person('reporterA', orgA, 'reporter');
    const documenterA = await person('documenterA', orgA, 'documenter');
    await person('reviewerA', orgA, 'reviewer');
    const adminA = await person('adminA', orgA, 'administrator');
    await person('adminB', orgB, 'administrator');
    await person('instanceAdmin', undefined, undefined, true);
    // A second administrator, so that no call in the table can leave org A without one.
    await person('anonymous', orgA, 'administrator');
    credentials.delete('anonymous');

    const admin = userActor(adminA, { [orgA]: ['administrator'] });
    const actorToken = await createApiToken({ database, actor: admin, organizationId: orgA, name: 'Matriz', permissions: ['incidents:read'] });
    credentials.set('tokenA', { bearer: actorToken.secret });
    const victim = await createApiToken({ database, actor: admin, organizationId: orgA, name: 'Víctima', permissions: ['export:read'] });
    const invitation = await database.db
      .insertInto('invitations')
      .values({
        organization_id: orgA,
        email: 'invitada@test.vigia.local',
        role: 'reporter',
        token_hash: randomBytes(32).toString('hex'),
        invited_by: adminA,
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const incident = await createIncident({
      database,
      keyring: new Keyring(loadMasterKeys(config)),
      actor: userActor(documenterA, { [orgA]: ['documenter'] }),
      organizationId: orgA,
      document: incidentDocumentSchema.parse(aguaPrietaDocument()),
      shareWithNetworks: false,
    });
    unarchive = async (f) => {
      await database.db.updateTable('incidents').set({ archived_at: null, archive_reason: null, shared_with_networks: false }).where('id', '=', f.incidentA).execute();
    };
    const report = await fileMemberReport({
      database,
      keyring: new Keyring(loadMasterKeys(config)),
      actor: userActor(documenterA, { [orgA]: ['documenter'] }),
      organizationId: orgA,
      report: reportBaseSchema.parse({ whatHappened: 'Elementos de la Guardia Nacional patrullaron frente al albergue.' }),
      extra: memberReportExtraSchema.parse({}),
      idempotencyKey: null,
    });
    reopenReport = async (f) => {
      await database.db.updateTable('reports').set({ status: 'new', incident_id: null }).where('id', '=', f.reportA).execute();
    };
    const incidentA = incident.id;
    const openUpload = async (length = 10): Promise<string> => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${incidentA}/evidence`,
        headers: await headersFor('documenterA'),
        payload: { length },
      });
      if (response.statusCode !== 201) throw new Error(`could not open an upload: ${response.body}`);
      return (response.json() as { id: string }).id;
    };
    const photo = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 90, b: 160 } } }).jpeg().toBuffer();
    const evidenceA = await openUpload(photo.length);
    const received = await app.inject({
      method: 'PATCH',
      url: `/api/v1/evidence/${evidenceA}/upload`,
      headers: { ...(await headersFor('documenterA')), 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      payload: photo,
    });
    if (received.statusCode !== 200) throw new Error(`could not upload the photo: ${received.body}`);
    const alert = await insertAlert(database, { networkId: orgA });
    const reachA = { id: alert.id, slug: alert.slug!, requestId: randomUUID(), endpointId: randomUUID(), responseId: '' };
    await database.db.insertInto('alert_requests').values({ id: reachA.requestId, alert_id: alert.id, addressee_code: 'INM', addressee_name: JSON.stringify({ es: 'INM', en: 'INM' }), sent_on: '2026-11-01', due_on: '2026-12-01' }).execute();
    const newResponse = async () => {
      const id = randomUUID();
      await database.db.insertInto('alert_responses').values({ id, request_id: reachA.requestId, received_on: '2026-11-20', summary: 'Respuesta de prueba', document_text: null, recorded_by: null }).execute();
      return id;
    };
    reachA.responseId = await newResponse();
    const attached = await app.inject({
      method: 'PUT',
      url: `/api/v1/alert-responses/${reachA.responseId}/document?public=true`,
      headers: { ...(await headersFor('reviewerA')), 'content-type': 'application/pdf' },
      payload: RESPONSE_PDF,
    });
    if (attached.statusCode !== 201) throw new Error(`could not attach the answer's document: ${attached.body}`);
    await database.db.insertInto('webhook_endpoints').values({ id: reachA.endpointId, network_id: orgA, url: 'https://hooks.example.org/vigia', secret_sealed: 'sealed' }).execute();
    fixture = {
      reachA,
      newResponse,
      orgA,
      network,
      documenterA,
      victimTokenA: victim.token.id,
      invitationA: invitation.id,
      incidentA,
      reportA: report.id,
      evidenceA,
      uploadA: await openUpload(),
      openUpload,
      alertA: (await insertAlert(database, { networkId: network, status: 'draft' })).id,
    };
    TABLE['DELETE /api/v1/organizations/:networkId/member-organizations/:organizationId']!.before = async (f) => {
      await database.db
        .insertInto('network_members')
        .values({ network_id: f.network, organization_id: f.orgA })
        .onConflict((oc) => oc.doNothing())
        .execute();
    };

    routes = app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD');
  });
  afterAll(async () => {
    await app.close();
  });

  function fill(url: string, overrides: Record<string, string> = {}): string {
    const values: Record<string, string> = {
      id: fixture.orgA,
      userId: fixture.documenterA,
      tokenId: fixture.victimTokenA,
      networkId: fixture.network,
      organizationId: fixture.orgA,
      invitationId: fixture.invitationA,
      token: randomBytes(32).toString('base64url'),
      name: 'act_types',
      code: '26',
      ...overrides,
    };
    const filled = url.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'id' && url.startsWith('/api/v1/auth/sessions/')) return randomUUID();
      if (name === 'id' && url.startsWith('/api/v1/incidents/')) return fixture.incidentA;
      if (name === 'id' && url.startsWith('/api/v1/reports/')) return fixture.reportA;
      if (name === 'id' && url.startsWith('/api/v1/alerts/')) return overrides.id ?? fixture.alertA;
      if (name === 'version') return '1';
      const value = values[name];
      if (value === undefined) throw new Error(`No value for :${name} in ${url}`);
      return value;
    });
    return url === '/api/v1/reference/municipalities' ? `${filled}?state=05` : filled;
  }

  async function headersFor(name: ActorName): Promise<Record<string, string>> {
    const c = credentials.get(name);
    if (!c) return {};
    if (c.bearer) return { authorization: `Bearer ${c.bearer}` };
    // A fresh session per call: routes such as sign-out and revoke-all end the session they run in.
    const session = await getDatabase().transaction((trx) =>
      createSession(trx, { userId: c.userId!, mfaVerified: true, ip: null, userAgent: null, config: testConfig() }),
    );
    return { cookie: `vigia_session=${session.token}`, 'x-csrf-token': session.csrfToken };
  }

  it('declares an expectation for every /api/v1 route, and lists only routes that exist', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    const undeclared = keys.filter((k) => !(k in TABLE));
    expect(undeclared, `routes with no entry in the authorization matrix: ${undeclared.join(', ')}`).toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('documents every /api/v1 route in the OpenAPI document', async () => {
    const document = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const missing = routes.filter((r) => {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      return !document.paths[path]?.[r.method.toLowerCase()];
    });
    expect(missing).toEqual([]);
  });

  it('answers every route and caller as the table says', { timeout: 240_000 }, async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const entry = TABLE[key];
      if (!entry) continue;
      for (const actor of ACTORS) {
        await entry.before?.(fixture);
        const body = entry.body?.(fixture);
        const response = await app.inject({
          method: route.method as 'GET',
          url: fill(route.url, entry.params?.(fixture)),
          headers: { ...(await headersFor(actor)), ...entry.headers?.(fixture) },
          ...(body === undefined ? {} : { payload: body as Record<string, unknown> | Buffer }),
        });
        const expected = entry.expect[actor];
        const ok = expected === 'ok' ? response.statusCode >= 200 && response.statusCode < 300 : response.statusCode === expected;
        if (!ok) mismatches.push(`${key} as ${actor}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 160)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
