/**
 * The one error type of the HTTP API. Commands and routes throw an `AppError` with a code from this
 * closed list; the error handler turns it into the one error shape
 * `{"error":{"code","message","details","requestId"}}` with the status mapped below.
 */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  /** A proof-of-work challenge that is expired, spent or not solved: fetch a new one and solve it. */
  POW_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  MFA_REQUIRED: 403,
  CSRF_FAILED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** The resource existed and was taken down on purpose (a withdrawn alert's PDF). */
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  /** The evidence store's disk is full: nothing was saved. */
  INSUFFICIENT_STORAGE: 507,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  override name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The code to use for a bare HTTP status raised by Fastify or a plugin. */
export function codeForStatus(status: number): ErrorCode {
  const found = (Object.entries(ERROR_STATUS) as Array<[ErrorCode, number]>).find(([, s]) => s === status);
  if (found) return found[0];
  return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
}

/** The body every failing request answers with. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown; requestId: string };
}
