import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { randomSecret } from '../auth/secrets.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { WebhookTargetPolicy } from '../domain/webhook-url.js';
import { WEBHOOK_SECRET_CONTEXT } from '../jobs/webhook/deliver-webhook.js';
import { webhookRegistrationProblem, type ResolveHost } from '../jobs/webhook/webhook-target.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { auditSource, authorizeOrganization, isUuid, type RequestContext } from './organization-access.js';

/*
 * A network's webhook endpoints, managed by its administrators: register one (its signing secret is
 * shown once, then kept sealed with the network's data key), list them with their recent attempts, and
 * switch one off or on. An endpoint is never deleted, so its delivery log stays whole.
 */

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  active: boolean;
  createdAt: Date;
  deliveries: Array<{ id: number; jobId: number; attempt: number; alertId: string; event: string; attemptedAt: Date; statusCode: number | null; durationMs: number; error: string | null; succeeded: boolean }>;
}

/** Deliveries shown per endpoint. */
export const DELIVERY_LOG_LIMIT = 50;

/**
 * Registers an endpoint after checking where it leads (domain/webhook-url.ts): https only (unless the
 * operator allows http), no credentials in the URL, and a host that is not, and does not resolve to, a
 * loopback, private, link-local or otherwise inside address (unless the operator allows those). The
 * check is made again before every delivery; this one tells the administrator at once.
 */
export async function registerWebhookEndpoint(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  networkId: string;
  url: string;
  description: string;
  /** config.alerts.webhookTargets */
  targets: WebhookTargetPolicy;
  resolveHost?: ResolveHost;
  context?: RequestContext;
}): Promise<{ id: string; secret: string }> {
  const { database, keyring, actor } = options;
  // Authorized before the address is looked up, so only administrators learn anything from the answer.
  await authorizeOrganization(database.db, actor, 'manage_webhooks', options.networkId);
  const problem = await webhookRegistrationProblem(options.url, options.targets, options.resolveHost);
  if (problem) throw new AppError('VALIDATION_FAILED', `Invalid body: url: ${problem}`, [{ field: 'url', message: problem }]);
  const url = new URL(options.url).href;
  return database.transaction(async (trx) => {
    await authorizeOrganization(trx, actor, 'manage_webhooks', options.networkId);
    const id = randomUUID();
    const secret = `whsec_${randomSecret()}`;
    await trx
      .insertInto('webhook_endpoints')
      .values({
        id,
        network_id: options.networkId,
        url,
        description: options.description,
        secret_sealed: await keyring.sealJson(trx, options.networkId, WEBHOOK_SECRET_CONTEXT, secret),
        created_by: actor.kind === 'user' ? actor.userId : null,
      })
      .execute();
    await appendAudit(trx, { ...auditSource(actor, options.context), organizationId: options.networkId, action: 'webhook_endpoint.registered', subjectType: 'webhook_endpoint', subjectId: id });
    return { id, secret };
  });
}

export async function listWebhookEndpoints(options: { database: Database; actor: Actor; networkId: string }): Promise<WebhookEndpointView[]> {
  const { db } = options.database;
  await authorizeOrganization(db, options.actor, 'manage_webhooks', options.networkId);
  const endpoints = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'url', 'description', 'active', 'created_at'])
    .where('network_id', '=', options.networkId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const views: WebhookEndpointView[] = [];
  for (const endpoint of endpoints) {
    const deliveries = await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpoint.id)
      .orderBy('attempted_at', 'desc')
      .orderBy('id', 'desc')
      .limit(DELIVERY_LOG_LIMIT)
      .execute();
    views.push({
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      active: endpoint.active,
      createdAt: endpoint.created_at,
      deliveries: deliveries.map((d) => ({
        id: d.id,
        jobId: d.job_id,
        attempt: d.attempt,
        alertId: d.alert_id,
        event: d.event,
        attemptedAt: d.attempted_at,
        statusCode: d.status_code,
        durationMs: d.duration_ms,
        error: d.error,
        succeeded: d.succeeded,
      })),
    });
  }
  return views;
}

export async function setWebhookEndpointActive(options: {
  database: Database;
  actor: Actor;
  networkId: string;
  endpointId: string;
  active: boolean;
  context?: RequestContext;
}): Promise<void> {
  await options.database.transaction(async (trx) => {
    await authorizeOrganization(trx, options.actor, 'manage_webhooks', options.networkId);
    const updated = isUuid(options.endpointId)
      ? await trx
          .updateTable('webhook_endpoints')
          .set({ active: options.active, updated_at: sql<Date>`now()` })
          .where('id', '=', options.endpointId)
          .where('network_id', '=', options.networkId)
          .executeTakeFirst()
      : undefined;
    if (!updated || updated.numUpdatedRows === 0n) throw new AppError('NOT_FOUND', 'There is no such webhook endpoint in this organization.');
    await appendAudit(trx, {
      ...auditSource(options.actor, options.context),
      organizationId: options.networkId,
      action: options.active ? 'webhook_endpoint.activated' : 'webhook_endpoint.deactivated',
      subjectType: 'webhook_endpoint',
      subjectId: options.endpointId,
    });
  });
}
