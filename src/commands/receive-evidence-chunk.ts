import type { Readable } from 'node:stream';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { EvidenceKind } from '../db/schema.js';
import { isEvidenceError } from '../evidence/errors.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { evidenceKeys, memberUploadGate, type EvidenceGate } from './evidence-access.js';
import { asClientEvidenceError } from './evidence-errors.js';
import { finishEvidenceUpload } from './finish-evidence-upload.js';
import type { RequestContext } from './organization-access.js';

/** Where an upload stands after a chunk; the evidence fields are set once it is complete. */
export interface UploadProgress {
  offset: number;
  length: number;
  status: 'uploading' | 'complete';
  sha256: string | null;
  mimeType: string | null;
  kind: EvidenceKind | null;
  hasRedactedCopy: boolean;
  warning: string | null;
}

/**
 * Adds one chunk to an evidence upload at `offset`, streaming it into the encrypted store (never
 * buffered whole), and completes the evidence when the last byte arrives. No transaction is held while
 * bytes arrive: on the embedded engine that would stop every other request for as long as the upload
 * takes. The store serializes chunks of one upload and refuses a stale offset (409 with the current
 * one); `received_length` only ever grows, so two racing requests cannot move it back.
 *
 * An upload whose bytes all arrived but whose completion failed (a crash, a full disk) is completed by
 * sending an empty chunk at its final offset.
 */
export async function receiveEvidenceChunk(options: {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  actor: Actor;
  evidenceId: string;
  offset: number;
  chunk: Readable;
  /** The request's Content-Length, when it sent one: too long is refused before a byte is read. */
  chunkLength: number | undefined;
  context?: RequestContext;
  /** Who may send chunks; by default members (see memberUploadGate). */
  gate?: EvidenceGate;
}): Promise<UploadProgress> {
  const { database, keyring, store, actor, offset } = options;
  const { db } = database;
  const evidence = await (options.gate ?? memberUploadGate(actor))(db, options.evidenceId);
  if (evidence.status !== 'uploading') {
    throw new AppError(
      'CONFLICT',
      evidence.status === 'complete' ? 'This evidence has been received in full already.' : 'This upload was refused; start a new one.',
      { offset: evidence.received_length, status: evidence.status },
    );
  }
  const current = await store.status(evidence.id);
  if (offset !== current.offset) {
    throw new AppError('CONFLICT', `The upload is at offset ${current.offset}, not ${offset}: resume from there.`, {
      offset: current.offset,
    });
  }
  const remaining = current.length - current.offset;
  if (options.chunkLength !== undefined && options.chunkLength > remaining) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `This upload has ${remaining} bytes left of the ${current.length} declared; the chunk has ${options.chunkLength}.`,
      { remaining },
    );
  }

  const { key, lookup } = await evidenceKeys(db, keyring, evidence);
  let status;
  try {
    status = await store.appendChunk(evidence.id, offset, options.chunk, remaining, lookup);
  } catch (error) {
    // What arrived before the sender broke off is kept: count it, so the client resumes from there.
    if (isEvidenceError(error, 'INTERRUPTED') && error.offset !== undefined) await recordReceived(database, evidence.id, error.offset);
    throw asClientEvidenceError(error);
  }
  await recordReceived(database, evidence.id, status.offset);
  const uploading: UploadProgress = {
    offset: status.offset,
    length: status.length,
    status: 'uploading',
    sha256: null,
    mimeType: null,
    kind: null,
    hasRedactedCopy: false,
    warning: null,
  };
  if (!status.complete) return uploading;

  const finished = await finishEvidenceUpload({ database, store, actor, evidence, key, lookup, ...(options.context ? { context: options.context } : {}) });
  return { ...uploading, status: 'complete', ...finished };
}

async function recordReceived(database: Database, evidenceId: string, offset: number): Promise<void> {
  await database.db
    .updateTable('evidence')
    .set((eb) => ({ received_length: eb.fn('greatest', [eb.ref('received_length'), eb.val(offset)]) }))
    .where('id', '=', evidenceId)
    .where('status', '=', 'uploading')
    .execute();
}
