import { AppError } from '../server/errors.js';
import { authorizeEvidenceView, evidenceKeys } from './evidence-access.js';
import { REDACTED_COPY } from './finish-evidence-upload.js';
import { auditedOpen, type EvidenceFileRequest, type OpenedEvidenceFile } from './open-evidence-file.js';

/**
 * Opens what anyone who may read the incident sees of an image: its copy without metadata, never the
 * original. Each view is an `evidence.viewed` entry in the evidence's chain of custody. Video, audio and
 * PDF have no such copy (their metadata cannot be removed reliably here), so they answer 404 and point
 * to the original, which only the organization's own workers may download. Evidence sent with a report
 * not yet triaged is seen by those who may triage the report.
 */
export async function viewEvidence(options: EvidenceFileRequest): Promise<OpenedEvidenceFile> {
  const { database, keyring, store, actor } = options;
  const evidence = await authorizeEvidenceView(database.db, actor, options.evidenceId);
  if (evidence.status !== 'complete') {
    throw new AppError('CONFLICT', 'This evidence has not been received in full yet.', { status: evidence.status });
  }
  const original = `GET /api/v1/evidence/${evidence.id}/original`;
  if (evidence.kind !== 'image') {
    throw new AppError(
      'NOT_FOUND',
      `Only images get a copy without metadata; this ${evidence.kind ?? 'file'} is available only as its original (${original}), to those allowed to download originals.`,
      { evidenceId: evidence.id, original },
    );
  }
  if (!evidence.has_redacted_copy) {
    throw new AppError(
      'NOT_FOUND',
      `No copy without metadata could be made of this image; it is available only as its original (${original}), to those allowed to download originals.`,
      { evidenceId: evidence.id, original },
    );
  }
  const { lookup } = await evidenceKeys(database.db, keyring, evidence);
  const source = await store.openDerived(evidence.id, REDACTED_COPY, lookup);
  return auditedOpen({
    database,
    actor,
    evidence,
    source,
    action: 'evidence.viewed',
    // Shown inline, so it must be an image by its own bytes, whatever the row says.
    expect: (type) => type?.kind === 'image',
    context: options.context,
  });
}
