import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import type { IncidentDocument } from '../domain/incident.js';
import type { Actor } from '../policies/actor.js';
import { canOnIncident } from '../policies/incident.policy.js';
import { visibleOrganizationIds } from '../policies/organization.policy.js';
import { AppError } from '../server/errors.js';
import type { IncidentRow } from './incident-access.js';
import { networksOfOrganization } from './incident-access.js';
import { assertIncidentCodes, columnsFor, insertVersion, nextReference, sealDocument } from './incident-record.js';
import { legalColumns } from './legal-qualification.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { updatePublicRollups } from './public-rollups.js';

/** What `createIncident` needs. */
export interface CreateIncidentOptions extends CreateIncidentInOptions {
  database: Database;
}

/** What `createIncidentIn` needs: the same, inside a transaction the caller owns. */
export interface CreateIncidentInOptions {
  keyring: Keyring;
  actor: Actor;
  organizationId: string;
  document: IncidentDocument;
  /** Share with the organization's networks; by default the organization's own setting. */
  shareWithNetworks?: boolean;
  /** May an anonymized account be published (from the reporter's consent). */
  mayPublish?: boolean;
  context?: RequestContext;
  /** Runs inside the transaction after the incident exists (triage links the report here). */
  afterCreate?: (trx: Transaction<DB>, incident: IncidentRow) => Promise<void>;
  /**
   * What an import has already established once for all its rows: the organization's sharing default and
   * networks, and that the rows' codes and places were checked against the database. Saves five queries a
   * row; every other rule (permission, sealing, version, audit) still runs per incident.
   */
  prepared?: { shareWithNetworksByDefault: boolean; networkIds: readonly string[]; codesChecked: true };
}

/**
 * Creates an incident in `reported` state with its first version, audited. The documenter who creates it
 * is its last changer, so someone else must verify it.
 */
export async function createIncident(options: CreateIncidentOptions): Promise<IncidentRow> {
  const { database, ...rest } = options;
  if (visibleOrganizationIds(rest.actor, [rest.organizationId]).length === 0) {
    throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId: rest.organizationId });
  }
  return database.transaction((trx) => createIncidentIn(trx, rest));
}

/**
 * `createIncident` inside the caller's transaction, with every one of its rules (permission, codes,
 * sealing, version, audit): an import creates many incidents per transaction through this one path.
 */
export async function createIncidentIn(trx: Transaction<DB>, options: CreateIncidentInOptions): Promise<IncidentRow> {
  const { keyring, actor, organizationId, document } = options;
  if (visibleOrganizationIds(actor, [organizationId]).length === 0) {
    throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId });
  }
  const { prepared } = options;
  let shareByDefault = prepared?.shareWithNetworksByDefault;
  if (shareByDefault === undefined) {
    const organization = await trx
      .selectFrom('organizations')
      .select(['id', 'share_with_networks_by_default'])
      .where('id', '=', organizationId)
      .executeTakeFirst();
    if (!organization) throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId });
    shareByDefault = organization.share_with_networks_by_default;
  }
  const shared = options.shareWithNetworks ?? shareByDefault;
  const networkIds = prepared?.networkIds ?? (await networksOfOrganization(trx, organizationId));
  const subject = { organizationId, sharedWithNetworks: shared, networkIds };
  if (!canOnIncident(actor, 'edit', subject)) {
    throw new AppError('FORBIDDEN', 'You may not document incidents for this organization.', { organizationId });
  }
  if (!prepared?.codesChecked) await assertIncidentCodes(trx, document, { actor });
  const id = randomUUID();
  const stored = await sealDocument(trx, keyring, organizationId, id, document);
  const userId = actor.kind === 'user' ? actor.userId : null;
  const row = await trx
    .insertInto('incidents')
    .values({
      id,
      organization_id: organizationId,
      reference: await nextReference(trx),
      document: stored.document,
      sealed: stored.sealed,
      ...columnsFor(document),
      ...(await legalColumns(document)),
      shared_with_networks: shared,
      may_publish: options.mayPublish ?? false,
      created_by: userId,
      last_changed_by: userId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await insertVersion(trx, row, { kind: 'created', changedBy: userId });
  await updatePublicRollups(trx, null, row);
  await appendAudit(trx, {
    ...auditSource(actor, options.context),
    organizationId,
    action: 'incident.created',
    subjectType: 'incident',
    subjectId: id,
    details: { reference: row.reference, version: 1, sharedWithNetworks: shared },
  });
  await options.afterCreate?.(trx, row);
  return row;
}
