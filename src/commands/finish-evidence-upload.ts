import type { Readable } from 'node:stream';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import type { EvidenceRow } from '../db/repositories/evidence.repository.js';
import type { EvidenceKind } from '../db/schema.js';
import { inspectType } from '../evidence/detect-type.js';
import { EvidenceError, isEvidenceError } from '../evidence/errors.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import type { KeyLookup } from '../evidence/sealed-stream.js';
import { stripImageMetadata } from '../evidence/strip-metadata.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { auditSource, type RequestContext } from './organization-access.js';

/** The name of the metadata-free copy of an image in the store. */
export const REDACTED_COPY = 'redacted';

/**
 * Images larger than this are kept without a metadata-free copy: re-encoding one means holding it
 * whole in memory, and no phone photo comes near this size.
 */
export const MAX_REDACTABLE_IMAGE_BYTES = 200 * 1024 * 1024;

/** What a completed upload became. */
export interface FinishedEvidence {
  sha256: string;
  length: number;
  mimeType: string;
  kind: EvidenceKind;
  hasRedactedCopy: boolean;
  /** Why an image has no metadata-free copy, in words for the uploader; null when all went well. */
  warning: string | null;
}

/**
 * Turns a fully received upload into evidence: joins and hashes it, checks its type from its bytes,
 * makes the metadata-free copy of an image, and records the receipt. The receipt's audit entry carries
 * the SHA-256, which puts the file's hash into the tamper-evident chain: from then on anyone can prove
 * the original was not altered. A refused type is deleted from the store and answered 415; the row
 * stays, marked 'refused', so the attempt is on record without the file.
 *
 * Safe to run again after a failure part-way (the store's finish and copies are idempotent, and the
 * row is only completed once, under a lock).
 */
export async function finishEvidenceUpload(options: {
  database: Database;
  store: EvidenceStore;
  actor: Actor;
  evidence: EvidenceRow;
  key: Buffer;
  lookup: KeyLookup;
  context?: RequestContext;
}): Promise<FinishedEvidence> {
  const { database, store, actor, evidence, key, lookup } = options;
  const summary = await store.finish(evidence.id, lookup);
  if (summary.length !== evidence.declared_length) {
    throw new EvidenceError('CORRUPT', `The joined upload holds ${summary.length} bytes, not the ${evidence.declared_length} declared.`);
  }
  const verdict = await inspectType(summary.head);
  if (!verdict.accepted) {
    await refuse(options, summary.length, verdict.detectedMime);
    await removeRefused(store, evidence.id);
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', verdict.reason, { detectedMime: verdict.detectedMime });
  }
  const { mime, kind } = verdict.type;

  let hasRedactedCopy = false;
  let warning: string | null = null;
  if (kind === 'image') {
    const made = await makeRedactedCopy(store, evidence, mime, key, lookup);
    hasRedactedCopy = made.ok;
    warning = made.ok ? null : made.warning;
  }

  await database.transaction(async (trx) => {
    // A report's attachment follows the report: locked first (as triage does), so one that completes
    // while its report becomes an incident lands on the incident rather than staying behind.
    const report = evidence.report_id
      ? await trx.selectFrom('reports').select('incident_id').where('id', '=', evidence.report_id).forUpdate().executeTakeFirstOrThrow()
      : undefined;
    const row = await trx.selectFrom('evidence').select(['status', 'incident_id']).where('id', '=', evidence.id).forUpdate().executeTakeFirstOrThrow();
    // A concurrent request (a retried final chunk) already recorded the receipt: record it once.
    if (row.status !== 'uploading') return;
    const incidentId = row.incident_id ?? report?.incident_id ?? null;
    await trx
      .updateTable('evidence')
      .set({
        status: 'complete',
        received_length: summary.length,
        mime_type: mime,
        kind,
        sha256: summary.sha256,
        has_redacted_copy: hasRedactedCopy,
        received_at: new Date(),
        incident_id: incidentId,
      })
      .where('id', '=', evidence.id)
      .execute();
    if (incidentId !== null) {
      await trx.updateTable('incidents').set({ has_evidence: true }).where('id', '=', incidentId).execute();
    }
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: evidence.organization_id,
      action: 'evidence.received',
      subjectType: 'evidence',
      subjectId: evidence.id,
      details: {
        sha256: summary.sha256,
        length: summary.length,
        mimeType: mime,
        incidentId,
        ...(evidence.report_id ? { reportId: evidence.report_id } : {}),
      },
    });
  });
  return { sha256: summary.sha256, length: summary.length, mimeType: mime, kind, hasRedactedCopy, warning };
}

/** Marks the row refused and records the attempt (with the detected type, a code, never the file name). */
async function refuse(
  options: { database: Database; actor: Actor; evidence: EvidenceRow; context?: RequestContext },
  length: number,
  detectedMime: string | null,
): Promise<void> {
  const { evidence } = options;
  await options.database.transaction(async (trx) => {
    const row = await trx.selectFrom('evidence').select('status').where('id', '=', evidence.id).forUpdate().executeTakeFirstOrThrow();
    if (row.status !== 'uploading') return;
    await trx.updateTable('evidence').set({ status: 'refused', received_length: length }).where('id', '=', evidence.id).execute();
    await appendAudit(trx, {
      ...auditSource(options.actor, options.context),
      organizationId: evidence.organization_id,
      action: 'evidence.refused',
      subjectType: 'evidence',
      subjectId: evidence.id,
      details: { incidentId: evidence.incident_id, length, detectedMime },
    });
  });
}

/** Deletes a refused file; already gone means a concurrent request refused it first. */
export async function removeRefused(store: EvidenceStore, id: string): Promise<void> {
  try {
    await store.remove(id);
  } catch (error) {
    if (!isEvidenceError(error, 'NOT_FOUND')) throw error;
  }
}

/**
 * Re-encodes the image without its metadata and stores the copy, sealed. An image that cannot be
 * decoded (damaged, too many pixels, HEVC this server cannot read, too big to hold) keeps its original
 * and gets no copy: the evidence is not lost, it is only not shown until someone redacts it by hand.
 * A storage failure is not such a case and is thrown.
 */
export async function makeRedactedCopy(
  store: EvidenceStore,
  evidence: Pick<EvidenceRow, 'id' | 'declared_length' | 'key_version'>,
  mime: string,
  key: Buffer,
  lookup: KeyLookup,
): Promise<{ ok: true } | { ok: false; warning: string }> {
  const noCopy = (reason: string) => ({
    ok: false as const,
    warning: `The original was kept, but no copy without metadata could be made: ${reason} It will not be shown until someone redacts it by hand.`,
  });
  if (evidence.declared_length > MAX_REDACTABLE_IMAGE_BYTES) {
    return noCopy(`the image is larger than ${MAX_REDACTABLE_IMAGE_BYTES} bytes.`);
  }
  const original = await readAll(await store.openOriginal(evidence.id, lookup));
  let stripped;
  try {
    stripped = await stripImageMetadata(original, mime);
  } catch (error) {
    if (isEvidenceError(error, 'CORRUPT') || isEvidenceError(error, 'TOO_LARGE') || isEvidenceError(error, 'UNSUPPORTED_TYPE')) {
      return noCopy(error.message);
    }
    throw error;
  }
  await store.putDerived(evidence.id, REDACTED_COPY, stripped.data, key, evidence.key_version);
  return { ok: true };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of stream as AsyncIterable<Buffer>) pieces.push(piece);
  return Buffer.concat(pieces);
}
