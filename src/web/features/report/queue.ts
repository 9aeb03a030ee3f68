import { ApiError } from '../../api/client';
import type { PowChallengeAnswer, ReportContent, ReportRequestBody, SubmittedReport } from '../../api/public-reports';

/*
 * The send queue of public reports, without I/O of its own: the store, the server and the proof-of-work
 * solver are handed in, so the rules can be tested with fakes. The rules:
 *
 * - A report is queued with its Idempotency-Key and receipt secret chosen once, on this device, and
 *   every attempt sends the same two. If an answer is lost on the way back, the retry gets the same
 *   receipt (the server answers 200 for a key it has seen) instead of filing the report twice.
 * - The proof of work is solved just before each attempt, because challenges expire; a refused one
 *   (POW_INVALID) is replaced by a new challenge at once, a few times.
 * - A failure that may pass (no connection, a server error, "too many requests") waits before the next
 *   try, longer each time; one that will not pass (the server refused a field) stops, kept for the
 *   reporter to see, never silently dropped.
 */

/** A receipt: what the reporter needs to follow the report later, and nothing of its content. */
export interface Receipt {
  receiptCode: string;
  secret: string;
  submittedAt: string;
}

export type SendProblem = 'network' | 'rate_limited' | 'server' | 'proof_of_work';

export interface QueuedReport {
  /** The Idempotency-Key, which also names the item in the store. */
  id: string;
  receiptSecret: string;
  content: ReportContent;
  queuedAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastProblem?: SendProblem;
  /** Set when the server refused the report as it is: the fields it named. Never retried. */
  rejected?: { fields: string[] };
}

/** Where queued reports and receipts are kept (IndexedDB in the browser, a fake in tests). */
export interface QueueStore {
  listQueued(): Promise<QueuedReport[]>;
  putQueued(item: QueuedReport): Promise<void>;
  removeQueued(id: string): Promise<void>;
  /** Drops the sent item and keeps its receipt, in one step, so neither can be lost alone. */
  completeQueued(id: string, receipt: Receipt): Promise<void>;
}

export interface QueueServer {
  challenge(): Promise<PowChallengeAnswer>;
  submit(idempotencyKey: string, body: ReportRequestBody): Promise<SubmittedReport>;
}

/** Finds the nonce for a challenge (in a worker in the browser); `onProgress` gets a share 0..1. */
export type PowSolver = (challenge: PowChallengeAnswer, onProgress?: (share: number) => void) => Promise<string>;

export interface QueueDependencies {
  store: QueueStore;
  server: QueueServer;
  solve: PowSolver;
  now?: () => number;
  random?: () => number;
  /** What the queue is doing, for the page to say. */
  onActivity?: (activity: QueueActivity) => void;
}

export type QueueActivity =
  | { kind: 'solving'; id: string; share: number }
  | { kind: 'sending'; id: string }
  | { kind: 'sent'; id: string; receipt: Receipt }
  | { kind: 'waiting'; id: string; problem: SendProblem; until: number }
  | { kind: 'rejected'; id: string; fields: string[] };

export const MIN_RETRY_DELAY_MS = 5_000;
export const MAX_RETRY_DELAY_MS = 10 * 60_000;
const POW_ATTEMPTS = 3;

/** 32 random bytes as base64url without padding: 43 characters. */
export function newReceiptSecret(randomBytes: (length: number) => Uint8Array = cryptoRandomBytes): string {
  return base64url(randomBytes(32));
}

/** A fresh Idempotency-Key (a UUID; 36 characters, inside the 8–100 the server accepts). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts; random bytes do everywhere.
  return base64url(cryptoRandomBytes(18));
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function cryptoRandomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** Puts a report in the queue, due now, with its key and secret fixed for every attempt to come. */
export async function enqueueReport(
  store: QueueStore,
  content: ReportContent,
  options: { now?: number; idempotencyKey?: string; receiptSecret?: string } = {},
): Promise<QueuedReport> {
  const at = new Date(options.now ?? Date.now()).toISOString();
  const item: QueuedReport = {
    id: options.idempotencyKey ?? newIdempotencyKey(),
    receiptSecret: options.receiptSecret ?? newReceiptSecret(),
    content,
    queuedAt: at,
    attempts: 0,
    nextAttemptAt: at,
  };
  await store.putQueued(item);
  return item;
}

/**
 * The wait after `attempts` failed tries: doubling from 5 s up to 10 min, with jitter (half to all
 * of it) so that many phones coming back online together do not all knock at the same second.
 */
export function retryDelay(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, MIN_RETRY_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

type Outcome =
  | { kind: 'sent'; receipt: Receipt }
  | { kind: 'retry'; problem: SendProblem; retryAfterMs?: number }
  | { kind: 'rejected'; fields: string[] };

/** What an error means for the queue: try again later (and when), or never as it is. */
export function classifyFailure(error: unknown): Exclude<Outcome, { kind: 'sent' }> {
  if (!(error instanceof ApiError)) return { kind: 'retry', problem: 'server' };
  if (error.code === 'NETWORK') return { kind: 'retry', problem: 'network' };
  if (error.code === 'RATE_LIMITED') {
    const seconds = error.retryAfterSeconds;
    return { kind: 'retry', problem: 'rate_limited', ...(seconds ? { retryAfterMs: seconds * 1000 } : {}) };
  }
  if (error.code === 'POW_INVALID') return { kind: 'retry', problem: 'proof_of_work' };
  // 408 and 409 (the same key still being processed) pass; so does anything from the server's side.
  if (error.status >= 500 || error.status === 408 || error.status === 409 || error.status === 0) {
    return { kind: 'retry', problem: 'server' };
  }
  if (error.code === 'UNEXPECTED') return { kind: 'retry', problem: 'server' };
  return { kind: 'rejected', fields: error.fieldProblems.map((problem) => problem.field) };
}

/** One attempt at one report: fresh challenge, solve, send; a refused challenge is replaced at once. */
async function attempt(item: QueuedReport, deps: QueueDependencies): Promise<Outcome> {
  let last: Exclude<Outcome, { kind: 'sent' }> = { kind: 'retry', problem: 'proof_of_work' };
  for (let round = 0; round < POW_ATTEMPTS; round++) {
    try {
      deps.onActivity?.({ kind: 'solving', id: item.id, share: 0 });
      const challenge = await deps.server.challenge();
      const nonce = await deps.solve(challenge, (share) => deps.onActivity?.({ kind: 'solving', id: item.id, share }));
      deps.onActivity?.({ kind: 'sending', id: item.id });
      const answer = await deps.server.submit(item.id, {
        ...item.content,
        pow: { challenge: challenge.challenge, nonce },
        receiptSecret: item.receiptSecret,
      });
      return {
        kind: 'sent',
        receipt: { receiptCode: answer.receiptCode, secret: item.receiptSecret, submittedAt: answer.submittedAt },
      };
    } catch (error) {
      last = classifyFailure(error);
      if (last.kind !== 'retry' || last.problem !== 'proof_of_work') return last;
    }
  }
  return last;
}

export interface FlushResult {
  sent: Receipt[];
  /** Items still waiting (not rejected). */
  waiting: number;
  rejected: number;
  /** When the earliest waiting item is due, in ms since the epoch; undefined when none waits. */
  nextAttemptAt?: number;
}

/**
 * Sends every due item, oldest first. `force` ignores the waits (the reporter pressed "retry", or the
 * connection just came back). A lost connection stops the round: the others would fail the same way.
 */
export async function flushQueue(deps: QueueDependencies, options: { force?: boolean } = {}): Promise<FlushResult> {
  const now = deps.now ?? Date.now;
  const items = (await deps.store.listQueued()).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  const sent: Receipt[] = [];
  let offline = false;
  for (const item of items) {
    if (item.rejected || offline) continue;
    if (!options.force && Date.parse(item.nextAttemptAt) > now()) continue;
    const outcome = await attempt(item, deps);
    if (outcome.kind === 'sent') {
      await deps.store.completeQueued(item.id, outcome.receipt);
      sent.push(outcome.receipt);
      deps.onActivity?.({ kind: 'sent', id: item.id, receipt: outcome.receipt });
    } else if (outcome.kind === 'rejected') {
      await deps.store.putQueued({ ...item, attempts: item.attempts + 1, rejected: { fields: outcome.fields } });
      deps.onActivity?.({ kind: 'rejected', id: item.id, fields: outcome.fields });
    } else {
      const attempts = item.attempts + 1;
      const wait = Math.max(outcome.retryAfterMs ?? 0, retryDelay(attempts, deps.random));
      const until = now() + wait;
      await deps.store.putQueued({
        ...item,
        attempts,
        nextAttemptAt: new Date(until).toISOString(),
        lastProblem: outcome.problem,
      });
      deps.onActivity?.({ kind: 'waiting', id: item.id, problem: outcome.problem, until });
      offline = outcome.problem === 'network';
    }
  }
  const rest = await deps.store.listQueued();
  const waiting = rest.filter((item) => !item.rejected);
  const due = waiting.map((item) => Date.parse(item.nextAttemptAt));
  return {
    sent,
    waiting: waiting.length,
    rejected: rest.length - waiting.length,
    ...(due.length > 0 ? { nextAttemptAt: Math.min(...due) } : {}),
  };
}
