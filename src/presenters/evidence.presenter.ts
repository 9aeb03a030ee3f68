import { z } from 'zod';
import type { ListedEvidence } from '../commands/list-incident-evidence.js';
import type { EvidenceCustody } from '../commands/read-evidence-custody.js';
import type { UploadProgress } from '../commands/receive-evidence-chunk.js';
import type { EvidenceRow } from '../db/repositories/evidence.repository.js';

const evidenceStatus = z.enum(['uploading', 'complete', 'refused']);
const evidenceKind = z.enum(['image', 'video', 'audio', 'document']);

/** Where an upload stands: what a client needs to resume it. */
export const uploadStateSchema = z
  .object({
    offset: z.number().int().describe('Bytes received so far: send the next chunk with `Upload-Offset` set to this'),
    length: z.number().int().describe('Bytes declared when the upload was opened'),
    status: evidenceStatus,
  })
  .meta({ id: 'EvidenceUploadState' });

/** The answer to a chunk; the evidence fields are filled in by the chunk that completes the upload. */
export const uploadProgressSchema = z
  .object({
    offset: z.number().int(),
    length: z.number().int(),
    status: z.enum(['uploading', 'complete']),
    sha256: z.string().nullable().describe('SHA-256 of the whole file, once complete; also recorded in the audit chain'),
    mimeType: z.string().nullable().describe('The type the bytes declare (never the file name or Content-Type sent)'),
    kind: evidenceKind.nullable(),
    hasRedactedCopy: z.boolean().describe('Whether a copy without metadata (GPS, camera, time) was made: images only'),
    warning: z.string().nullable().describe('Why an image got no copy without metadata, when it did not'),
  })
  .meta({ id: 'EvidenceUploadProgress' });

/** Evidence as listed on its incident. */
export const evidenceItemSchema = z
  .object({
    id: z.uuid(),
    status: evidenceStatus,
    mimeType: z.string().nullable(),
    kind: evidenceKind.nullable(),
    length: z.number().int(),
    sha256: z.string().nullable(),
    receivedAt: z.iso.datetime().nullable(),
    hasRedactedCopy: z.boolean(),
    fileName: z.string().nullable().describe("The uploader's file name: only for those who may edit the incident"),
    uploadedBy: z.uuid().nullable().describe('The person who opened the upload (null when it was an API token)'),
  })
  .meta({ id: 'Evidence' });

/** The chain of custody of one piece of evidence. */
export const custodySchema = z
  .object({
    evidence: z.object({
      id: z.uuid(),
      sha256: z.string().nullable(),
      length: z.number().int(),
      mimeType: z.string().nullable(),
      receivedAt: z.iso.datetime().nullable(),
      uploadedBy: z.uuid().nullable(),
    }),
    events: z.array(
      z.object({
        at: z.iso.datetime(),
        action: z.string(),
        actorType: z.enum(['user', 'api_token', 'anonymous', 'system']),
        actorId: z.string().nullable(),
        actorName: z.string().optional().describe('Only for the owning organization\'s workers'),
        seq: z.number().int().describe("The entry's place in the audit chain"),
        hash: z.string().describe("The entry's hash in the audit chain"),
      }),
    ),
  })
  .meta({ id: 'EvidenceCustody' });

function isoOrNull(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** A listed piece of evidence. */
export function presentEvidence({ row, fileName }: ListedEvidence): z.infer<typeof evidenceItemSchema> {
  return {
    id: row.id,
    status: row.status,
    mimeType: row.mime_type,
    kind: row.kind,
    length: row.declared_length,
    sha256: row.sha256,
    receivedAt: isoOrNull(row.received_at),
    hasRedactedCopy: row.has_redacted_copy,
    fileName,
    uploadedBy: row.uploaded_by,
  };
}

/** The answer to a chunk. */
export function presentUploadProgress(progress: UploadProgress): z.infer<typeof uploadProgressSchema> {
  return progress;
}

/** The chain of custody; names appear only where the command looked them up. */
export function presentCustody({ evidence, entries, names }: EvidenceCustody): z.infer<typeof custodySchema> {
  return {
    evidence: presentCustodyEvidence(evidence),
    events: entries.map((entry) => {
      const name = entry.actor_id === null ? undefined : names.get(entry.actor_id);
      return {
        at: new Date(entry.occurred_at).toISOString(),
        action: entry.action,
        actorType: entry.actor_type,
        actorId: entry.actor_id,
        ...(name === undefined ? {} : { actorName: name }),
        seq: entry.seq,
        hash: entry.hash,
      };
    }),
  };
}

function presentCustodyEvidence(row: EvidenceRow): z.infer<typeof custodySchema>['evidence'] {
  return {
    id: row.id,
    sha256: row.sha256,
    length: row.declared_length,
    mimeType: row.mime_type,
    receivedAt: isoOrNull(row.received_at),
    uploadedBy: row.uploaded_by,
  };
}
