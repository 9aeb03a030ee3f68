import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/client.js';
import type { DB, OutboxJobRow, OutboxStatus } from '../db/schema.js';
import type { JobRegistry } from './registry.js';

/**
 * The outbox: side effects (e-mail, webhooks, feeds) are rows written in the same transaction as the
 * change that causes them, and a worker claims them under a lease. Every function that records a
 * worker's outcome is fenced by the claim token that `claimJobs` handed out, so a worker whose lease
 * lapsed and whose job was claimed again can no longer change that job.
 */

/** A job to put in the outbox; `kind` must be in the registry and `payload` must fit its schema. */
export interface NewJob {
  kind: string;
  payload: unknown;
  /** Not before this time; default: now (the enqueuing transaction's start). */
  runAt?: Date;
  /**
   * Makes enqueueing idempotent: a second job with the same key is not written. The key stays taken
   * after the job is done, so it means "at most once ever", e.g. `alert-email:<alert id>:<user id>`.
   */
  dedupeKey?: string;
  /** Default: the registry's `defaultMaxAttempts` (VIGIA_OUTBOX_MAX_ATTEMPTS). */
  maxAttempts?: number;
}

/** A payload that does not fit its kind's schema; the message names the fields but never their values. */
export class JobPayloadError extends Error {
  override name = 'JobPayloadError';
  constructor(
    readonly kind: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(
      `Invalid payload for job kind '${kind}': ` +
        issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(payload)'}: ${issue.message}`).join('; '),
    );
  }
}

/**
 * Writes a job into the outbox through `executor`, which should be the transaction that makes the
 * change the job reports on, so that the job exists if and only if the change committed. Returns the
 * new job's id, or null when a job with the same `dedupeKey` already exists.
 */
export async function enqueue(executor: Kysely<DB>, job: NewJob, registry: JobRegistry): Promise<number | null> {
  const definition = registry.require(job.kind);
  const parsed = definition.payloadSchema.safeParse(job.payload);
  if (!parsed.success) throw new JobPayloadError(job.kind, parsed.error.issues);
  const stored = JSON.stringify(parsed.data);
  // A schema whose output is not plain JSON (a Date, a Map, a transform) would store something the
  // worker cannot parse back; better to fail here, in the commit that introduced it, than at run time.
  const reparsed = definition.payloadSchema.safeParse(JSON.parse(stored));
  if (!reparsed.success) {
    throw new Error(
      `The payload schema of job kind '${job.kind}' does not survive a JSON round trip ` +
        `(${reparsed.error.issues.map((issue) => issue.path.join('.') || '(payload)').join(', ')}); ` +
        'payload schemas must describe plain JSON.',
    );
  }
  const maxAttempts = job.maxAttempts ?? registry.defaultMaxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new Error(`maxAttempts must be a positive integer, not ${maxAttempts}`);
  }
  const row = await executor
    .insertInto('outbox_jobs')
    .values({
      kind: job.kind,
      version: definition.version,
      payload: stored,
      max_attempts: maxAttempts,
      ...(job.runAt ? { run_at: job.runAt } : {}),
      dedupe_key: job.dedupeKey ?? null,
    })
    .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A job a worker holds under a lease; pass it back to `completeJob`, `failJob` and `extendLease`. */
export interface ClaimedJob {
  readonly id: number;
  readonly kind: string;
  readonly version: number;
  /** As stored; the worker parses it with the kind's schema before a handler sees it. */
  readonly payload: unknown;
  /** Counting this one: 1 on the first attempt. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** Proves this claim is still the current one; a new claim of the same job gets a new token. */
  readonly claimToken: string;
  readonly lockedBy: string;
  readonly lockedUntil: Date;
  readonly runAt: Date;
  readonly createdAt: Date;
}

/** What a worker asks `claimJobs` for. */
export interface ClaimOptions {
  /** Recorded in `locked_by`, so an operator can see which process holds a job. */
  workerId: string;
  limit: number;
  /** How long the claim lasts unless renewed with `extendLease`. */
  leaseMs: number;
  /** Only these kinds (a worker dedicated to some kinds); default: every kind. */
  kinds?: readonly string[];
}

// Lease ends and retry times come from the database's clock, so workers on hosts whose clocks
// disagree still agree on when a lease has lapsed.
const msFromNow = (ms: number) => sql<Date>`now() + ${ms}::double precision * interval '1 millisecond'`;

/**
 * Claims up to `limit` due jobs: pending ones whose time has come, and running ones whose lease
 * lapsed (their worker died). Each comes back with a fresh claim token and one more attempt counted.
 * A lapsed job that already used its last attempt is marked dead instead of run again, so a job that
 * kills its worker every time cannot loop forever.
 *
 * On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets concurrent workers claim disjoint batches without
 * waiting on each other. On the embedded engine the same statement is correct for a different reason:
 * the driver serializes all access to its single connection, so no two claims ever overlap and
 * SKIP LOCKED simply never has anything to skip.
 */
export async function claimJobs(database: Database, options: ClaimOptions): Promise<ClaimedJob[]> {
  if (!Number.isInteger(options.limit) || options.limit < 1) {
    throw new Error(`limit must be a positive integer, not ${options.limit}`);
  }
  if (!(options.leaseMs > 0)) throw new Error(`leaseMs must be positive, not ${options.leaseMs}`);
  const kinds = options.kinds;
  if (kinds && kinds.length === 0) return [];

  await database.db
    .updateTable('outbox_jobs')
    .set({
      status: 'dead',
      last_error: sql<string>`'Lease of worker ' || coalesce(locked_by, '?') || ' expired during attempt '
        || attempts || ' of ' || max_attempts || ' without an outcome (the worker stopped or lost the database)'`,
      ...claimReleased(),
    })
    .where('status', '=', 'running')
    .where('locked_until', '<', sql<Date>`now()`)
    .whereRef('attempts', '>=', 'max_attempts')
    .$if(kinds !== undefined, (query) => query.where('kind', 'in', kinds!))
    .execute();

  const rows = await database.db
    .updateTable('outbox_jobs')
    .set({
      status: 'running',
      claim_token: sql<string>`gen_random_uuid()`,
      locked_by: options.workerId,
      locked_until: msFromNow(options.leaseMs),
      attempts: sql<number>`attempts + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox_jobs')
        .select('id')
        .where((w) =>
          w.or([
            w.and([w('status', '=', 'pending'), w('run_at', '<=', sql<Date>`now()`)]),
            w.and([
              w('status', '=', 'running'),
              w('locked_until', '<', sql<Date>`now()`),
              w('attempts', '<', w.ref('max_attempts')),
            ]),
          ]),
        )
        .$if(kinds !== undefined, (query) => query.where('kind', 'in', kinds!))
        .orderBy('run_at')
        .orderBy('id')
        .limit(options.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
  return rows.map(toClaimedJob).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

function toClaimedJob(row: OutboxJobRow): ClaimedJob {
  if (row.claim_token === null || row.locked_by === null || row.locked_until === null) {
    throw new Error(`Claimed job ${row.id} came back without its claim`);
  }
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    claimToken: row.claim_token,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    runAt: row.run_at,
    createdAt: row.created_at,
  };
}

type Claim = Pick<ClaimedJob, 'id' | 'claimToken'>;

/** Marks a claimed job done; false when the claim is no longer current (the job was claimed again). */
export async function completeJob(database: Database, job: Claim): Promise<boolean> {
  const result = await underClaim(database, job)
    .set({ status: 'done', completed_at: sql<Date>`now()`, ...claimReleased() })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** An update that applies only while `job`'s claim is the current one: the fence every outcome passes. */
function underClaim(database: Database, job: Claim) {
  return database.db
    .updateTable('outbox_jobs')
    .where('id', '=', job.id)
    .where('claim_token', '=', job.claimToken)
    .where('status', '=', 'running');
}

// The columns that say a worker holds the job, cleared once it no longer does.
function claimReleased() {
  return { claim_token: null, locked_by: null, locked_until: null, updated_at: sql<Date>`now()` };
}

/** How long a failed job waits before its next attempt. */
export interface BackoffPolicy {
  /** The wait after the first failed attempt; it doubles after each further one. */
  baseMs: number;
  /** The longest wait, however many attempts failed. */
  capMs: number;
  /** Spread, as a fraction of the wait (0.2 = ±20 %), so jobs that failed together do not retry together. */
  jitter: number;
}

/** 1 s, 2 s, 4 s … up to 15 minutes, ±20 %: a brief outage costs seconds, a long one is not hammered. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 1_000, capMs: 15 * 60_000, jitter: 0.2 });

/** The wait before retrying after failed attempt number `attempt` (1-based). */
export function retryDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random): number {
  const exponential = Math.min(policy.baseMs * 2 ** Math.max(0, attempt - 1), policy.capMs);
  return Math.max(0, Math.round(exponential * (1 + policy.jitter * (2 * random() - 1))));
}

/** Stored errors are kept short: enough to diagnose, not a place for whole responses or dumps. */
export const LAST_ERROR_MAX_CHARS = 4_000;

// Payload strings shorter than this are not scrubbed from messages: they are too likely to be
// ordinary words, and too short to identify anyone.
const SCRUB_MIN_LENGTH = 4;

/**
 * The text recorded and logged for a failed attempt: error name and message (and causes), with every
 * string value of the payload replaced, since payloads may hold names or contacts and an error message
 * often quotes its input (an SMTP server rejecting an address, say). Truncated to a few KB.
 */
export function jobErrorMessage(error: unknown, payload: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  let text = parts.join(' (caused by ') + ')'.repeat(parts.length - 1);
  const secrets = [...new Set(payloadStrings(payload))]
    .filter((value) => value.length >= SCRUB_MIN_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of secrets) text = text.split(secret).join('[payload]');
  return text.length > LAST_ERROR_MAX_CHARS ? `${text.slice(0, LAST_ERROR_MAX_CHARS - 1)}…` : text;
}

function payloadStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(payloadStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(payloadStrings);
  return [];
}

/** What `failJob` recorded: retry at `runAt`, or dead after its last attempt. */
export interface FailedJob {
  status: 'pending' | 'dead';
  runAt: Date;
  lastError: string;
}

/**
 * Records a failed attempt: the job waits (exponential backoff with jitter) and runs again, or, after
 * its last attempt, is marked dead with the error kept for an operator. False when the claim is no
 * longer current.
 */
export async function failJob(
  database: Database,
  job: Pick<ClaimedJob, 'id' | 'claimToken' | 'attempts' | 'payload'>,
  error: unknown,
  options: { backoff?: BackoffPolicy } = {},
): Promise<FailedJob | false> {
  const lastError = jobErrorMessage(error, job.payload);
  const delayMs = retryDelayMs(job.attempts, options.backoff);
  // Whether this was the last attempt is decided from the row itself, not from the caller's copy.
  const row = await underClaim(database, job)
    .set({
      status: sql<OutboxStatus>`case when attempts >= max_attempts then 'dead' else 'pending' end`,
      run_at: sql<Date>`case when attempts >= max_attempts then run_at else ${msFromNow(delayMs)} end`,
      last_error: lastError,
      ...claimReleased(),
    })
    .returning(['status', 'run_at', 'last_error'])
    .executeTakeFirst();
  if (!row) return false;
  return { status: row.status === 'dead' ? 'dead' : 'pending', runAt: row.run_at, lastError: row.last_error ?? lastError };
}

/** Pushes a claimed job's lease `leaseMs` into the future; false when the claim is no longer current. */
export async function extendLease(database: Database, job: Claim, leaseMs: number): Promise<boolean> {
  const result = await underClaim(database, job)
    .set({ locked_until: msFromNow(leaseMs), updated_at: sql<Date>`now()` })
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Counts of jobs, for `vigia` tools and health checks: how much is waiting, and what died. */
export interface OutboxSummary {
  byStatus: Record<OutboxStatus, number>;
  byKind: Array<{ kind: string; status: OutboxStatus; count: number }>;
}

/** How many jobs there are per status, and per kind and status. */
export async function outboxSummary(database: Database): Promise<OutboxSummary> {
  const rows = await database.db
    .selectFrom('outbox_jobs')
    .select(['kind', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['kind', 'status'])
    .orderBy('kind')
    .orderBy('status')
    .execute();
  const byStatus: Record<OutboxStatus, number> = { pending: 0, running: 0, done: 0, dead: 0 };
  for (const row of rows) byStatus[row.status] += row.count;
  return { byStatus, byKind: rows };
}

/**
 * Gives a dead job a fresh set of attempts, due now (after the cause was fixed). Its last error stays
 * until the next attempt replaces it. False when there is no dead job with this id.
 */
export async function retryDeadJob(database: Database, id: number): Promise<boolean> {
  const result = await database.db
    .updateTable('outbox_jobs')
    .set({ status: 'pending', attempts: 0, run_at: sql<Date>`now()`, completed_at: null, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
