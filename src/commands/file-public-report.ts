import { createHmac } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { appendAuditBatch } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { groupCommit, ItemRefused } from '../db/group-commit.js';
import type { DB } from '../db/schema.js';
import { countHourlyHits, lockHourlyHits, purgeOldHits, spendChallenges } from '../db/repositories/intake.repository.js';
import { cachedCodeLookup, type CodeLookup } from '../db/repositories/vocabulary-check.js';
import { checkSolution, type Challenge } from '../domain/proof-of-work.js';
import { hashReceiptSecret } from '../domain/receipts.js';
import type { ReportBase } from '../domain/report.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { assertReportCodes, replayOf, reportRow, type FiledReport } from './report-intake.js';

/** One anonymous report request: the report and what it carries besides. */
export interface PublicReportRequest {
  report: ReportBase;
  organizationId: string | undefined;
  pow: { challenge: string; nonce: string };
  receiptSecret: string;
  idempotencyKey: string | null;
  /** The client address: used only through a keyed hash, never stored or logged. */
  ip: string;
}

export interface PublicReportIntakeDeps {
  database: Database;
  keyring: Keyring;
  config: Config;
}

/** The purpose under which proof-of-work challenges are signed. */
export const POW_KEY_PURPOSE = 'public-report-pow';

/** Reports one intake transaction takes at most; the rest wait for the next. */
const MAX_REPORTS_PER_COMMIT = 200;

/**
 * The anonymous intake of a server: `fileReport(request)` files a report (or answers an earlier identical
 * request's receipt) and resolves once the report is committed, never before.
 *
 * Every filed report appends to the audit chain, whose head admits one transaction at a time, so under a
 * flood each report would wait for every commit before its own. Reports that arrive while a commit is
 * under way are therefore filed together in the next transaction (group commit, src/db/group-commit.ts):
 * one replay lookup, one spend of the proofs of work, one throttle check per address, one insert and one
 * audit append for the whole group. Each report is still checked and refused on its own: a refused report
 * costs the others nothing.
 *
 * The cheap checks that need no transaction run first, for each request on its own: the proof of work
 * (the check a flood fails) and the vocabulary codes and places (reference data, fixed while the server runs,
 * so read once and checked from memory).
 */
export function publicReportIntake(deps: PublicReportIntakeDeps): (request: PublicReportRequest) => Promise<FiledReport> {
  const codes = cachedCodeLookup(deps.database.db);
  const submit = groupCommit<Checked, FiledReport>({ run: (items) => fileTogether(deps, items), maxBatch: MAX_REPORTS_PER_COMMIT });
  return async (request) => submit(await checkAlone(deps, codes, request));
}

/**
 * Files these requests as one group, in one transaction: what the intake does with requests that arrive
 * while a commit is under way. Answers, in order, each one's receipt or the error that refused it alone.
 */
export async function filePublicReportsTogether(deps: PublicReportIntakeDeps, requests: readonly PublicReportRequest[]): Promise<Outcome[]> {
  const codes = cachedCodeLookup(deps.database.db);
  const checked = await Promise.all(requests.map((request) => checkAlone(deps, codes, request).catch((error: unknown) => new ItemRefused(error))));
  const filed = await fileTogether(deps, checked.filter((c): c is Checked => !(c instanceof ItemRefused)));
  let n = 0;
  return checked.map((c) => (c instanceof ItemRefused ? c : filed[n++]!));
}

/** The checks that need no transaction: the proof of work, then the codes and places. */
async function checkAlone(deps: PublicReportIntakeDeps, codes: CodeLookup, request: PublicReportRequest): Promise<Checked> {
  if (deps.config.intake.powBits === 0) {
    await assertReportCodes(codes, request.report);
    return { request, challenge: null, powRefusal: null };
  }
  const checked = checkSolution(deps.keyring.derivedKey(POW_KEY_PURPOSE), request.pow.challenge, request.pow.nonce, deps.config.intake.powBits, new Date());
  if (!checked.ok) {
    // A retry of a filed report carries its spent challenge: the group answers a replay before looking at the proof.
    if (!request.idempotencyKey) throw powInvalid(checked.reason);
    return { request, challenge: null, powRefusal: checked.reason };
  }
  await assertReportCodes(codes, request.report);
  return { request, challenge: checked.challenge, powRefusal: null };
}

/** A request that passed the checks made outside the transaction (or whose proof of work failed but may be a replay). */
interface Checked {
  request: PublicReportRequest;
  challenge: Challenge | null;
  /** Why the proof of work was refused: the request can then only be a replay. */
  powRefusal: string | null;
}

/** A request's receipt, or the error that refused it alone. */
export type Outcome = FiledReport | ItemRefused;

/** Files a group of reports in one transaction; answers each one's receipt or the error that refused it. */
async function fileTogether(deps: PublicReportIntakeDeps, items: readonly Checked[]): Promise<Outcome[]> {
  const { database, keyring, config } = deps;
  try {
    return await database.transaction((trx) => fileGroup(trx, keyring, config, items));
  } catch (error) {
    // Another server filed a report with the same Idempotency-Key at the same moment: the group is refused
    // as a whole (nothing of it was stored), so each report is filed again in a group of its own, and the
    // one whose key collided answers as the replay it now is.
    if (items.length > 1 && isIdempotencyKeyRace(error)) {
      return Promise.all(items.map(async (item) => (await fileTogether(deps, [item]))[0]!));
    }
    if (items.length === 1 && isIdempotencyKeyRace(error)) {
      const { request } = items[0]!;
      const replay = await lookUpReplays(database.db, [request]);
      const found = replay.get(request.idempotencyKey!);
      if (found) return [answerReplay(found, request)];
    }
    throw error;
  }
}

async function fileGroup(trx: Transaction<DB>, keyring: Keyring, config: Config, items: readonly Checked[]): Promise<Outcome[]> {
  const outcomes: Array<Outcome | undefined> = new Array(items.length);
  const refuse = (i: number, error: unknown) => (outcomes[i] = new ItemRefused(error));
  const pending = () => items.map((_, i) => i).filter((i) => outcomes[i] === undefined);

  // 1. Replays: a key already filed answers its receipt (or a conflict for another secret); a key that
  //    appears twice in the group is filed once, and the later requests answer as its replays.
  const earlier = await lookUpReplays(trx, items.map((item) => item.request));
  const firstWithKey = new Map<string, number>();
  const followers: Array<{ index: number; leader: number }> = [];
  for (const i of pending()) {
    const { request } = items[i]!;
    const key = request.idempotencyKey;
    if (!key) continue;
    const found = earlier.get(key);
    if (found) outcomes[i] = answerReplay(found, request);
    else if (firstWithKey.has(key)) followers.push({ index: i, leader: firstWithKey.get(key)! });
    else firstWithKey.set(key, i);
  }
  for (const { index } of followers) outcomes[index] = WAITS_FOR_LEADER;
  for (const i of pending()) {
    const refusal = items[i]!.powRefusal;
    if (refusal !== null) refuse(i, powInvalid(refusal));
  }

  // 2. Each proof of work files one report: spend the challenges; one already spent refuses its report.
  if (config.intake.powBits > 0) {
    const spending = pending().filter((i) => items[i]!.challenge);
    const spent = await spendChallenges(trx, spending.map((i) => items[i]!.challenge!));
    // A challenge sent twice in one group files the first of its reports only.
    for (const i of spending) {
      const id = items[i]!.challenge!.id;
      if (spent.has(id)) spent.delete(id);
      else refuse(i, powInvalid('spent'));
    }
  }

  // 3. The receiving network of each report.
  const accepting = (await trx
    .selectFrom('organizations')
    .select('id')
    .where('accepts_public_reports', '=', true)
    .where('archived_at', 'is', null)
    .execute()).map((o) => o.id);
  const receiver = new Map<number, string>();
  for (const i of pending()) {
    try {
      receiver.set(i, receivingOrganization(accepting, items[i]!.request.organizationId));
    } catch (error) {
      refuse(i, error);
    }
  }

  // 4. The hourly limit per address, in arrival order; only reports filed count against it.
  const byBucket = new Map<string, number[]>();
  for (const i of pending()) {
    const bucket = addressBucket(keyring, 'report', items[i]!.request.ip);
    if (byBucket.has(bucket)) byBucket.get(bucket)!.push(i);
    else byBucket.set(bucket, [i]);
  }
  const counted = new Map<string, number>();
  for (const [bucket, indexes] of byBucket) {
    const hits = await lockHourlyHits(trx, bucket);
    const room = Math.max(0, config.intake.reportsPerHourPerAddress - hits.count);
    indexes.slice(room).forEach((i) =>
      refuse(i, new AppError('RATE_LIMITED', 'Too many reports from this connection in the last hour: try again later.', { retryAfterSeconds: hits.retryAfterSeconds })),
    );
    counted.set(bucket, Math.min(room, indexes.length));
  }
  // A challenge spent by a report the limit then refused is given back, as a rollback would have.
  const unspend = items.flatMap((item, i) => (outcomes[i] instanceof ItemRefused && item.challenge && isRateLimited(outcomes[i]) ? [item.challenge.id] : []));
  if (unspend.length > 0) await trx.deleteFrom('spent_challenges').where('challenge_id', 'in', unspend).execute();

  // 5. The reports, sealed under each receiving network's key, and one audit entry each.
  const filing = pending();
  const sealers = new Map<string, Awaited<ReturnType<Keyring['jsonSealer']>>>();
  for (const organizationId of new Set(filing.map((i) => receiver.get(i)!))) sealers.set(organizationId, await keyring.jsonSealer(trx, organizationId));
  if (filing.length > 0) {
    const rows = filing.map((i) => {
      const { request } = items[i]!;
      const organizationId = receiver.get(i)!;
      return reportRow(sealers.get(organizationId)!, {
        organizationId,
        channel: 'public',
        base: request.report,
        idempotencyKey: request.idempotencyKey,
        secretHash: hashReceiptSecret(request.receiptSecret),
        submittedBy: null,
      });
    });
    const inserted = await trx.insertInto('reports').values(rows).returning(['id', 'receipt_code', 'created_at']).execute();
    const byId = new Map(inserted.map((row) => [row.id, row]));
    filing.forEach((i, n) => {
      const row = byId.get(rows[n]!.id)!;
      outcomes[i] = { id: row.id, receiptCode: row.receipt_code, submittedAt: row.created_at, replayed: false };
    });
    await appendAuditBatch(
      trx,
      filing.map((i) => ({
        actorType: 'anonymous' as const,
        organizationId: receiver.get(i)!,
        action: 'report.filed' as const,
        subjectType: 'report',
        subjectId: (outcomes[i] as FiledReport).id,
        details: { channel: 'public' },
      })),
    );
    for (const [bucket, n] of counted) if (n > 0) await countHourlyHits(trx, bucket, n);
  }
  if (Math.random() < 0.01) await purgeOldHits(trx);

  // 6. A later request with the same key as one filed (or refused) in this group answers like it.
  for (const { index, leader } of followers) {
    const filed = outcomes[leader]!;
    outcomes[index] =
      filed instanceof ItemRefused
        ? filed
        : answerReplay(
            { id: filed.id, receipt_code: filed.receiptCode, created_at: filed.submittedAt, secret_hash: hashReceiptSecret(items[leader]!.request.receiptSecret) },
            items[index]!.request,
          );
  }
  return outcomes.map((outcome) => outcome!);
}

/** The outcome of a request whose key an earlier request of the group carries, until that one is settled (step 6). */
const WAITS_FOR_LEADER = new ItemRefused(new Error('settled with the first request that carries its Idempotency-Key'));

/** The reports already filed with these requests' Idempotency-Keys, by key. */
async function lookUpReplays(db: Kysely<DB>, requests: readonly PublicReportRequest[]) {
  const keys = [...new Set(requests.flatMap((r) => (r.idempotencyKey ? [r.idempotencyKey] : [])))];
  if (keys.length === 0) return new Map<string, { id: string; receipt_code: string; secret_hash: string; created_at: Date }>();
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'receipt_code', 'secret_hash', 'created_at', 'idempotency_key'])
    .where('idempotency_key', 'in', keys)
    .execute();
  return new Map(rows.map((row) => [row.idempotency_key!, row]));
}

/** `replayOf` as an outcome: the receipt, or the conflict that refuses this request alone. */
function answerReplay(found: Parameters<typeof replayOf>[0], request: PublicReportRequest): Outcome {
  try {
    return replayOf(found, request.receiptSecret);
  } catch (error) {
    return new ItemRefused(error);
  }
}

/** The network a public report goes to: the one named, or the only one that takes public reports. */
function receivingOrganization(accepting: readonly string[], requested: string | undefined): string {
  if (requested) {
    if (accepting.includes(requested)) return requested;
    throw new AppError('VALIDATION_FAILED', 'Invalid body: organizationId: names no organization that takes public reports', [
      { location: 'body', field: 'organizationId', message: 'names no organization that takes public reports' },
    ]);
  }
  if (accepting.length === 1) return accepting[0]!;
  if (accepting.length === 0) throw new AppError('SERVICE_UNAVAILABLE', 'No organization takes public reports on this instance yet.');
  throw new AppError('VALIDATION_FAILED', 'Invalid body: organizationId: choose which network receives the report', [
    { location: 'body', field: 'organizationId', message: 'choose which network receives the report (GET /api/v1/public/intake)' },
  ]);
}

/** A throttle bucket for an address: a keyed hash, so the table never holds an address. */
export function addressBucket(keyring: Keyring, purpose: string, ip: string): string {
  return `${purpose}:${createHmac('sha256', keyring.derivedKey('intake-address')).update(ip).digest('base64url').slice(0, 32)}`;
}

function isRateLimited(outcome: Outcome | undefined): boolean {
  return outcome instanceof ItemRefused && outcome.error instanceof AppError && outcome.error.code === 'RATE_LIMITED';
}

function powInvalid(reason: string): AppError {
  return new AppError('POW_INVALID', 'The proof-of-work challenge is expired, already used or not solved: get a new one and solve it.', { reason });
}

function isIdempotencyKeyRace(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | undefined;
  return e?.code === '23505' && String(e.constraint ?? e.message ?? '').includes('idempotency_key');
}
