import { randomUUID } from 'node:crypto';
import { appendAuditBatch } from '../audit/audit-log.js';
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
import { assertIncidentCodes, columnsFor, insertVersions, nextReferences, sealDocumentWith } from './incident-record.js';
import { legalColumns } from './legal-qualification.js';
import { auditSource, type RequestContext } from './organization-access.js';

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
 * sealing, version, audit).
 */
export async function createIncidentIn(trx: Transaction<DB>, options: CreateIncidentInOptions): Promise<IncidentRow> {
  const { document, afterCreate, ...rest } = options;
  const [created] = await createIncidentsIn(trx, { ...rest, documents: [document] });
  const row = await trx.selectFrom('incidents').selectAll().where('id', '=', created!.id).executeTakeFirstOrThrow();
  await afterCreate?.(trx, row);
  return row;
}

/** What `createIncidentsIn` needs: `createIncidentIn`'s options with several documents for one organization. */
export type CreateIncidentsInOptions = Omit<CreateIncidentInOptions, 'document' | 'afterCreate'> & { documents: readonly IncidentDocument[] };

/**
 * Creates several incidents of one organization inside the caller's transaction, each exactly as
 * `createIncidentIn` would (same permission, codes, sealing, legal qualification, first version and
 * `incident.created` entry), with a statement per step for all of them instead of one per incident: one
 * key lookup, one batch of references, one insert of incidents, one of versions, one audit append
 * (`appendAuditBatch`). An import sends its rows through here, 500 at a time.
 */
export async function createIncidentsIn(trx: Transaction<DB>, options: CreateIncidentsInOptions): Promise<{ id: string; reference: string }[]> {
  const { keyring, actor, organizationId, documents } = options;
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
  if (documents.length === 0) return [];
  if (!prepared?.codesChecked) {
    for (const document of documents) await assertIncidentCodes(trx, document, { actor });
  }
  const seal = await keyring.jsonSealer(trx, organizationId);
  const references = await nextReferences(trx, documents.length);
  const userId = actor.kind === 'user' ? actor.userId : null;
  const values = await Promise.all(
    documents.map(async (document, i) => {
      const id = randomUUID();
      const stored = sealDocumentWith(seal, id, document);
      return {
        id,
        organization_id: organizationId,
        reference: references[i]!,
        document: stored.document,
        sealed: stored.sealed,
        ...columnsFor(document),
        ...(await legalColumns(document)),
        shared_with_networks: shared,
        may_publish: options.mayPublish ?? false,
        created_by: userId,
        last_changed_by: userId,
      };
    }),
  );
  // Nothing comes back from the insert: sending whole rows back cost an import a sixth of its time.
  await trx.insertInto('incidents').values(values).execute();
  await insertVersions(
    trx,
    values.map((v) => ({ id: v.id, version: 1, status: 'reported', sealed: v.sealed, document: v.document })),
    { kind: 'created', changedBy: userId },
  );
  await appendAuditBatch(
    trx,
    values.map((v) => ({
      ...auditSource(actor, options.context),
      organizationId,
      action: 'incident.created' as const,
      subjectType: 'incident',
      subjectId: v.id,
      details: { reference: v.reference, version: 1, sharedWithNetworks: shared },
    })),
  );
  return values.map((v) => ({ id: v.id, reference: v.reference }));
}
