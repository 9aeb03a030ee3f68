import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import type { RequestChannel } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { addDays } from './alert-requests.js';
import { auditSource, isUuid, type RequestContext } from './organization-access.js';
import { authorizeAlertFollowUp } from './read-alert-accountability.js';

async function requestOf(database: Database, requestId: string) {
  const request = isUuid(requestId)
    ? await database.db.selectFrom('alert_requests').select(['id', 'alert_id']).where('id', '=', requestId).executeTakeFirst()
    : undefined;
  if (!request) throw new AppError('NOT_FOUND', 'There is no such request.');
  return request;
}

/** Records an authority's answer to a request (a reviewer or administrator of the alert's network). */
export async function recordAlertResponse(options: {
  database: Database;
  actor: Actor;
  requestId: string;
  receivedOn: string;
  summary: string;
  documentText: string | null;
  context?: RequestContext;
}): Promise<{ id: string }> {
  const { database, actor } = options;
  const request = await requestOf(database, options.requestId);
  return database.transaction(async (trx) => {
    const alert = await authorizeAlertFollowUp(trx, actor, request.alert_id, 'record');
    const id = randomUUID();
    await trx
      .insertInto('alert_responses')
      .values({ id, request_id: request.id, received_on: options.receivedOn, summary: options.summary, document_text: options.documentText, recorded_by: actor.kind === 'user' ? actor.userId : null })
      .execute();
    await appendAudit(trx, { ...auditSource(actor, options.context), organizationId: alert.networkId, action: 'alert_response.recorded', subjectType: 'alert_request', subjectId: request.id, details: { responseId: id, receivedOn: options.receivedOn } });
    return { id };
  });
}

/**
 * Corrects when and how a request was sent (the publication date is only the default); the due date
 * moves with the sent date, VIGIA_ALERT_RESPONSE_DUE_DAYS after it.
 */
export async function updateAlertRequest(options: {
  database: Database;
  actor: Actor;
  config: Pick<Config, 'alerts'>;
  requestId: string;
  sentOn: string;
  channel: RequestChannel;
  context?: RequestContext;
}): Promise<void> {
  const { database, actor } = options;
  const request = await requestOf(database, options.requestId);
  await database.transaction(async (trx) => {
    const alert = await authorizeAlertFollowUp(trx, actor, request.alert_id, 'record');
    const dueOn = addDays(options.sentOn, options.config.alerts.responseDueDays);
    await trx
      .updateTable('alert_requests')
      .set({ sent_on: options.sentOn, channel: options.channel, due_on: dueOn, updated_at: sql<Date>`now()` })
      .where('id', '=', request.id)
      .execute();
    await appendAudit(trx, { ...auditSource(actor, options.context), organizationId: alert.networkId, action: 'alert_request.updated', subjectType: 'alert_request', subjectId: request.id, details: { sentOn: options.sentOn, channel: options.channel, dueOn } });
  });
}
