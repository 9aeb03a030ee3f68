import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Database } from '../db/client.js';
import {
  claimJobs,
  completeJob,
  extendLease,
  failJob,
  jobErrorMessage,
  JobPayloadError,
  type BackoffPolicy,
  type ClaimedJob,
} from './outbox.js';
import type { JobRegistry } from './registry.js';

/**
 * The logging the worker needs; a pino logger fits. The worker passes only job ids, kinds, attempts
 * and error messages (with payload strings scrubbed), never payloads: they may hold personal data.
 */
export interface JobLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** How a worker is wired and paced. */
export interface OutboxWorkerOptions {
  database: Database;
  registry: JobRegistry;
  logger: JobLogger;
  /** How often an idle worker looks for due jobs: config.outbox.pollMs. */
  pollMs: number;
  /** How long a claim lasts without renewal: config.outbox.leaseSeconds * 1000. */
  leaseMs: number;
  /** Jobs run at once (default 4): enough to hide one slow mail server, few enough for a small host. */
  concurrency?: number;
  /** A handler running longer is aborted; must be shorter than the lease (default: half of it). */
  jobTimeoutMs?: number;
  /** How long `stop()` waits for running handlers before aborting them (default 10 s). */
  stopTimeoutMs?: number;
  /** Recorded on claimed jobs (default: host, process id and a random suffix). */
  workerId?: string;
  /** Only these kinds (default: every kind, so that an unknown kind fails visibly rather than waits). */
  kinds?: readonly string[];
  backoff?: BackoffPolicy;
}

/** What one `runOnce()` did, by outcome. */
export interface RunOnceResult {
  claimed: number;
  done: number;
  /** Failed, and will be tried again after a backoff. */
  retrying: number;
  /** Failed their last attempt. */
  dead: number;
  /** Outcome not recorded: the claim was taken over, or the database did not answer. */
  lost: number;
}

type Outcome = 'done' | 'retrying' | 'dead' | 'lost';

/** The reason a handler's signal fires when it ran longer than the worker allows. */
export class JobTimeoutError extends Error {
  override name = 'JobTimeoutError';
  constructor(timeoutMs: number) {
    super(`The job handler ran longer than ${timeoutMs} ms and was aborted`);
  }
}

/** The reason a handler's signal fires when the worker stops before the handler finished. */
export class WorkerStoppingError extends Error {
  override name = 'WorkerStoppingError';
  constructor() {
    super('The worker stopped before the job handler finished');
  }
}

/** The reason a handler's signal fires when another worker took its job over (the lease had lapsed). */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor() {
    super('The lease on the job was lost to another worker');
  }
}

/** A job enqueued under a version of its definition that this build does not handle. */
export class JobVersionError extends Error {
  override name = 'JobVersionError';
  constructor(kind: string, jobVersion: number, buildVersion: number) {
    super(
      `The job was enqueued for version ${jobVersion} of kind '${kind}', but this build of Vigía ` +
        `handles version ${buildVersion}`,
    );
  }
}

interface ActiveJob {
  readonly controller: AbortController;
  readonly finished: Promise<Outcome>;
}

/**
 * Runs outbox jobs: claims due jobs under a lease, runs their handlers a few at a time, and records
 * each outcome. One failing handler never stops the loop, and nothing it throws escapes the worker.
 * `start()`/`stop()` for a long-running process; `runOnce()` for tests and `vigia worker --once`.
 */
export class OutboxWorker {
  readonly workerId: string;
  readonly #database: Database;
  readonly #registry: JobRegistry;
  readonly #logger: JobLogger;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #concurrency: number;
  readonly #jobTimeoutMs: number;
  readonly #stopTimeoutMs: number;
  readonly #kinds: readonly string[] | undefined;
  readonly #backoff: BackoffPolicy | undefined;
  readonly #active = new Set<ActiveJob>();
  #loop: Promise<void> | undefined;
  #stopping = false;
  /** The last claim filled every free slot, so more jobs are probably due: claim again when one frees. */
  #backlog = false;
  #wake: (() => void) | undefined;
  /** A claim in flight: `stop()` waits for it, since the jobs it returns are already ours. */
  #claiming: Promise<ClaimedJob[]> | undefined;

  constructor(options: OutboxWorkerOptions) {
    this.#database = options.database;
    this.#registry = options.registry;
    this.#logger = options.logger;
    this.#pollMs = options.pollMs;
    this.#leaseMs = options.leaseMs;
    this.#concurrency = options.concurrency ?? 4;
    this.#jobTimeoutMs = options.jobTimeoutMs ?? Math.floor(options.leaseMs / 2);
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.#kinds = options.kinds;
    this.#backoff = options.backoff;
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    if (!(this.#pollMs > 0) || !(this.#leaseMs > 0)) throw new Error('pollMs and leaseMs must be positive');
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new Error(`concurrency must be a positive integer, not ${this.#concurrency}`);
    }
    // A handler must be stopped before its lease can lapse; otherwise, with the heartbeat failing (the
    // database unreachable for a while), another worker could claim the job while it still runs.
    if (!(this.#jobTimeoutMs > 0 && this.#jobTimeoutMs < this.#leaseMs)) {
      throw new Error(`jobTimeoutMs (${this.#jobTimeoutMs}) must be positive and shorter than leaseMs (${this.#leaseMs})`);
    }
  }

  /** Starts polling for due jobs in the background until `stop()`. */
  start(): void {
    if (this.#loop) throw new Error('The outbox worker is already running');
    this.#stopping = false;
    this.#loop = this.#poll();
  }

  /**
   * Stops claiming, waits up to `stopTimeoutMs` for running handlers, then aborts the rest through
   * their signal and records them as failed attempts (they will run again).
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
    // Settled, not awaited: its caller (runOnce) reports a failed claim; here it only has to be over.
    await Promise.allSettled([this.#claiming]);
    if (this.#active.size === 0) return;
    const allFinished = Promise.all([...this.#active].map((active) => active.finished));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      allFinished.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), this.#stopTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.#logger.warn(
        { workerId: this.workerId, running: this.#active.size, stopTimeoutMs: this.#stopTimeoutMs },
        'outbox worker stopping: aborting job handlers that did not finish in time',
      );
      for (const active of this.#active) active.controller.abort(new WorkerStoppingError());
      await Promise.all([...this.#active].map((active) => active.finished));
    }
  }

  /** Claims one batch of due jobs (up to the concurrency), runs it, and says what happened. */
  async runOnce(): Promise<RunOnceResult> {
    if (this.#loop) throw new Error('runOnce() is for a worker that was not started');
    const jobs = await this.#claim(this.#concurrency);
    const outcomes = await Promise.all(jobs.map((job) => this.#launch(job).finished));
    const result: RunOnceResult = { claimed: jobs.length, done: 0, retrying: 0, dead: 0, lost: 0 };
    for (const outcome of outcomes) result[outcome] += 1;
    return result;
  }

  async #poll(): Promise<void> {
    while (!this.#stopping) {
      const free = this.#concurrency - this.#active.size;
      if (free > 0) {
        try {
          const jobs = await this.#claim(free);
          for (const job of jobs) this.#launch(job);
          this.#backlog = jobs.length === free;
        } catch (error) {
          this.#logger.error(
            { workerId: this.workerId, error: errorText(error) },
            'could not claim outbox jobs; trying again after the poll interval',
          );
        }
      }
      if (this.#stopping) break;
      await this.#sleep(this.#pollMs);
    }
  }

  async #claim(limit: number): Promise<ClaimedJob[]> {
    const claiming = claimJobs(this.#database, {
      workerId: this.workerId,
      limit,
      leaseMs: this.#leaseMs,
      ...(this.#kinds ? { kinds: this.#kinds } : {}),
    });
    this.#claiming = claiming;
    try {
      return await claiming;
    } finally {
      if (this.#claiming === claiming) this.#claiming = undefined;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  #launch(job: ClaimedJob): ActiveJob {
    const controller = new AbortController();
    const active: ActiveJob = {
      controller,
      finished: this.#run(job, controller).finally(() => {
        this.#active.delete(active);
        if (this.#backlog) this.#wake?.();
      }),
    };
    this.#active.add(active);
    return active;
  }

  /** Runs one claimed job to a recorded outcome; never rejects. */
  async #run(job: ClaimedJob, controller: AbortController): Promise<Outcome> {
    const fields = { jobId: job.id, kind: job.kind, attempt: job.attempts, workerId: this.workerId };
    // The heartbeat keeps the lease ahead of everything between claim and recorded outcome (loading the
    // handler, the handler, the outcome write on a busy database), so that a lapsed lease means a dead
    // worker, never a slow one.
    let recording = false;
    let renewing = false;
    const heartbeat = setInterval(() => {
      if (renewing) return;
      renewing = true;
      extendLease(this.#database, job, this.#leaseMs)
        .then(
          (renewed) => {
            if (!renewed && !recording && !controller.signal.aborted) {
              this.#logger.warn(fields, 'job lease lost to another worker; aborting its handler');
              controller.abort(new LeaseLostError());
            }
          },
          (error: unknown) => {
            this.#logger.warn({ ...fields, error: errorText(error) }, 'could not renew job lease; will try again');
          },
        )
        .finally(() => {
          renewing = false;
        });
    }, Math.max(1, Math.floor(this.#leaseMs / 3)));
    try {
      let failure: unknown;
      let failed = false;
      try {
        await this.#execute(job, controller, fields);
      } catch (error) {
        failed = true;
        failure = error;
      }
      recording = true;
      if (!failed) {
        if (await completeJob(this.#database, job)) {
          this.#logger.info(fields, 'job done');
          return 'done';
        }
        this.#logger.warn(fields, 'job finished, but another worker had taken it over; outcome not recorded');
        return 'lost';
      }
      const recorded = await failJob(this.#database, job, failure, this.#backoff ? { backoff: this.#backoff } : {});
      if (!recorded) {
        this.#logger.warn(
          { ...fields, error: jobErrorMessage(failure, job.payload) },
          'job failed, but another worker had taken it over; outcome not recorded',
        );
        return 'lost';
      }
      if (recorded.status === 'dead') {
        this.#logger.error({ ...fields, error: recorded.lastError }, 'job failed its last attempt and is dead');
        return 'dead';
      }
      this.#logger.warn({ ...fields, error: recorded.lastError, retryAt: recorded.runAt }, 'job failed; will retry');
      return 'retrying';
    } catch (error) {
      // Only the outcome write can land here. The job stays claimed until its lease lapses, then runs again.
      this.#logger.error(
        { ...fields, error: errorText(error) },
        'could not record the outcome of a job; it will run again after its lease lapses',
      );
      return 'lost';
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Checks the job against this build's definition and runs its handler under the timeout. */
  async #execute(job: ClaimedJob, controller: AbortController, fields: Record<string, unknown>): Promise<void> {
    const definition = this.#registry.require(job.kind);
    if (job.version !== definition.version) throw new JobVersionError(job.kind, job.version, definition.version);
    const parsed = definition.payloadSchema.safeParse(job.payload);
    if (!parsed.success) throw new JobPayloadError(job.kind, parsed.error.issues);
    const timer = setTimeout(() => controller.abort(new JobTimeoutError(this.#jobTimeoutMs)), this.#jobTimeoutMs);
    try {
      const handler = await this.#registry.loadHandler(job.kind);
      const work = Promise.resolve().then(() =>
        handler({
          job: { id: job.id, kind: job.kind, payload: parsed.data, attempt: job.attempts },
          signal: controller.signal,
          logger: this.#logger,
        }),
      );
      await untilSettledOrAborted(work, controller.signal, (late) => {
        // Expected after an abort; a long `settledAfterAbortMs` points at a handler that ignores its signal.
        this.#logger.info(
          {
            ...fields,
            settledAfterAbortMs: late.afterMs,
            ...(late.failed ? { error: jobErrorMessage(late.error, job.payload) } : {}),
          },
          'aborted job handler has now stopped',
        );
      });
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it fires: a handler that ignores
 * its signal must not hold the worker. If `work` settles after that, `onLate` hears of it.
 */
function untilSettledOrAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  onLate: (late: { afterMs: number } & ({ failed: false } | { failed: true; error: unknown })) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let abortedAt: number | undefined;
    const onAbort = () => {
      abortedAt = Date.now();
      reject(signal.reason);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (abortedAt === undefined) resolve(value);
        else onLate({ afterMs: Date.now() - abortedAt, failed: false });
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (abortedAt === undefined) reject(error);
        else onLate({ afterMs: Date.now() - abortedAt, failed: true, error });
      },
    );
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
