import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { alertVersions } from '../../../commands/alert-versions.js';
import { approveAlert } from '../../../commands/approve-alert.js';
import { checkAlert } from '../../../commands/check-alert.js';
import { correctAlert } from '../../../commands/correct-alert.js';
import { createAlertDraft } from '../../../commands/create-alert-draft.js';
import { publishAlert } from '../../../commands/publish-alert.js';
import { listAlerts, readAlert } from '../../../commands/read-alert.js';
import { returnAlertToDraft } from '../../../commands/return-alert-to-draft.js';
import { submitAlertForReview } from '../../../commands/submit-alert-for-review.js';
import { updateAlert } from '../../../commands/update-alert.js';
import { withdrawAlert } from '../../../commands/withdraw-alert.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { alertContentSchema } from '../../../domain/alert.js';
import { access } from '../../../policies/access.js';
import type { Actor } from '../../../policies/actor.js';
import { alertListItemSchema, alertSchema, alertVersionSchema, doNoHarmFindingSchema, presentAlert, presentAlertListItem, presentAlertVersion, presentFinding } from '../../../presenters/alert.presenter.js';
import { createJobRegistry } from '../../../jobs/run.js';
import type { Config } from '../../config.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';

const tags = ['alerts'];
const alertParams = z.object({ id: z.uuid({ error: 'must be an alert id (uuid)' }) });
const note = z.string().trim().max(2_000, { error: 'must be at most 2000 characters' });
const required = (what: string) => z.string().trim().min(1, { error: `must say ${what}` }).max(2_000, { error: 'must be at most 2000 characters' });

/**
 * Alerts in the workspace: draft from verified incidents, edit (every edit a version), review, approve,
 * publish, correct, withdraw, history, and the do-no-harm check. Routes parse, call one command, present.
 */
export function alertRoutes(deps: { database: Database; keyring: Keyring; config: Config }): FastifyPluginAsyncZod {
  const { database, keyring, config } = deps;
  const threshold = config.smallNumberThreshold;
  // What a publication queues in its transaction: subscriber e-mails, webhook deliveries, tracked requests.
  const distribution = { config, jobs: createJobRegistry(config) };
  const present = async (actor: Actor, alertId: string) => {
    const { alert, approvals, nextSteps } = await readAlert({ database, actor, alertId });
    return presentAlert(alert, { approvals, approvalsRequired: config.alerts.approvalsRequired, nextSteps });
  };
  const step = { config: { access: access.signedIn } } as const;

  return async (app) => {
    app.get(
      '/alerts',
      {
        ...step,
        schema: {
          tags,
          summary: "Lists the alerts of the networks the caller works in, newest change first",
          querystring: z.object({ status: z.enum(['draft', 'in_review', 'approved', 'published', 'withdrawn'], { error: 'must be draft, in_review, approved, published or withdrawn' }).optional() }),
          response: { 200: z.object({ data: z.array(alertListItemSchema) }), ...errorResponses(400, 401, 403) },
        },
      },
      async (request) => ({ data: (await listAlerts({ database, actor: request.actor, status: request.query.status })).map(presentAlertListItem) }),
    );

    app.post(
      '/alerts',
      {
        ...step,
        schema: {
          tags,
          summary: "Drafts an alert of a network from verified incidents shared with it, or from a signal's incidents, in Spanish and English",
          body: z
            .object({
              networkId: z.uuid({ error: 'must be a network id (uuid)' }),
              // With a signal, its incidents are drafted from (plus any named here).
              incidentIds: z.array(z.uuid({ error: 'must be an incident id (uuid)' })).max(500).default([]),
              signalId: z.uuid({ error: 'must be a signal id (uuid)' }).nullable().optional(),
            })
            .strict()
            .refine((b) => b.incidentIds.length > 0 || Boolean(b.signalId), {
              error: 'must name at least one verified incident, or a signal',
              path: ['incidentIds'],
            }),
          response: { 201: alertSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const row = await createAlertDraft({ database, keyring, smallNumberThreshold: threshold, actor: request.actor, ...request.body, context: originOf(request) });
        return reply.code(201).send(await present(request.actor, row.id));
      },
    );

    app.get(
      '/alerts/:id',
      { ...step, schema: { tags, summary: 'Reads an alert with its approvals and the steps the caller may take', params: alertParams, response: { 200: alertSchema, ...errorResponses(400, 401, 403, 404) } } },
      async (request) => present(request.actor, request.params.id),
    );

    app.put(
      '/alerts/:id',
      {
        ...step,
        schema: {
          tags,
          summary: 'Saves an edited text as a new version (earlier approvals stop counting)',
          params: alertParams,
          body: z.object({ content: alertContentSchema, expectedVersion: z.number().int().min(1).optional(), note: note.optional() }).strict(),
          response: { 200: alertSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        await updateAlert({ database, actor: request.actor, alertId: request.params.id, ...request.body, context: originOf(request) });
        return present(request.actor, request.params.id);
      },
    );

    const workflow = (path: string, summary: string, body: z.ZodObject, run: (actor: Actor, id: string, body: Record<string, unknown>, context: ReturnType<typeof originOf>) => Promise<unknown>) =>
      app.post(
        `/alerts/:id/${path}`,
        { ...step, schema: { tags, summary, params: alertParams, body, response: { 200: alertSchema, ...errorResponses(400, 401, 403, 404, 409) } } },
        async (request) => {
          await run(request.actor, request.params.id, (request.body ?? {}) as Record<string, unknown>, originOf(request));
          return present(request.actor, request.params.id);
        },
      );

    workflow('submit', 'Sends a draft to the reviewers', z.object({ note: note.optional() }).strict(), (actor, alertId, body, context) =>
      submitAlertForReview({ database, actor, alertId, note: body.note as string | undefined, context }),
    );
    workflow('return', 'Returns an alert in review to draft, saying what to change', z.object({ note: required('what to change') }).strict(), (actor, alertId, body, context) =>
      returnAlertToDraft({ database, actor, alertId, note: body.note as string, context }),
    );
    workflow('approve', "Approves the alert's current text (not its author or last editor)", z.object({ note: note.optional() }).strict(), (actor, alertId, body, context) =>
      approveAlert({ database, approvalsRequired: config.alerts.approvalsRequired, actor, alertId, note: body.note as string | undefined, context }),
    );
    workflow('publish', 'Publishes an approved alert; refused with the do-no-harm findings when the check finds anything', z.object({}).strict(), (actor, alertId, _body, context) =>
      publishAlert({ database, keyring, distribution, actor, alertId, context }),
    );
    workflow(
      'correct',
      'Publishes a corrected text with a public correction note (checked again)',
      z.object({ content: alertContentSchema, note: required('what was corrected') }).strict(),
      (actor, alertId, body, context) =>
        correctAlert({ database, keyring, distribution, actor, alertId, content: alertContentSchema.parse(body.content), note: body.note as string, context }),
    );
    workflow('withdraw', 'Withdraws an alert, with the reason the public will read', z.object({ reason: required('why') }).strict(), (actor, alertId, body, context) =>
      withdrawAlert({ database, actor, alertId, reason: body.reason as string, context }),
    );

    app.get(
      '/alerts/:id/versions',
      {
        ...step,
        schema: { tags, summary: 'Every version of an alert, newest first, with what changed', params: alertParams, response: { 200: z.object({ data: z.array(alertVersionSchema) }), ...errorResponses(400, 401, 403, 404) } },
      },
      async (request) => ({ data: (await alertVersions({ database, actor: request.actor, alertId: request.params.id })).map(presentAlertVersion) }),
    );

    app.post(
      '/alerts/:id/check',
      {
        ...step,
        schema: {
          tags,
          summary: 'Runs the do-no-harm check on the stored text, or on a text being edited',
          params: alertParams,
          body: z.object({ content: alertContentSchema.optional() }).strict().optional(),
          response: { 200: z.object({ findings: z.array(doNoHarmFindingSchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const findings = await checkAlert({ database, keyring, smallNumberThreshold: threshold, actor: request.actor, alertId: request.params.id, content: request.body?.content });
        return { findings: findings.map(presentFinding) };
      },
    );
  };
}
