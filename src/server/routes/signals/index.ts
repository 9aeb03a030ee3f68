import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listRules, readRule, ruleEditSchema, updateRule } from '../../../alerts/rules.js';
import { dismissSignal, listNetworkSignals, readSignal } from '../../../alerts/signals.js';
import type { Database } from '../../../db/client.js';
import { access } from '../../../policies/access.js';
import { alertRuleSchema, presentAlertRule, presentSignal, signalSchema } from '../../../presenters/signal.presenter.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';

const idParams = z.object({ id: z.string().max(64) });
const ruleParams = z.object({ id: z.string().max(64) });
const signalQuery = z.object({ status: z.enum(['open', 'dismissed', 'drafted'], { error: 'must be open, dismissed or drafted' }).optional() }).strict();
const dismissBody = z.object({ reason: z.string().trim().min(1, 'must say why').max(2000, 'must be at most 2000 characters') }).strict();

/**
 * Early warning: the rules (read by anyone signed in, edited by instance administrators) and each
 * network's signals (its documenters and reviewers). Mounted at /api/v1.
 */
export function signalRoutes(deps: { database: Database }): FastifyPluginAsyncZod {
  const { database } = deps;
  return async (app) => {
    app.get(
      '/alert-rules',
      {
        config: { access: access.signedIn },
        schema: { tags: ['early warning'], summary: 'The early-warning rules', response: { 200: z.object({ data: z.array(alertRuleSchema) }), ...errorResponses(401, 403) } },
      },
      async () => ({ data: (await listRules(database.db)).map(presentAlertRule) }),
    );
    app.get(
      '/alert-rules/:id',
      {
        config: { access: access.signedIn },
        schema: { tags: ['early warning'], summary: 'One early-warning rule', params: ruleParams, response: { 200: alertRuleSchema, ...errorResponses(401, 403, 404) } },
      },
      async (request) => presentAlertRule(await readRule(database.db, request.params.id)),
    );
    app.put(
      '/alert-rules/:id',
      {
        config: { access: access.instanceAdmin },
        schema: {
          tags: ['early warning'],
          summary: 'Edits a rule (instance administrators): a new version, audited, and a full re-evaluation',
          description: 'The parameters are checked against the rule kind; the id and kind never change.',
          params: ruleParams,
          body: ruleEditSchema,
          response: { 200: alertRuleSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        presentAlertRule(await updateRule({ database, actor: request.actor, ruleId: request.params.id, edit: request.body, context: originOf(request) })),
    );
    app.get(
      '/networks/:id/signals',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['early warning'],
          summary: "A network's signals, open and urgent first (its documenters and reviewers)",
          params: idParams,
          querystring: signalQuery,
          response: { 200: z.object({ data: z.array(signalSchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        data: (await listNetworkSignals(database.db, { actor: request.actor, networkId: request.params.id, ...(request.query.status ? { status: request.query.status } : {}) })).map(presentSignal),
      }),
    );
    app.get(
      '/signals/:id',
      {
        config: { access: access.signedIn },
        schema: { tags: ['early warning'], summary: 'One signal with its incident ids', params: idParams, response: { 200: signalSchema, ...errorResponses(401, 403, 404) } },
      },
      async (request) => presentSignal(await readSignal(database.db, { actor: request.actor, signalId: request.params.id })),
    );
    app.post(
      '/signals/:id/dismiss',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['early warning'],
          summary: 'Dismisses an open signal with a reason (audited)',
          params: idParams,
          body: dismissBody,
          response: { 200: signalSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        presentSignal(await dismissSignal({ database, actor: request.actor, signalId: request.params.id, reason: request.body.reason, context: originOf(request) })),
    );
  };
}
