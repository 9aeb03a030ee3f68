import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { authorizeIncident } from './incident-access.js';
import { auditSource, type RequestContext } from './organization-access.js';

/** What the uploader said about the file; sealed under the organization's key, never in a plain column. */
export interface EvidenceSealed {
  fileName: string | null;
  description: string | null;
}

/** The context a piece of evidence's sealed fields are bound to. */
export function evidenceSealContext(evidenceId: string): string {
  return `evidence:${evidenceId}`;
}

/** An upload just opened, ready for its first chunk at offset 0. */
export interface StartedUpload {
  id: string;
  offset: 0;
  length: number;
  status: 'uploading';
}

/** What a new upload belongs to, once the caller is allowed to open it. */
export interface UploadTarget {
  organizationId: string;
  incidentId: string | null;
  reportId: string | null;
}

/**
 * Decides, inside the upload's transaction, whether the upload may be opened and on what: members add
 * to an incident under its policy, anonymous reporters to their report by its receipt.
 */
export type UploadTargetResolver = (trx: Transaction<DB>) => Promise<UploadTarget>;

/** The resolver for members and tokens: those who may add evidence to the incident. */
export function incidentUploadTarget(actor: Actor, incidentId: string): UploadTargetResolver {
  return async (trx) => {
    const { incident } = await authorizeIncident(trx, actor, 'add_evidence', incidentId);
    return { organizationId: incident.organization_id, incidentId: incident.id, reportId: null };
  };
}

/**
 * Opens an evidence upload on an incident (or, with `target`, on whatever it resolves to): the row (status 'uploading', sealed under the organization's
 * current data key) and the store's encrypted upload are created together. The store is created last
 * inside the transaction, so its failure rolls the row back; if the commit itself fails, the store's
 * upload is removed again, so neither exists without the other.
 */
export async function startEvidenceUpload(options: {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  maxBytes: number;
  actor: Actor;
  length: number;
  fileName?: string | undefined;
  description?: string | undefined;
  context?: RequestContext;
} & ({ incidentId: string } | { target: UploadTargetResolver })): Promise<StartedUpload> {
  const { database, keyring, store, actor, length, maxBytes } = options;
  const resolve = 'target' in options ? options.target : incidentUploadTarget(actor, options.incidentId);
  const id = randomUUID();
  let storeCreated = false;
  try {
    return await database.transaction(async (trx) => {
      const target = await resolve(trx);
      if (length > maxBytes) {
        throw new AppError(
          'PAYLOAD_TOO_LARGE',
          `Evidence files may be at most ${maxBytes} bytes (${describeBytes(maxBytes)}); this one declares ${length}.`,
          { maxBytes },
        );
      }
      const { organizationId } = target;
      const { version } = await keyring.currentKey(trx, organizationId);
      const sealed: EvidenceSealed = { fileName: options.fileName ?? null, description: options.description ?? null };
      await trx
        .insertInto('evidence')
        .values({
          id,
          organization_id: organizationId,
          incident_id: target.incidentId,
          report_id: target.reportId,
          declared_length: length,
          key_version: version,
          sealed: await keyring.sealJson(trx, organizationId, evidenceSealContext(id), sealed),
          uploaded_by: actor.kind === 'user' ? actor.userId : null,
        })
        .execute();
      await appendAudit(trx, {
        ...auditSource(actor, options.context),
        organizationId,
        action: 'evidence.upload_started',
        subjectType: 'evidence',
        subjectId: id,
        details: { incidentId: target.incidentId, ...(target.reportId ? { reportId: target.reportId } : {}), length },
      });
      await store.createUpload({ id, length, keyVersion: version });
      storeCreated = true;
      return { id, offset: 0 as const, length, status: 'uploading' as const };
    });
  } catch (error) {
    if (storeCreated) {
      try {
        await store.remove(id);
      } catch (cleanup) {
        throw new AggregateError([error, cleanup], 'The evidence row was not saved, and its stored upload could not be removed.');
      }
    }
    throw error;
  }
}

/** "500 MiB": a size people read, beside the exact byte count. */
function describeBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
