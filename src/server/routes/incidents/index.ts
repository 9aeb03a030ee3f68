import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { archiveIncident } from '../../../commands/archive-incident.js';
import { changeIncidentStatus } from '../../../commands/change-incident-status.js';
import { createIncident } from '../../../commands/create-incident.js';
import { EXPORT_FORMATS, exportIncidents } from '../../../commands/export-incidents.js';
import { diffIncidentVersions, listIncidentVersions } from '../../../commands/incident-history.js';
import { addIncidentNote, listIncidentNotes } from '../../../commands/incident-notes.js';
import { setIncidentSharing } from '../../../commands/share-incident.js';
import { updateIncident } from '../../../commands/update-incident.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { incidentDocumentSchema } from '../../../domain/incident.js';
import { WORKFLOW_STEP_NAMES, type WorkflowStep } from '../../../domain/incident-workflow.js';
import { access } from '../../../policies/access.js';
import { incidentDiffSchema, incidentListItemSchema, incidentSchema, incidentVersionSchema, presentIncidentListItem } from '../../../presenters/incident.presenter.js';
import { searchVisibleIncidents } from '../../../commands/search-incidents.js';
import { IncidentSearchInputError, INCIDENT_SEARCH_SORTS, MAX_SEARCH_LIMIT } from '../../../db/repositories/incident-search.js';
import { AppError } from '../../errors.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';
import { incidentResponse } from './present.js';

const tags = ['incidents'];
const incidentParams = z.object({ id: z.uuid({ error: 'must be an incident id (uuid)' }) });
const organizationParams = z.object({ id: z.uuid({ error: 'must be an organization id (uuid)' }) });
const many = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).max(50).optional());
const searchQuery = z.object({
  text: z.string().max(500).optional(),
  state: z.string().regex(/^\d{2}$/, 'must be a two-digit INEGI state code').optional(),
  municipality: z.string().regex(/^\d{5}$/, 'must be a five-digit INEGI municipality code').optional(),
  from: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }).optional(),
  actType: many(z.string().regex(/^[A-Z][A-Z0-9_]*$/)),
  perpetratorType: many(z.string().regex(/^[A-Z][A-Z0-9_]*$/)),
  victimType: many(z.string().regex(/^[A-Z][A-Z0-9_]*$/)),
  status: many(z.enum(['reported', 'in_review', 'verified', 'rejected', 'needs_information'])),
  organization: z.uuid().optional(),
  hasEvidence: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  includeArchived: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  sort: z.enum(INCIDENT_SEARCH_SORTS).default('date_desc'),
  limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(25),
  cursor: z.string().max(500).optional(),
});
const includeQuery = z.object({
  include: z.enum(['sensitive'], { error: 'can only be "sensitive"' }).optional().describe('"sensitive": also open identities, contacts and coordinates (audited)'),
});

/**
 * Incidents: create, read, edit, move through review, archive, share, and their history. Routes parse,
 * call one command and present; the commands hold the rules (four eyes, versions, sealing, audit).
 */
export function incidentRoutes(deps: { database: Database; keyring: Keyring }): FastifyPluginAsyncZod {
  const { database, keyring } = deps;

  const present = (request: FastifyRequest, id: string, includeSensitive = false) => incidentResponse(deps, request, id, includeSensitive);

  return async (app) => {
    app.get(
      '/incidents',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'Searches the incidents the caller may see: words in Spanish or English, filters, sorting and cursor pages',
          description:
            'Words are matched without accents and with stemming in both languages (web-search syntax: "quoted phrases", -excluded, or). ' +
            'Repeat actType, perpetratorType, victimType and status for several values (any of them matches).',
          querystring: searchQuery,
          response: { 200: z.object({ data: z.array(incidentListItemSchema), nextCursor: z.string().nullable() }), ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const q = request.query;
        try {
          const page = await searchVisibleIncidents({
            database,
            actor: request.actor,
            query: {
              text: q.text,
              stateCode: q.state,
              municipalityCode: q.municipality,
              from: q.from,
              to: q.to,
              actTypes: q.actType,
              perpetratorTypes: q.perpetratorType,
              victimTypes: q.victimType,
              statuses: q.status,
              organizationId: q.organization,
              hasEvidence: q.hasEvidence,
              includeArchived: q.includeArchived,
              sort: q.sort,
              limit: q.limit,
              cursor: q.cursor,
            },
          });
          return { data: page.items.map(presentIncidentListItem), nextCursor: page.nextCursor };
        } catch (error) {
          if (error instanceof IncidentSearchInputError) {
            throw new AppError('VALIDATION_FAILED', `Invalid querystring: ${error.field}: ${error.message}`, [
              { location: 'querystring', field: error.field, message: error.message },
            ]);
          }
          throw error;
        }
      },
    );

    app.post(
      '/organizations/:id/incidents',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: "Documents a new incident in the organization's record (status: reported)",
          params: organizationParams,
          body: z.object({ document: incidentDocumentSchema, shareWithNetworks: z.boolean().optional() }).strict(),
          response: { 201: incidentSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const row = await createIncident({
          database,
          keyring,
          actor: request.actor,
          organizationId: request.params.id,
          document: request.body.document,
          shareWithNetworks: request.body.shareWithNetworks,
          context: originOf(request),
        });
        return reply.code(201).send(await present(request, row.id, false));
      },
    );

    app.get(
      '/organizations/:id/incidents/export',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: "Exports the organization's incidents as CSV, JSON or HURIDOCS ESF (audited)",
          description:
            'redacted=true (the default) leaves out names, contacts and coordinates, and replaces the free text of incidents that may not be ' +
            'published (the narrative by the title). redacted=false opens the sealed fields and needs the right to read them. ' +
            'API tokens need export:read. CSV cells that a spreadsheet would run as formulas start with an apostrophe. The body is streamed.',
          params: organizationParams,
          querystring: z.object({
            format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }).default('csv'),
            redacted: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
          }),
          response: { 200: z.unknown().describe('text/csv, or JSON (application/json), streamed as an attachment'), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const exported = await exportIncidents({
          database,
          keyring,
          actor: request.actor,
          organizationId: request.params.id,
          format: request.query.format,
          redacted: request.query.redacted === 'true',
          context: originOf(request),
        });
        return reply
          .header('content-type', exported.contentType)
          .header('content-disposition', `attachment; filename="${exported.filename}"`)
          .header('cache-control', 'no-store')
          .send(Readable.from(exported.body));
      },
    );

    app.get(
      '/incidents/:id',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'An incident with its record, legal qualification and what the caller may do next',
          params: incidentParams,
          querystring: includeQuery,
          response: { 200: incidentSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => present(request, request.params.id, request.query.include === 'sensitive'),
    );

    app.put(
      '/incidents/:id',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'Saves a new version of the record (409 if someone saved since expectedVersion)',
          description: 'Send the whole record. Sealed fields left null are cleared: read with ?include=sensitive before editing them.',
          params: incidentParams,
          body: z.object({ expectedVersion: z.number().int().min(1), document: incidentDocumentSchema }).strict(),
          response: { 200: incidentSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        await updateIncident({
          database,
          keyring,
          actor: request.actor,
          incidentId: request.params.id,
          expectedVersion: request.body.expectedVersion,
          document: request.body.document,
          context: originOf(request),
        });
        return present(request, request.params.id, false);
      },
    );

    app.post(
      '/incidents/:id/workflow',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Moves the incident through review: submit, request_information, verify, reject, reopen',
          description: 'Verification needs a reviewer who did not make the last change (four eyes). request_information, reject and reopen need a note.',
          params: incidentParams,
          body: z
            .object({
              step: z.enum(WORKFLOW_STEP_NAMES as [WorkflowStep, ...WorkflowStep[]], { error: `must be one of ${WORKFLOW_STEP_NAMES.join(', ')}` }),
              note: z.string().trim().max(5000).optional(),
            })
            .strict(),
          response: { 200: incidentSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        await changeIncidentStatus({
          database,
          actor: request.actor,
          incidentId: request.params.id,
          step: request.body.step,
          note: request.body.note,
          context: originOf(request),
        });
        return present(request, request.params.id, false);
      },
    );

    app.post(
      '/incidents/:id/archive',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Archives the incident with a reason (nothing is ever deleted)',
          params: incidentParams,
          body: z.object({ reason: z.string().trim().min(3, 'must say why, in at least 3 characters').max(2000) }).strict(),
          response: { 200: incidentSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        await archiveIncident({ database, actor: request.actor, incidentId: request.params.id, reason: request.body.reason, context: originOf(request) });
        return present(request, request.params.id, false);
      },
    );

    app.put(
      '/incidents/:id/sharing',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: "Shares the incident with the organization's networks, or stops sharing it",
          params: incidentParams,
          body: z.object({ shared: z.boolean() }).strict(),
          response: { 200: incidentSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        await setIncidentSharing({ database, actor: request.actor, incidentId: request.params.id, shared: request.body.shared, context: originOf(request) });
        return present(request, request.params.id, false);
      },
    );

    const noteSchema = z.object({ id: z.uuid(), body: z.string(), authorId: z.uuid(), authorName: z.string().nullable(), createdAt: z.date() }).meta({ id: 'IncidentNote' });

    app.get(
      '/incidents/:id/notes',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: "Reviewers' and documenters' notes on the incident, oldest first",
          params: incidentParams,
          response: { 200: z.object({ data: z.array(noteSchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({ data: await listIncidentNotes({ database, actor: request.actor, incidentId: request.params.id }) }),
    );

    app.post(
      '/incidents/:id/notes',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Adds a note to the incident (kept for good, like its versions)',
          params: incidentParams,
          body: z.object({ body: z.string().trim().min(1, 'must not be empty').max(5000) }).strict(),
          response: { 201: noteSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await addIncidentNote({ database, actor: request.actor, incidentId: request.params.id, body: request.body.body, context: originOf(request) })),
    );

    app.get(
      '/incidents/:id/versions',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: "The incident's history: every version, newest first",
          params: incidentParams,
          response: { 200: z.object({ data: z.array(incidentVersionSchema) }), ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => ({ data: await listIncidentVersions({ database, actor: request.actor, incidentId: request.params.id }) }),
    );

    app.get(
      '/incidents/:id/versions/:version/diff',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: 'What changed in a version, compared with the one before it (or ?against=N)',
          params: incidentParams.extend({ version: z.coerce.number().int().min(1) }),
          querystring: includeQuery.extend({ against: z.coerce.number().int().min(1).optional() }),
          response: { 200: incidentDiffSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const to = request.params.version;
        const from = request.query.against ?? Math.max(1, to - 1);
        return diffIncidentVersions({
          database,
          keyring,
          actor: request.actor,
          incidentId: request.params.id,
          from,
          to,
          includeSensitive: request.query.include === 'sensitive',
          context: originOf(request),
        });
      },
    );
  };
}
