import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileMemberReport } from '../../../commands/file-member-report.js';
import { readReportForTriage } from '../../../commands/read-report.js';
import { MAX_ATTACHMENTS_PER_REPORT, startMemberReportAttachment } from '../../../commands/report-attachments.js';
import type { EvidenceStore } from '../../../evidence/evidence-store.js';
import type { Config } from '../../config.js';
import { startUploadBody } from '../evidence/schemas.js';
import { attachReport, createIncidentFromReport, resolveReport } from '../../../commands/triage-report.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { incidentDocumentSchema } from '../../../domain/incident.js';
import { memberReportExtraSchema } from '../../../domain/report.js';
import { access } from '../../../policies/access.js';
import { visibleOrganizationIds } from '../../../policies/organization.policy.js';
import { canTriageReports } from '../../../policies/report.policy.js';
import { incidentSchema } from '../../../presenters/incident.presenter.js';
import { presentReportForTriage, presentReportSummary, reportForTriageSchema, reportSummarySchema } from '../../../presenters/report.presenter.js';
import { AppError } from '../../errors.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';
import { incidentResponse } from '../incidents/present.js';
import { idempotencyHeaders, memberReportBody } from './schemas.js';

const tags = ['reports'];
const organizationParams = z.object({ id: z.uuid({ error: 'must be an organization id (uuid)' }) });
const reportParams = z.object({ id: z.uuid({ error: 'must be a report id (uuid)' }) });
const INBOX_STATUSES = ['new', 'needs_information', 'incident_created', 'attached', 'rejected'] as const;

/**
 * Reports by members and the triage inbox: file a report into one's organization (and send its files), list the inbox, open a
 * report with its suggestions and likely duplicates, and take it out of the inbox.
 */
export function triageRoutes(deps: { database: Database; keyring: Keyring; store: EvidenceStore; config: Config }): FastifyPluginAsyncZod {
  const { database, keyring, store, config } = deps;
  return async (app) => {
    app.post(
      '/organizations/:id/reports',
      {
        config: { access: access.signedInOrToken },
        schema: {
          tags,
          summary: "Files a member's report into the organization's triage inbox, with a receipt",
          params: organizationParams,
          headers: idempotencyHeaders,
          body: memberReportBody,
          response: {
            201: z.object({ id: z.uuid(), receiptCode: z.string(), secret: z.string().nullable(), submittedAt: z.date() }),
            200: z.object({ id: z.uuid(), receiptCode: z.string(), secret: z.string().nullable(), submittedAt: z.date() }),
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const { actTypes, victimCharacteristics, peopleAffected, agentsCount, receiptSecret, ...report } = request.body;
        const filed = await fileMemberReport({
          database,
          keyring,
          actor: request.actor,
          organizationId: request.params.id,
          report,
          extra: memberReportExtraSchema.parse({ actTypes, victimCharacteristics, peopleAffected, agentsCount }),
          idempotencyKey: request.headers['idempotency-key'] ?? null,
          receiptSecret,
          context: originOf(request),
        });
        return reply
          .code(filed.replayed ? 200 : 201)
          .header('cache-control', 'no-store')
          .send({ id: filed.id, receiptCode: filed.receiptCode, secret: filed.secret, submittedAt: filed.submittedAt });
      },
    );

    app.post(
      '/reports/:id/attachments',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Opens the upload of a file sent with a report one filed as a member',
          description:
            `Only the member who filed the report, while it is still in the inbox, and at most ${MAX_ATTACHMENTS_PER_REPORT} files. ` +
            'The chunks then go as for evidence of an incident, steps (2) and (3) of its protocol: `PATCH` and `GET /api/v1/evidence/{id}/upload`.',
          params: reportParams,
          body: startUploadBody.omit({ description: true }),
          response: {
            201: z.object({ id: z.uuid(), offset: z.literal(0), length: z.number().int(), status: z.literal('uploading') }),
            ...errorResponses(400, 401, 403, 404, 409, 413),
          },
        },
      },
      async (request, reply) => {
        const started = await startMemberReportAttachment({
          database,
          keyring,
          store,
          maxBytes: config.evidence.maxBytes,
          actor: request.actor,
          reportId: request.params.id,
          length: request.body.length,
          fileName: request.body.fileName,
          context: originOf(request),
        });
        return reply.code(201).header('location', `/api/v1/evidence/${started.id}/upload`).send(started);
      },
    );

    app.get(
      '/organizations/:id/reports',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: "The organization's triage inbox (new reports first, oldest first within a day)",
          params: organizationParams,
          querystring: z.object({
            status: z.enum(INBOX_STATUSES).optional().describe('Default: new and needs_information'),
            limit: z.coerce.number().int().min(1).max(200).default(50),
          }),
          response: { 200: z.object({ data: z.array(reportSummarySchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const { actor } = request;
        const organizationId = request.params.id;
        if (visibleOrganizationIds(actor, [organizationId]).length === 0) throw new AppError('NOT_FOUND', 'There is no such organization.');
        if (!canTriageReports(actor, organizationId)) throw new AppError('FORBIDDEN', "You may not triage this organization's reports.");
        const statuses = request.query.status ? [request.query.status] : (['new', 'needs_information'] as const);
        const rows = await database.db
          .selectFrom('reports')
          .selectAll()
          .where('organization_id', '=', organizationId)
          .where('status', 'in', [...statuses])
          .orderBy('created_at', 'desc')
          .limit(request.query.limit)
          .execute();
        return { data: rows.map(presentReportSummary) };
      },
    );

    app.get(
      '/reports/:id',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'A report opened for triage, with suggestions read from its text and likely duplicates (audited)',
          params: reportParams,
          response: { 200: reportForTriageSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => presentReportForTriage(await readReportForTriage({ database, keyring, actor: request.actor, reportId: request.params.id, context: originOf(request) })),
    );

    app.post(
      '/reports/:id/incident',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Turns the report into a new incident',
          params: reportParams,
          body: z.object({ document: incidentDocumentSchema, shareWithNetworks: z.boolean().optional() }).strict(),
          response: { 201: incidentSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const row = await createIncidentFromReport({
          database,
          keyring,
          actor: request.actor,
          reportId: request.params.id,
          document: request.body.document,
          shareWithNetworks: request.body.shareWithNetworks,
          context: originOf(request),
        });
        return reply.code(201).send(await incidentResponse(deps, request, row.id));
      },
    );

    app.post(
      '/reports/:id/attach',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Attaches the report to an incident that already records the same event',
          params: reportParams,
          body: z.object({ incidentId: z.uuid({ error: 'must be an incident id (uuid)' }) }).strict(),
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await attachReport({ database, actor: request.actor, reportId: request.params.id, incidentId: request.body.incidentId, context: originOf(request) });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/reports/:id/resolution',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Rejects the report with a reason, or asks its reporter a question (shown on their receipt page)',
          params: reportParams,
          body: z
            .object({
              outcome: z.enum(['rejected', 'needs_information']),
              message: z.string().trim().min(3, 'must say why, or what is missing, in at least 3 characters').max(5000),
            })
            .strict(),
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await resolveReport({
          database,
          keyring,
          actor: request.actor,
          reportId: request.params.id,
          outcome: request.body.outcome,
          message: request.body.message,
          context: originOf(request),
        });
        return reply.code(204).send(null);
      },
    );
  };
}
