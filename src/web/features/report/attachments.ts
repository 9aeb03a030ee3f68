import { ApiError } from '../../api/client';
import { evidenceApi } from '../../api/evidence';
import { memberReportsApi } from '../../api/member-reports';
import { publicReportsApi } from '../../api/public-reports';
import { initialUpload, runUpload, type FailureKind, type UploadState, type UploadTransport } from '../evidence/chunked-upload';
import type { Receipt } from './queue';

/*
 * Files sent with a public report. They need the receipt, so they wait on this device (IndexedDB, with
 * the report) until the report is sent, and go after it, in 1 MiB chunks that resume where the server
 * says after a broken connection. Each file is deleted from the device once the server has it whole.
 */

/** What the file input accepts; the server reads the type from the bytes anyway. */
export const ATTACHMENT_ACCEPT = 'image/*,application/pdf,audio/*,video/*';
/** The server's limit per report. */
export const MAX_ATTACHMENTS = 5;

export interface QueuedAttachment {
  id: string;
  /** The queued report (its Idempotency-Key) the file goes with. */
  reportId: string;
  /** Set in the same step that stores the report's receipt: from then on the file can go. */
  receipt?: Receipt;
  file: Blob;
  size: number;
  /** The upload on the server, once opened, and the offset last confirmed. */
  uploadId: string | null;
  offset: number;
  refused?: boolean;
}

export interface AttachmentStore {
  listAttachments(): Promise<QueuedAttachment[]>;
  putAttachment(item: QueuedAttachment): Promise<void>;
  removeAttachment(id: string): Promise<void>;
}

export interface AttachmentProgress {
  id: string;
  size: number;
  offset: number;
  phase: 'waiting' | 'sending' | 'complete' | 'failed' | 'refused';
}

/** How far a file's upload has got, as the list of files shows it. */
export function attachmentProgress(id: string, size: number, state: UploadState): AttachmentProgress {
  const offset = state.phase === 'sending' || state.phase === 'failed' ? state.offset : state.phase === 'complete' ? size : 0;
  return { id, size, offset, phase: state.phase === 'ready' ? 'waiting' : state.phase };
}

export function newAttachments(reportId: string, files: readonly File[], newId: () => string): QueuedAttachment[] {
  return files.map((file) => ({ id: newId(), reportId, file, size: file.size, uploadId: null, offset: 0 }));
}

/** What a failed request for a report's file means for its upload. */
export function classifyAttachmentFailure(error: unknown): FailureKind {
  if (error instanceof ApiError) {
    const details = error.details as { offset?: unknown } | undefined;
    if (error.status === 409 && typeof details?.offset === 'number') return { kind: 'offset', offset: details.offset };
    // Too large, a type not kept, too many files, the report closed, an unknown receipt: retrying cannot help.
    if ([404, 409, 413, 415].includes(error.status)) return { kind: 'refused' };
  }
  return { kind: 'retry' };
}

function transportFor(receipt: Receipt): UploadTransport<Blob> {
  return {
    start: (length) => publicReportsApi.startAttachment(receipt.receiptCode, receipt.secret, length),
    send: (id, offset, chunk) => publicReportsApi.sendAttachmentChunk(id, receipt.secret, offset, chunk),
    query: (id) => publicReportsApi.attachmentState(id, receipt.secret),
    classify: classifyAttachmentFailure,
  };
}

/** A file sent with a member's report: opened on the report as the member, its chunks sent as evidence. */
export function memberAttachmentTransport(reportId: string, fileName: string): UploadTransport<Blob> {
  return {
    start: (length) => memberReportsApi.startAttachment(reportId, length, fileName),
    send: (id, offset, chunk) => evidenceApi.sendChunk(id, offset, chunk),
    query: (id) => evidenceApi.uploadState(id),
    classify: classifyAttachmentFailure,
  };
}

/**
 * Sends every file whose report has its receipt, one at a time; stops at the first that fails, and
 * answers whether any is left to try again later.
 */
export async function flushAttachments(store: AttachmentStore, onProgress: (progress: AttachmentProgress) => void): Promise<boolean> {
  const items = (await store.listAttachments()).filter((item) => item.receipt && !item.refused);
  for (const item of items) {
    const receipt = item.receipt!;
    const from: UploadState = item.uploadId
      ? { phase: 'failed', id: item.uploadId, offset: item.offset, length: item.size, error: undefined }
      : initialUpload(item.size);
    let saved = item;
    const final = await runUpload(item.file, transportFor(receipt), from, (state) => {
      const progress = attachmentProgress(item.id, item.size, state);
      onProgress(progress);
      const { offset } = progress;
      const uploadId = state.phase === 'ready' ? null : state.id;
      if (state.phase === 'sending' && (uploadId !== saved.uploadId || offset !== saved.offset)) {
        saved = { ...saved, uploadId, offset };
        void store.putAttachment(saved);
      }
    });
    if (final.phase === 'complete') await store.removeAttachment(item.id);
    else if (final.phase === 'refused') await store.putAttachment({ ...saved, refused: true });
    else return true;
  }
  return false;
}
