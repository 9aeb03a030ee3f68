import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failureBody } from '../../plugins/errors.js';

/** Newline-delimited JSON: one complete JSON object per line, each usable as soon as it arrives. */
export const NDJSON = 'application/x-ndjson';

/** Whether the client asked for progress lines: `Accept` lists application/x-ndjson (and not with q=0). */
export function acceptsNdjson(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((entry) => {
    const [type, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    return type === NDJSON && !parameters.some((parameter) => /^q=0(\.0*)?$/.test(parameter));
  });
}

export type ProgressPhase = 'validating' | 'importing';
/** Told by the work as it goes; `total` is null while it is not known yet. */
export type ProgressListener = (done: number, total: number | null, phase: ProgressPhase) => void;

interface Progress {
  phase: ProgressPhase;
  done: number;
  total: number | null;
}

/**
 * Keeps only the newest progress. The work reports as fast as it goes and never waits for the client;
 * a client that reads slowly (a phone on a poor connection) gets the latest figures, not a backlog.
 */
class LatestProgress {
  private latest: Progress | undefined;
  private wake: (() => void) | undefined;

  readonly listener: ProgressListener = (done, total, phase) => {
    this.latest = { phase, done, total };
    this.wake?.();
    this.wake = undefined;
  };

  /** Resolves when there is progress to take (at once if there is already). */
  arrived(): Promise<void> {
    if (this.latest) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }

  get waiting(): boolean {
    return this.latest !== undefined;
  }

  take(): Progress | undefined {
    const latest = this.latest;
    this.latest = undefined;
    return latest;
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Answers a long piece of work (an import) with its progress, for a browser that wants to draw a
 * progress bar: a 200 whose body is NDJSON, `{"type":"progress","phase","done","total"}` lines while
 * the work goes, then exactly one last line, `{"type":"report",...the result}` or
 * `{"type":"error","error":{code,message,details,requestId}}` (the one error shape, plus its type).
 *
 * Why this and not a job resource polled by the browser: the work already runs inside the request
 * (the CSV is in the body and nothing stores it), so a job would mean storing a file of testimony
 * somewhere first and a worker to run it, for no gain in a request that lasts seconds to minutes;
 * one streamed answer needs nothing stored and ends with the request.
 *
 * The status is chosen only when the first progress arrives: whatever fails before that (who may
 * import, the mapping, an organization that does not exist) is thrown, so the error handler answers
 * with the usual status and shape, exactly as without progress. After that the status is 200 and a
 * failure is the last line. A client that goes away does not stop the work: an import under way
 * finishes (or rolls back) on its own, and its audit entry records it.
 */
export async function replyWithProgress<T extends object>(
  request: FastifyRequest,
  reply: FastifyReply,
  work: (onProgress: ProgressListener) => Promise<T>,
): Promise<FastifyReply> {
  const progress = new LatestProgress();
  let settled: Outcome<T> | undefined;
  const outcome = work(progress.listener).then(
    (value): Outcome<T> => (settled = { ok: true, value }),
    (error: unknown): Outcome<T> => (settled = { ok: false, error }),
  );
  await Promise.race([progress.arrived(), outcome]);
  if (settled && !settled.ok && !progress.waiting) throw settled.error;

  async function* lines(): AsyncGenerator<string> {
    for (;;) {
      const latest = progress.take();
      if (latest) yield line({ type: 'progress', ...latest });
      if (settled) {
        yield line(settled.ok ? { type: 'report', ...settled.value } : { type: 'error', ...failureBody(request, settled.error) });
        return;
      }
      await Promise.race([progress.arrived(), outcome]);
    }
  }

  return reply
    .code(200)
    .type(`${NDJSON}; charset=utf-8`)
    .header('cache-control', 'no-store')
    // A reverse proxy (nginx) would otherwise hold the lines back until the answer ends.
    .header('x-accel-buffering', 'no')
    .send(Readable.from(lines()));
}

function line(value: object): string {
  return `${JSON.stringify(value)}\n`;
}
