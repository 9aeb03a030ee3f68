import type { Readable } from 'node:stream';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { EvidenceRow } from '../db/repositories/evidence.repository.js';
import { inspectType, TYPE_DETECTION_BYTES, type DetectedType } from '../evidence/detect-type.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import { peekStream } from '../evidence/peek-stream.js';
import type { Actor } from '../policies/actor.js';
import { auditSource, type RequestContext } from './organization-access.js';

/** What a command that serves an evidence file needs. */
export interface EvidenceFileRequest {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  actor: Actor;
  evidenceId: string;
  context?: RequestContext;
}

/** A decrypted evidence file ready to stream, with the type its own first bytes declare. */
export interface OpenedEvidenceFile {
  evidence: EvidenceRow;
  stream: Readable;
  type: DetectedType | null;
}

/**
 * Checks the first bytes of a decrypted file (which also authenticates its first segment, so a
 * damaged file fails before any header is sent) and then records the access in the audit log. The
 * entry is written before the first byte leaves, so no access goes unrecorded; the stream is released
 * if recording fails.
 */
export async function auditedOpen(options: {
  database: Database;
  actor: Actor;
  evidence: EvidenceRow;
  source: Readable;
  action: 'evidence.viewed' | 'evidence.original_downloaded';
  /** Refuses (as a server error, before anything is recorded or sent) a file whose bytes are not what is expected. */
  expect?: (type: DetectedType | null) => boolean;
  context?: RequestContext | undefined;
}): Promise<OpenedEvidenceFile> {
  const { evidence } = options;
  const { head, stream } = await peekStream(options.source, TYPE_DETECTION_BYTES);
  const verdict = await inspectType(head);
  const type = verdict.accepted ? verdict.type : null;
  if (options.expect && !options.expect(type)) {
    stream.destroy();
    throw new Error(`Evidence ${evidence.id}: the stored file is not of the expected type (${type?.mime ?? 'unrecognised'}).`);
  }
  try {
    await options.database.transaction(async (trx) => {
      await appendAudit(trx, {
        ...auditSource(options.actor, options.context),
        organizationId: evidence.organization_id,
        action: options.action,
        subjectType: 'evidence',
        subjectId: evidence.id,
        details: { incidentId: evidence.incident_id, sha256: evidence.sha256 },
      });
    });
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return { evidence, stream, type };
}
