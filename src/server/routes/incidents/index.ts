import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { archiveIncident } from '../../../commands/archive-incident.js';
import { changeIncidentStatus } from '../../../commands/change-incident-status.js';
import { createIncident } from '../../../commands/create-incident.js';
import { EXPORT_FORMATS, exportIncidents } from '../../../commands/export-incidents.js';
import { diffIncidentVersions, listIncidentVersions } from '../../../commands/incident-history.js';
import { readIncident } from '../../../commands/read-incident.js';
import { setIncidentSharing } from '../../../commands/share-incident.js';
import { updateIncident } from '../../../commands/update-incident.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { incidentDocumentSchema } from '../../../domain/incident.js';
import { WORKFLOW_STEP_NAMES, type WorkflowStep } from '../../../domain/incident-workflow.js';
import { access } from '../../../policies/access.js';
import { incidentDiffSchema, incidentSchema, incidentVersionSchema, presentIncident } from '../../../presenters/incident.presenter.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';

const tags = ['incidents'];
const incidentParams = z.object({ id: z.uuid({ error: 'must be an incident id (uuid)' }) });
const organizationParams = z.object({ id: z.uuid({ error: 'must be an organization id (uuid)' }) });
const includeQuery = z.object({
  include: z.enum(['sensitive'], { error: 'can only be "sensitive"' }).optional().describe('"sensitive": also open identities, contacts and coordinates (audited)'),
});

/**
 * Incidents: create, read, edit, move through review, archive, share, and their history. Routes parse,
 * call one command and present; the commands hold the rules (four eyes, versions, sealing, audit).
 */
export function incidentRoutes(deps: { database: Database; keyring: Keyring }): FastifyPluginAsyncZod {
  const { database, keyring } = deps;

  async function present(request: { actor: Parameters<typeof readIncident>[0]['actor'] } & Parameters<typeof originOf>[0], id: string, includeSensitive: boolean) {
    const read = await readIncident({ database, keyring, actor: request.actor, incidentId: id, includeSensitive, context: originOf(request) });
    return presentIncident(read.row, read.document, { actor: request.actor, subject: read.subject, sensitiveIncluded: read.sensitiveIncluded, nextSteps: read.nextSteps });
  }

  return async (app) => {
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
