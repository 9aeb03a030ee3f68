/**
 * Why an evidence operation failed. A closed list so the HTTP layer can map each code to one status
 * (OFFSET_MISMATCH → 409 with the offset, TOO_LARGE → 413, UNSUPPORTED_TYPE → 415, …) without reading
 * messages, and so nothing here depends on Fastify.
 */
export type EvidenceErrorCode =
  /** The bytes are not one of the accepted media types, or this server cannot decode them. */
  | 'UNSUPPORTED_TYPE'
  /** A chunk was sent for an offset other than the one the upload has reached. */
  | 'OFFSET_MISMATCH'
  /** More bytes than declared or allowed, or an image with more pixels than the limit. */
  | 'TOO_LARGE'
  /** An upload split into more chunks than the store keeps apart. */
  | 'TOO_MANY_CHUNKS'
  /** Sealed data failed authentication (wrong key, altered, reordered or truncated) or an image is broken. */
  | 'CORRUPT'
  /** The disk refused a write or read (full, read-only, missing directory). */
  | 'STORAGE_FAILURE'
  /** No upload or derived file by that id or name. */
  | 'NOT_FOUND'
  /** An id or name that does not match the strict pattern, so it never reaches a path. */
  | 'INVALID_ID'
  /** An upload with that id already exists. */
  | 'ALREADY_EXISTS'
  /** The upload has not received all its declared bytes yet. */
  | 'INCOMPLETE'
  /** The sender's stream broke off; what arrived before that is kept and `offset` says how far it got. */
  | 'INTERRUPTED'
  /** The key version named in a sealed header is not one the caller can provide. */
  | 'KEY_UNAVAILABLE'
  /** A caller passed a value outside the contract (key length, negative length, …): a bug, not a user error. */
  | 'INVALID_ARGUMENT';

/** The one error type of `src/evidence`: a code for the caller to branch on, plus the offset where it matters. */
export class EvidenceError extends Error {
  override name = 'EvidenceError';
  /** Where the upload stands now, for OFFSET_MISMATCH and INTERRUPTED (tus answers with it). */
  readonly offset: number | undefined;

  constructor(
    readonly code: EvidenceErrorCode,
    message: string,
    options: { offset?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.offset = options.offset;
  }
}

/** True for an `EvidenceError` with the given code, so tests and callers need no casts. */
export function isEvidenceError(error: unknown, code?: EvidenceErrorCode): error is EvidenceError {
  return error instanceof EvidenceError && (code === undefined || error.code === code);
}

/** True for a STORAGE_FAILURE whose cause is a full disk or an exhausted quota (ENOSPC, EDQUOT). */
export function isStorageFull(error: unknown): boolean {
  if (!isEvidenceError(error, 'STORAGE_FAILURE')) return false;
  const causes = error.cause instanceof AggregateError ? error.cause.errors : [error.cause];
  return causes.some((cause) => ['ENOSPC', 'EDQUOT'].includes(String((cause as NodeJS.ErrnoException | undefined)?.code)));
}
