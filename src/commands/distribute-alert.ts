import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { DB } from '../db/schema.js';
import { alertContentSchema, type AlertContent } from '../domain/alert.js';
import { alertEmail, oneClickUnsubscribeUrl, publicAlertLink, subscriptionMatches, unsubscribePageLink, type AlertWebhookBody } from '../domain/alert-reach.js';
import { webBaseUrl } from '../domain/email-templates.js';
import { EMAIL_JOB_KIND } from '../jobs/email/email.job.js';
import { enqueue } from '../jobs/outbox.js';
import type { JobRegistry } from '../jobs/registry.js';
import { WEBHOOK_JOB_KIND } from '../jobs/webhook/webhook.job.js';
import type { Config } from '../server/config.js';
import { addDays, mexicoCityDate } from './alert-requests.js';
import { openSubscriberEmail, unsubscribeToken } from './subscription-secrets.js';

/** What the publish command reports once a version of an alert is public. */
export interface AlertPublishedEvent {
  alertId: string;
  networkId: string;
  version: number;
  /** A correction of an already public alert: e-mailed and posted again, but no new requests. */
  correction: boolean;
}

/** How many of each side effect one publication queued. */
export interface Distribution {
  emails: number;
  webhooks: number;
  requests: number;
}

/**
 * Everything a publication sends out, written in the publishing transaction so it happens if and only if
 * the publication commits: one e-mail per confirmed subscriber whose filters match the alert (in the
 * subscriber's language, with one-click unsubscribe headers), one webhook delivery per active endpoint of
 * the network, and, on first publication, one tracked request per addressee with its due date. Every job
 * has a dedupe key, so calling this twice for the same version queues nothing more. Subscribers'
 * addresses are opened with the application's keyring (`deps.keyring`), the one every other command uses.
 */
export async function distributePublishedAlert(
  trx: Transaction<DB>,
  event: AlertPublishedEvent,
  deps: { jobs: JobRegistry; config: Config; keyring: Keyring },
): Promise<Distribution> {
  const { jobs, config, keyring } = deps;
  const alert = await trx
    .selectFrom('alerts')
    .innerJoin('alert_versions', (join) => join.onRef('alert_versions.alert_id', '=', 'alerts.id').on('alert_versions.version', '=', event.version))
    .select(['alerts.id', 'alerts.slug', 'alerts.published_at', 'alert_versions.content'])
    .where('alerts.id', '=', event.alertId)
    .where('alerts.network_id', '=', event.networkId)
    .executeTakeFirst();
  if (!alert?.slug) throw new Error(`Alert ${event.alertId} version ${event.version} is not published; nothing to distribute`);
  const slug = alert.slug;
  const content: AlertContent = alertContentSchema.parse(alert.content);
  const baseUrl = webBaseUrl(config);
  const tag = `${event.alertId}:${event.version}`;

  let emails = 0;
  const subscribers = await trx
    .selectFrom('alert_subscriptions')
    .select(['id', 'email_sealed', 'language', 'state_codes', 'act_types', 'unsubscribe_token_hash'])
    .where('status', '=', 'confirmed')
    .orderBy('id')
    .execute();
  for (const subscriber of subscribers) {
    if (!subscriptionMatches({ stateCodes: subscriber.state_codes, actTypes: subscriber.act_types }, content)) continue;
    const token = unsubscribeToken(keyring, subscriber);
    const message = alertEmail({
      content,
      language: subscriber.language,
      link: publicAlertLink(baseUrl, slug, subscriber.language),
      unsubscribeLink: unsubscribePageLink(baseUrl, token, subscriber.language),
      correction: event.correction,
    });
    const queued = await enqueue(
      trx,
      {
        kind: EMAIL_JOB_KIND,
        payload: {
          to: openSubscriberEmail(keyring, subscriber),
          ...message,
          headers: {
            'List-Unsubscribe': `<${oneClickUnsubscribeUrl(baseUrl, token)}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            'Auto-Submitted': 'auto-generated',
          },
          messageId: `alert-${randomUUID()}`,
        },
        dedupeKey: `alert-email:${tag}:${subscriber.id}`,
      },
      jobs,
    );
    if (queued !== null) emails++;
  }

  let webhooks = 0;
  const endpoints = await trx.selectFrom('webhook_endpoints').select('id').where('network_id', '=', event.networkId).where('active', '=', true).orderBy('id').execute();
  const webhookEvent = event.correction ? 'alert.corrected' : 'alert.published';
  const body: AlertWebhookBody = {
    event: webhookEvent,
    alert: {
      id: event.alertId,
      slug,
      version: event.version,
      urgent: content.urgent,
      title: { es: content.es.title, en: content.en.title },
      summary: { es: content.es.summary, en: content.en.summary },
      stateCodes: content.stateCodes,
      actTypes: content.actTypes,
      url: { es: publicAlertLink(baseUrl, slug, 'es'), en: publicAlertLink(baseUrl, slug, 'en') },
    },
  };
  for (const endpoint of endpoints) {
    const queued = await enqueue(
      trx,
      { kind: WEBHOOK_JOB_KIND, payload: { endpointId: endpoint.id, alertId: event.alertId, event: webhookEvent, body: JSON.stringify(body) }, dedupeKey: `webhook:${tag}:${endpoint.id}` },
      jobs,
    );
    if (queued !== null) webhooks++;
  }

  let requests = 0;
  const alreadyRequested = await trx.selectFrom('alert_requests').select('id').where('alert_id', '=', event.alertId).limit(1).executeTakeFirst();
  if (!event.correction && !alreadyRequested) {
    const sentOn = mexicoCityDate(alert.published_at ? new Date(alert.published_at) : new Date());
    const dueOn = addDays(sentOn, config.alerts.responseDueDays);
    for (const addressee of content.addressees) {
      await trx
        .insertInto('alert_requests')
        .values({
          id: randomUUID(),
          alert_id: event.alertId,
          addressee_code: addressee.code,
          addressee_name: JSON.stringify(addressee.name),
          state_code: addressee.stateCode,
          sent_on: sentOn,
          due_on: dueOn,
        })
        .execute();
      requests++;
    }
  }

  await appendAudit(trx, {
    actorType: 'system',
    organizationId: event.networkId,
    action: 'alert.distributed',
    subjectType: 'alert',
    subjectId: event.alertId,
    details: { version: event.version, correction: event.correction, emails, webhooks, requests },
  });
  return { emails, webhooks, requests };
}
