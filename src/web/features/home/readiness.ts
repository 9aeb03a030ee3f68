/** What the home page can honestly say about the server, from its `/readyz` answer. */
export type Readiness =
  | { state: 'ready'; engine: 'pglite' | 'postgres'; applied: number; expected: number }
  | { state: 'unavailable'; reason: 'database' | 'migrations' | 'unreachable' }
  | { state: 'unavailable'; reason: 'unexpected'; status: number };

const TIMEOUT_MS = 10_000;

/**
 * Asks the server whether it is ready. Never throws: a network failure or an answer this page does
 * not understand is itself something to tell the reader.
 */
export async function fetchReadiness(signal?: AbortSignal): Promise<Readiness> {
  // One controller for both the caller's abort and the timeout: AbortSignal.any is too recent for
  // the older phones shelter staff may carry.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const forwardAbort = () => controller.abort();
  signal?.addEventListener('abort', forwardAbort);
  let response: Response;
  try {
    response = await fetch('/readyz', {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: controller.signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { state: 'unavailable', reason: 'unreachable' };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
  // A body that is not JSON is an answer too (from a proxy, say); it is judged below by its absence.
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && isReadyBody(body)) {
    return { state: 'ready', engine: body.engine, applied: body.migrations.applied, expected: body.migrations.expected };
  }
  const error = vigiaErrorOf(body);
  // Vigía always answers with its error shape; a failure without it comes from a proxy or gateway in
  // front of a server that is down, which to the reader means the server could not be reached.
  if (!error) {
    return response.status >= 500
      ? { state: 'unavailable', reason: 'unreachable' }
      : { state: 'unavailable', reason: 'unexpected', status: response.status };
  }
  const checks = isRecord(error.details) ? error.details : undefined;
  if (checks?.database === 'down') return { state: 'unavailable', reason: 'database' };
  if (checks?.migrations === 'pending') return { state: 'unavailable', reason: 'migrations' };
  return { state: 'unavailable', reason: 'unexpected', status: response.status };
}

interface ReadyBody {
  status: 'ready';
  engine: 'pglite' | 'postgres';
  migrations: { applied: number; expected: number };
}

function isReadyBody(body: unknown): body is ReadyBody {
  if (!isRecord(body) || body.status !== 'ready') return false;
  if (body.engine !== 'pglite' && body.engine !== 'postgres') return false;
  const migrations = body.migrations;
  return isRecord(migrations) && typeof migrations.applied === 'number' && typeof migrations.expected === 'number';
}

function vigiaErrorOf(body: unknown): { code: string; details?: unknown } | undefined {
  if (!isRecord(body) || !isRecord(body.error) || typeof body.error.code !== 'string') return undefined;
  return { code: body.error.code, details: body.error.details };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
