import type { Database } from '../db/client.js';
import type { EvidenceStatus } from '../db/schema.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import type { Actor } from '../policies/actor.js';
import { memberUploadGate, type EvidenceGate } from './evidence-access.js';

/** Where an upload stands, for a client that resumes it. */
export interface UploadState {
  offset: number;
  length: number;
  status: EvidenceStatus;
}

/**
 * How far an upload has got. While it is open the store is asked, not the row: the store counts a chunk
 * once it is safely on disk, and a crash between that and the row's update must not make a client
 * send bytes twice.
 */
export async function readEvidenceUpload(options: {
  database: Database;
  store: EvidenceStore;
  actor: Actor;
  evidenceId: string;
  /** Who may ask; by default members (see memberUploadGate). */
  gate?: EvidenceGate;
}): Promise<UploadState> {
  const evidence = await (options.gate ?? memberUploadGate(options.actor))(options.database.db, options.evidenceId);
  if (evidence.status !== 'uploading') {
    return { offset: evidence.received_length, length: evidence.declared_length, status: evidence.status };
  }
  const status = await options.store.status(evidence.id);
  return { offset: status.offset, length: status.length, status: 'uploading' };
}
