import { isEvidenceError } from '../evidence/errors.js';
import { AppError } from '../server/errors.js';

/**
 * The store's errors that are the client's to act on, as API errors: a wrong offset (409 with the
 * current one, so the client resumes), too many bytes (413), a refused type (415). Everything else
 * (a corrupt sealed file, a full disk, a missing key) is the server's problem and is rethrown unchanged:
 * the error handler answers a full disk with 507, any other storage failure with 503, the rest with 500.
 */
export function asClientEvidenceError(error: unknown): unknown {
  if (!isEvidenceError(error)) return error;
  switch (error.code) {
    case 'OFFSET_MISMATCH':
      return new AppError('CONFLICT', error.message, { offset: error.offset });
    case 'INTERRUPTED':
      return new AppError('BAD_REQUEST', error.message, { offset: error.offset });
    case 'TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', error.message);
    case 'TOO_MANY_CHUNKS':
      return new AppError('BAD_REQUEST', `${error.message} Send larger chunks.`);
    case 'UNSUPPORTED_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', error.message);
    default:
      return error;
  }
}
