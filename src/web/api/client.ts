/**
 * The one way the browser app talks to the API: same-origin JSON, the session cookie sent by the
 * browser, the CSRF token repeated on every request that changes something, and every failure turned
 * into an `ApiError` carrying the server's code, so that pages decide what to say by code and never
 * show the server's (English-only) message to the reader.
 */

/** One field the server refused, as its error `details` list them. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Codes a page may meet; the server's list is closed (src/server/errors.ts), plus two of our own. */
export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'MFA_REQUIRED'
  | 'CSRF_FAILED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'GONE'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'SERVICE_UNAVAILABLE'
  // A public report's proof of work was expired, already used or wrong: get a new challenge.
  | 'POW_INVALID'
  // The request never got an answer (offline, server down).
  | 'NETWORK'
  // An answer without Vigía's error shape: a proxy or gateway answered for the server.
  | 'UNEXPECTED';

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: unknown,
    readonly requestId: string | undefined,
    /** From Retry-After (or the details) when the server asks to wait, in seconds. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }

  /** The fields a VALIDATION_FAILED answer names, in the order the server gave them. */
  get fieldProblems(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.flatMap((item: unknown) =>
      isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string'
        ? [{ field: item.field, message: item.message }]
        : [],
    );
  }

  /** `details.reason` when the server gives one (e.g. 'invalid_code' for a wrong two-factor code). */
  get reason(): string | undefined {
    return isRecord(this.details) && typeof this.details.reason === 'string' ? this.details.reason : undefined;
  }
}

// Held in memory only: the token is useless without the HttpOnly cookie, and storing it would let it
// outlive the session it belongs to.
let csrfToken: string | undefined;

/** Set from GET /api/v1/auth/session; cleared when the session ends. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Raw bytes sent as they are (an evidence chunk), with their own headers; instead of `body`. */
  raw?: { bytes: Blob; headers: Record<string, string> };
  signal?: AbortSignal;
  /** Extra request headers, such as a public report's Idempotency-Key. */
  headers?: Record<string, string>;
  /**
   * 'omit' sends no cookie (and so no CSRF token either): anonymous reports must not carry the
   * session of someone who also happens to be signed in on this browser.
   */
  credentials?: 'same-origin' | 'omit';
}

/**
 * Sends a request to `path` (under /api/v1) with the session's headers and returns the response as it
 * came, whatever its status; a request that never got an answer throws a NETWORK `ApiError`.
 * For callers that read the body their own way (a download, a stream of progress lines).
 */
export async function apiFetch(path: string, options: RequestOptions & { accept?: string } = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const credentials = options.credentials ?? 'same-origin';
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.raw) Object.assign(headers, options.raw.headers);
  if (!SAFE_METHODS.has(method) && csrfToken && credentials !== 'omit') headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials,
      cache: 'no-store',
      body: options.raw ? options.raw.bytes : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK', 'The server could not be reached', undefined, undefined, undefined);
  }
}

/** Calls `path` (under /api/v1) and returns its JSON body, or undefined for 204/202 without a body. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await apiFetch(path, options);
  const text = await response.text();
  const body: unknown = text === '' ? undefined : safeJson(text);
  if (response.ok) return body as T;
  throw errorFrom(response, body);
}

/** The `ApiError` for a failed response, read from its body in the one error shape. */
export async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  return errorFrom(response, text === '' ? undefined : safeJson(text));
}

/** The `ApiError` for an error in the one error shape met somewhere else than a response body (a stream's last line). */
export function errorFromBody(status: number, body: unknown): ApiError {
  return errorFrom({ status, headers: new Headers() }, body);
}

function errorFrom(response: Pick<Response, 'status' | 'headers'>, body: unknown): ApiError {
  const header = Number(response.headers.get('retry-after'));
  const error = isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string' ? body.error : undefined;
  if (!error) {
    return new ApiError(response.status, 'UNEXPECTED', `HTTP ${response.status}`, undefined, undefined, undefined);
  }
  const details = error.details;
  const fromDetails = isRecord(details) && typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : undefined;
  return new ApiError(
    response.status,
    error.code as ApiErrorCode,
    typeof error.message === 'string' ? error.message : '',
    details,
    typeof error.requestId === 'string' ? error.requestId : undefined,
    Number.isFinite(header) && header > 0 ? header : fromDetails,
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
