import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/client.js';
import type { DB, RequestChannel } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';
import { canFollowUpAlert, type AccountabilityAction } from '../policies/alert-reach.policy.js';
import { AppError } from '../server/errors.js';
import { mexicoCityDate } from './alert-requests.js';
import { isUuid } from './organization-access.js';

/** One request to an authority with what it answered, as the network follows it up. */
export interface AlertRequestView {
  id: string;
  addresseeCode: string;
  addresseeName: { es: string; en: string };
  stateCode: string | null;
  sentOn: string;
  channel: RequestChannel;
  dueOn: string;
  /** No response and the due date has passed (Mexico City calendar). */
  overdue: boolean;
  responses: Array<{ id: string; receivedOn: string; summary: string; documentText: string | null; recordedAt: Date; document: ResponseDocumentView | null }>;
}

/** The authority's answer as a file (src/commands/alert-response-document.ts), as the workspace sees it. */
export interface ResponseDocumentView {
  mimeType: string;
  length: number;
  sha256: string;
  /** Marked public when attached: only then does the public accountability link to it. */
  public: boolean;
}

/** An alert the actor may follow up, or 404 for a missing alert and a forbidden one alike. */
export async function authorizeAlertFollowUp(db: Kysely<DB>, actor: Actor, alertId: string, action: AccountabilityAction): Promise<{ id: string; networkId: string }> {
  const alert = isUuid(alertId) ? await db.selectFrom('alerts').select(['id', 'network_id']).where('id', '=', alertId).executeTakeFirst() : undefined;
  if (!alert || !canFollowUpAlert(actor, alert.network_id, 'read')) throw new AppError('NOT_FOUND', 'There is no such alert.');
  if (!canFollowUpAlert(actor, alert.network_id, action)) throw new AppError('FORBIDDEN', "Only the network's reviewers and administrators record the authorities' answers.");
  return { id: alert.id, networkId: alert.network_id };
}

/** The requests of one alert with their responses, oldest addressee first. */
export async function alertRequests(db: Kysely<DB>, alertId: string, today = mexicoCityDate(new Date())): Promise<AlertRequestView[]> {
  const requests = await db
    .selectFrom('alert_requests')
    .select(['id', 'addressee_code', 'addressee_name', 'state_code', 'channel', sql<string>`sent_on::text`.as('sent_on'), sql<string>`due_on::text`.as('due_on')])
    .where('alert_id', '=', alertId)
    .orderBy('created_at')
    .orderBy('addressee_code')
    .execute();
  const responses = requests.length === 0 ? [] : await db
    .selectFrom('alert_responses')
    .leftJoin('alert_response_documents as d', 'd.response_id', 'alert_responses.id')
    .select(['id', 'request_id', 'summary', 'document_text', 'recorded_at', sql<string>`received_on::text`.as('received_on')])
    .select(['d.mime_type', 'd.length', 'd.sha256', 'd.public'])
    .where('request_id', 'in', requests.map((r) => r.id))
    .orderBy('received_on')
    .orderBy('recorded_at')
    .execute();
  return requests.map((r) => {
    const own = responses.filter((x) => x.request_id === r.id);
    return {
      id: r.id,
      addresseeCode: r.addressee_code,
      addresseeName: r.addressee_name as { es: string; en: string },
      stateCode: r.state_code,
      sentOn: r.sent_on,
      channel: r.channel,
      dueOn: r.due_on,
      overdue: own.length === 0 && r.due_on < today,
      responses: own.map((x) => ({
        id: x.id,
        receivedOn: x.received_on,
        summary: x.summary,
        documentText: x.document_text,
        recordedAt: x.recorded_at,
        document: x.mime_type === null ? null : { mimeType: x.mime_type, length: Number(x.length), sha256: x.sha256 ?? '', public: x.public ?? false },
      })),
    };
  });
}

/** The follow-up page's data for a member of the alert's network. */
export async function readAlertAccountability(options: { database: Database; actor: Actor; alertId: string }): Promise<AlertRequestView[]> {
  const alert = await authorizeAlertFollowUp(options.database.db, options.actor, options.alertId, 'read');
  return alertRequests(options.database.db, alert.id);
}

/** What the public sees per addressee of a published alert: answered when, with the summary; or not, and whether overdue. */
export interface PublicAccountabilityEntry {
  addresseeCode: string;
  addresseeName: { es: string; en: string };
  stateCode: string | null;
  sentOn: string;
  dueOn: string;
  status: 'answered' | 'overdue' | 'awaiting';
  /** `document` is the address of the authority's own answer, when it was attached and marked public. */
  responses: Array<{ receivedOn: string; summary: string; document: { url: string; mimeType: string } | null }>;
}

/** Where the public downloads an answer's document marked public. */
export function publicResponseDocumentPath(slug: string, responseId: string): string {
  return `/api/v1/public/alerts/${encodeURIComponent(slug)}/responses/${responseId}/document`;
}

/** The accountability of a published alert by its slug; 404 for an unknown or unpublished one. */
export async function readPublicAccountability(options: { database: Database; slug: string }): Promise<PublicAccountabilityEntry[]> {
  const alert = await options.database.db
    .selectFrom('alerts')
    .select('id')
    .where('slug', '=', options.slug)
    .where('published_version', 'is not', null)
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (!alert) throw new AppError('NOT_FOUND', 'There is no published alert at this address.');
  return (await alertRequests(options.database.db, alert.id)).map((r) => ({
    addresseeCode: r.addresseeCode,
    addresseeName: r.addresseeName,
    stateCode: r.stateCode,
    sentOn: r.sentOn,
    dueOn: r.dueOn,
    status: r.responses.length > 0 ? 'answered' : r.overdue ? 'overdue' : 'awaiting',
    // The network's summary only: the document text may quote names and stays in the workspace.
    responses: r.responses.map((x) => ({
      receivedOn: x.receivedOn,
      summary: x.summary,
      document: x.document?.public ? { url: publicResponseDocumentPath(options.slug, x.id), mimeType: x.document.mimeType } : null,
    })),
  }));
}
