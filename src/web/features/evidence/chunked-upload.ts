/*
 * Sending a file as evidence in chunks, resumably (the server's UPLOAD_PROTOCOL, like tus): open the
 * upload with the file's length, send each chunk at the offset the server last confirmed, and after any
 * failure ask the server where it stands and go on from there, so nothing is sent twice and a broken
 * connection on a slow phone line costs one chunk, not the file. Pure of the browser (the transport and
 * the file are given), so that its tests run under Node (test/web/).
 */

/** 1 MiB: small enough to retry cheaply on a poor connection, large enough to keep requests few. */
export const CHUNK_SIZE = 1024 * 1024;

/** What a file must offer: its size and its bytes in ranges (a browser `Blob` does). */
export interface Sliceable<Chunk> {
  size: number;
  slice(start: number, end: number): Chunk;
}

/** How a failed request is to be handled. */
export type FailureKind =
  /** The server holds a different offset (409): continue from `offset`. */
  | { kind: 'offset'; offset: number }
  /** The file is refused (a type the server does not keep, too large): retrying cannot help. */
  | { kind: 'refused' }
  /** Anything else (network, server error): worth retrying after asking the offset. */
  | { kind: 'retry' };

export interface UploadTransport<Chunk> {
  start(length: number): Promise<{ id: string }>;
  send(id: string, offset: number, chunk: Chunk): Promise<{ offset: number }>;
  query(id: string): Promise<{ offset: number; status: 'uploading' | 'complete' | 'refused' }>;
  classify(error: unknown): FailureKind;
}

export type UploadState =
  | { phase: 'ready'; length: number }
  | { phase: 'sending'; id: string | null; offset: number; length: number }
  | { phase: 'failed'; id: string | null; offset: number; length: number; error: unknown }
  | { phase: 'refused'; id: string | null; length: number; error: unknown }
  | { phase: 'complete'; id: string; length: number };

export function initialUpload(length: number): UploadState {
  return { phase: 'ready', length };
}

/** The share sent, 0 to 1, for a progress bar. */
export function progressOf(state: UploadState): number {
  if (state.phase === 'complete') return 1;
  if (state.phase === 'ready' || state.phase === 'refused' || state.length === 0) return 0;
  return Math.min(1, state.offset / state.length);
}

/** The byte range of the next chunk from `offset`. */
export function nextChunkRange(offset: number, length: number, chunkSize = CHUNK_SIZE): { start: number; end: number } {
  return { start: offset, end: Math.min(length, offset + chunkSize) };
}

/**
 * Runs the upload from `state` until it completes, is refused or fails, reporting every step through
 * `onChange`. Call it again with a failed state to resume: it first asks the server for the offset.
 * A 409 (wrong offset) is not a failure: the server says where to continue, and that is done at once,
 * at most a few times in a row so that a confused server cannot keep it looping.
 */
export async function runUpload<Chunk>(
  file: Sliceable<Chunk>,
  transport: UploadTransport<Chunk>,
  from: UploadState,
  onChange: (state: UploadState) => void,
  chunkSize = CHUNK_SIZE,
): Promise<UploadState> {
  const length = file.size;
  let id: string | null = from.phase === 'sending' || from.phase === 'failed' ? from.id : null;
  let offset = from.phase === 'sending' || from.phase === 'failed' ? from.offset : 0;
  let conflicts = 0;
  const report = (state: UploadState): UploadState => {
    onChange(state);
    return state;
  };
  const failure = (error: unknown): UploadState => {
    const kind = transport.classify(error);
    return kind.kind === 'refused'
      ? report({ phase: 'refused', id, length, error })
      : report({ phase: 'failed', id, offset, length, error });
  };

  report({ phase: 'sending', id, offset, length });
  try {
    if (id === null) {
      id = (await transport.start(length)).id;
      offset = 0;
    } else if (from.phase === 'failed') {
      const where = await transport.query(id);
      if (where.status === 'complete') return report({ phase: 'complete', id, length });
      if (where.status === 'refused') return report({ phase: 'refused', id, length, error: undefined });
      offset = where.offset;
    }
  } catch (error) {
    return failure(error);
  }
  report({ phase: 'sending', id, offset, length });

  // The last chunk completes the evidence; an empty one at the end completes it when that step failed before.
  for (;;) {
    const { start, end } = nextChunkRange(offset, length, chunkSize);
    try {
      offset = (await transport.send(id, start, file.slice(start, end))).offset;
      conflicts = 0;
    } catch (error) {
      const kind = transport.classify(error);
      if (kind.kind === 'offset' && conflicts < 3) {
        conflicts += 1;
        offset = kind.offset;
        continue;
      }
      return failure(error);
    }
    if (offset >= length) return report({ phase: 'complete', id, length });
    report({ phase: 'sending', id, offset, length });
  }
}
