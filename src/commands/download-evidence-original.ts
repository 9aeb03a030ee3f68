import { AppError } from '../server/errors.js';
import { authorizeEvidence, evidenceKeys } from './evidence-access.js';
import { auditedOpen, type EvidenceFileRequest, type OpenedEvidenceFile } from './open-evidence-file.js';

/**
 * Opens the decrypted original, with all its metadata (an image's GPS position among it): only the
 * owning organization's workers may, and each download is an `evidence.original_downloaded` entry in
 * the chain of custody.
 */
export async function downloadEvidenceOriginal(options: EvidenceFileRequest): Promise<OpenedEvidenceFile> {
  const { database, keyring, store, actor } = options;
  const { evidence } = await authorizeEvidence(database.db, actor, 'read_evidence_original', options.evidenceId);
  if (evidence.status !== 'complete') {
    throw new AppError('CONFLICT', 'This evidence has not been received in full yet.', { status: evidence.status });
  }
  const { lookup } = await evidenceKeys(database.db, keyring, evidence);
  const source = await store.openOriginal(evidence.id, lookup);
  return auditedOpen({ database, actor, evidence, source, action: 'evidence.original_downloaded', context: options.context });
}
