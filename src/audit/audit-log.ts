import { sql, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../db/client.js';
import type { AuditActorType, AuditLogTable, DB } from '../db/schema.js';
import { canonicalJson, GENESIS_HASH, hashEntry, type HashedAuditFields } from './canonical.js';

/** A JSON value fit for `details`: ids, codes, counts and flags. */
export type AuditDetailValue =
  | string
  | number
  | boolean
  | null
  | AuditDetailValue[]
  | { [key: string]: AuditDetailValue };

/** What a caller records; the log adds the time, the place in the chain and the hashes. */
export interface AuditEntryInput {
  actorType: AuditActorType;
  actorId?: string | null;
  organizationId?: string | null;
  /** A dotted verb such as 'auth.sign_in.failed', 'membership.role_changed' or 'incident.read_sensitive'. */
  action: `${string}.${string}`;
  subjectType?: string | null;
  subjectId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  /**
   * Ids and codes only (`{ role: 'editor', previousRole: 'viewer' }`), never testimony, names, contacts
   * or any personal data: an entry can never be edited or deleted, so nothing written here can be
   * taken back out.
   */
  details?: { [key: string]: AuditDetailValue };
}

/** Where an append landed in the chain. */
export interface AuditAppendResult {
  seq: number;
  hash: string;
}

/** The audit log's head at a moment: an outside party that keeps it can later prove history up to `seq` unchanged. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  /** When the head was read (database clock). */
  at: Date;
}

/**
 * What was found wrong first, in the order `verifyAuditChain` meets it:
 * - `entry_missing`: a seq is absent, so an entry was deleted;
 * - `chain_relinked`: the entry's prev_hash is not the previous entry's hash, so entries were reordered
 *   or one was inserted (or the previous entry was rewritten together with its own hash);
 * - `entry_edited`: the entry's contents no longer give its hash, so it was changed after being written;
 * - `head_mismatch`: the head row disagrees with the last entry, so the newest entries were deleted
 *   (which leaves no gap) or appended around the log;
 * - `checkpoint_mismatch`: the chain is consistent but its entry at a kept checkpoint has a different
 *   hash, so history up to it was rewritten, hashes and all.
 */
export type AuditChainProblem =
  | 'entry_missing'
  | 'chain_relinked'
  | 'entry_edited'
  | 'head_mismatch'
  | 'checkpoint_mismatch';

/** The verdict of `verifyAuditChain`; `entries` counts the entries found intact (before the break, if any). */
export type AuditChainReport =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; firstBroken: { seq: number; problem: AuditChainProblem; message: string } };

/** Options for `verifyAuditChain`. */
export interface VerifyAuditChainOptions {
  /** Entries read per query; memory stays bounded by this whatever the log's length. */
  batchSize?: number;
  /** A head kept earlier (by `auditCheckpoint`); the entry at its seq must still have its hash. */
  checkpoint?: { seq: number; hash: string };
}

type AuditRow = Selectable<AuditLogTable>;

/**
 * Records one audited action INSIDE the caller's transaction, so that the entry commits or rolls back
 * with the change it describes (a rolled-back append leaves neither an entry nor a gap).
 *
 * The append locks the chain's head until the transaction ends: audited transactions queue on it, so
 * call this late in the transaction, once the work that can fail has been done. Under REPEATABLE READ
 * or SERIALIZABLE, a transaction that waited for the head fails with a serialization error; retry it.
 */
export async function appendAudit(trx: Transaction<DB>, entry: AuditEntryInput): Promise<AuditAppendResult> {
  const [result] = await appendAuditBatch(trx, [entry]);
  return result!;
}

/** Entries written per INSERT by `appendAuditBatch` (14 parameters each, far below PostgreSQL's 65,535). */
const AUDIT_ROWS_PER_STATEMENT = 1000;

/**
 * `appendAudit` for several entries at once (an import's incidents): one head lock, the entries chained
 * one to the next in the order given and written a thousand per statement, then one head move onto the
 * last. The chain is exactly what as many single appends would have written (same fields, same hashes),
 * so `verifyAuditChain` needs to know nothing about batches; migration 20261129T0500_audit_batch lets
 * the triggers accept an entry that extends one written earlier in the same transaction.
 */
export async function appendAuditBatch(trx: Transaction<DB>, entries: readonly AuditEntryInput[]): Promise<AuditAppendResult[]> {
  // Outside a transaction the head's lock would be released at once and two appends could collide.
  if (!trx.isTransaction) throw new TypeError('appendAudit must run inside a transaction (pass its `trx`)');
  if (entries.length === 0) return [];
  const head = await sql<{ seq: number; hash: string; now: Date }>`
    select seq, hash, date_trunc('milliseconds', clock_timestamp()) as now
    from audit_head where id for update`.execute(trx);
  const current = head.rows[0];
  if (!current) throw new Error('The audit log has no head row; was the audit_log migration applied?');

  let seq = Number(current.seq);
  let prevHash = current.hash;
  const rows = entries.map((entry) => {
    // The canonical text is what gets stored and its parse is what gets hashed, so both are the same JSON
    // (undefined already null, Dates already strings) and a verifier reading the row recomputes the same bytes.
    const detailsJson = canonicalJson(entry.details ?? {});
    seq += 1;
    const row: HashedAuditFields = {
      seq,
      occurred_at: current.now,
      actor_type: entry.actorType,
      actor_id: entry.actorId ?? null,
      organization_id: entry.organizationId ?? null,
      action: entry.action,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId ?? null,
      ip: entry.ip ?? null,
      user_agent: entry.userAgent ?? null,
      request_id: entry.requestId ?? null,
      details: JSON.parse(detailsJson) as unknown,
      prev_hash: prevHash,
    };
    prevHash = hashEntry(row);
    return { ...row, details: detailsJson, hash: prevHash };
  });
  // Rows of one INSERT ... VALUES reach the append trigger in the order listed, each seeing those before it.
  for (let i = 0; i < rows.length; i += AUDIT_ROWS_PER_STATEMENT) {
    await trx.insertInto('audit_log').values(rows.slice(i, i + AUDIT_ROWS_PER_STATEMENT)).execute();
  }
  const last = rows[rows.length - 1]!;
  await trx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', true).execute();
  return rows.map((r) => ({ seq: r.seq, hash: r.hash }));
}

/** Reads the current head, for an outside party to keep as a commitment to every entry up to it. */
export async function auditCheckpoint(database: Database): Promise<AuditCheckpoint> {
  const result = await sql<AuditCheckpoint>`select seq, hash, now() as at from audit_head where id`.execute(
    database.db,
  );
  const head = result.rows[0];
  if (!head) throw new Error('The audit log has no head row; was the audit_log migration applied?');
  return head;
}

/**
 * Recomputes the whole chain from its first entry, in seq order, a batch at a time, and names the first
 * entry that was changed, removed, moved or inserted. It reads one snapshot (a read-only REPEATABLE READ
 * transaction) so appends made meanwhile neither confuse it nor are half-seen; on the embedded engine
 * that transaction holds the only connection until the check is done.
 */
export async function verifyAuditChain(
  database: Database,
  options: VerifyAuditChainOptions = {},
): Promise<AuditChainReport> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  }
  const checkpoint = options.checkpoint;
  return database.transaction(async (trx) => {
    await sql`set transaction isolation level repeatable read, read only`.execute(trx);
    let lastSeq = 0;
    let lastHash = GENESIS_HASH;
    const broken = (seq: number, problem: AuditChainProblem, message: string): AuditChainReport => ({
      ok: false,
      entries: lastSeq,
      firstBroken: { seq, problem, message },
    });

    for (;;) {
      const rows = await trx
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', lastSeq)
        .orderBy('seq')
        .limit(batchSize)
        .execute();
      for (const row of rows) {
        const problem = checkEntry(row, lastSeq, lastHash);
        if (problem) return broken(problem.seq, problem.problem, problem.message);
        lastSeq = row.seq;
        lastHash = row.hash;
        if (checkpoint && checkpoint.seq === row.seq && checkpoint.hash !== row.hash) {
          return broken(row.seq, 'checkpoint_mismatch', checkpointMessage(checkpoint));
        }
      }
      if (rows.length < batchSize) break;
    }

    const head = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', true).executeTakeFirst();
    if (!head) {
      return broken(lastSeq + 1, 'head_mismatch', 'The head row is gone, so deleted newest entries would go unseen.');
    }
    if (head.seq > lastSeq) {
      return broken(
        lastSeq + 1,
        'head_mismatch',
        `The head says the log ends at entry #${head.seq} but it ends at #${lastSeq}: the newest entries were deleted.`,
      );
    }
    if (head.seq < lastSeq) {
      return broken(
        head.seq + 1,
        'head_mismatch',
        `The head says the log ends at entry #${head.seq} but it goes on to #${lastSeq}: ` +
          'entries were added around the log.',
      );
    }
    if (head.hash !== lastHash) {
      return broken(lastSeq, 'head_mismatch', `The head's hash is not the hash of the last entry, #${lastSeq}.`);
    }
    if (checkpoint && checkpoint.seq > lastSeq) {
      return broken(checkpoint.seq, 'checkpoint_mismatch', checkpointMessage(checkpoint));
    }
    if (checkpoint && checkpoint.seq === 0 && checkpoint.hash !== GENESIS_HASH) {
      return broken(0, 'checkpoint_mismatch', checkpointMessage(checkpoint));
    }
    return { ok: true, entries: lastSeq, headHash: lastHash };
  });
}

// A gap is named before a broken link: after a deletion the next entry's link is broken too, and
// "missing" is the truer account. A broken link is named before a hash mismatch: swapped entries
// fail both, and "moved" is the truer account; an entry edited in place keeps its link.
function checkEntry(
  row: AuditRow,
  previousSeq: number,
  previousHash: string,
): { seq: number; problem: AuditChainProblem; message: string } | undefined {
  const expectedSeq = previousSeq + 1;
  if (row.seq !== expectedSeq) {
    const missing = row.seq - expectedSeq === 1 ? `#${expectedSeq}` : `#${expectedSeq} to #${row.seq - 1}`;
    return { seq: expectedSeq, problem: 'entry_missing', message: `Entry ${missing} is missing: it was deleted.` };
  }
  if (row.prev_hash !== previousHash) {
    return {
      seq: row.seq,
      problem: 'chain_relinked',
      message:
        `Entry #${row.seq} does not follow entry #${previousSeq}: entries were reordered or inserted here, ` +
        `or #${previousSeq} was rewritten with a new hash.`,
    };
  }
  if (hashEntry(row) !== row.hash) {
    return {
      seq: row.seq,
      problem: 'entry_edited',
      message: `Entry #${row.seq} no longer matches its hash: it was changed after it was written.`,
    };
  }
  return undefined;
}

function checkpointMessage(checkpoint: { seq: number; hash: string }): string {
  return (
    `The chain does not contain the checkpoint kept for entry #${checkpoint.seq} (${checkpoint.hash}): ` +
    'history up to it was rewritten, hashes and all.'
  );
}
