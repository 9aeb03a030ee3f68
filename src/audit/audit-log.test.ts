import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import type { AuditLogTable, DB } from '../db/schema.js';
import { describeEachEngine } from '../../test/db.js';
import {
  appendAudit,
  appendAuditBatch,
  auditCheckpoint,
  verifyAuditChain,
  type AuditChainProblem,
  type AuditEntryInput,
} from './audit-log.js';
import { GENESIS_HASH, hashEntry } from './canonical.js';

type AuditLogRow = Selectable<AuditLogTable>;

const signIn: AuditEntryInput = {
  actorType: 'user',
  actorId: 'u_1',
  action: 'auth.sign_in.succeeded',
  ip: '192.0.2.7',
  requestId: 'req-1',
};

async function append(database: Database, entry: AuditEntryInput = signIn) {
  return database.transaction((trx) => appendAudit(trx, entry));
}

async function appendMany(database: Database, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await append(database, { ...signIn, subjectType: 'incident', subjectId: `inc_${i + 1}`, details: { n: i + 1 } });
  }
}

async function entries(database: Database) {
  return database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
}

/**
 * Runs `fn` the way an intruder with the database owner's rights would: with ordinary triggers off
 * (session_replication_role = replica needs a superuser, which the test databases' users are).
 */
async function tamper(database: Database, fn: (trx: Transaction<DB>) => Promise<void>): Promise<void> {
  await database.transaction(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await fn(trx);
  });
}

async function resetAuditLog(database: Database): Promise<void> {
  await tamper(database, async (trx) => {
    await sql`delete from audit_log`.execute(trx);
    await sql`update audit_head set seq = 0, hash = ${GENESIS_HASH}`.execute(trx);
  });
}

describeEachEngine('audit log', (getDatabase) => {
  beforeEach(async () => {
    await resetAuditLog(getDatabase());
  });

  it('chains each entry to the one before it and moves the head along', async () => {
    const database = getDatabase();
    const first = await append(database);
    const second = await append(database, { actorType: 'anonymous', action: 'auth.sign_in.failed', ip: '192.0.2.8' });
    const third = await append(database, {
      actorType: 'system',
      action: 'export.created',
      organizationId: 'org_1',
      details: { format: 'huridocs', incidents: 12 },
    });
    expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);

    const rows = await entries(database);
    expect(rows.map((r) => r.prev_hash)).toEqual([GENESIS_HASH, first.hash, second.hash]);
    expect(rows.map((r) => r.hash)).toEqual([first.hash, second.hash, third.hash]);
    for (const row of rows) expect(hashEntry(row)).toBe(row.hash);
    expect(rows[1]).toMatchObject({ actor_type: 'anonymous', actor_id: null, user_agent: null, details: {} });
    expect(rows[0]!.occurred_at).toBeInstanceOf(Date);

    expect(await verifyAuditChain(database)).toEqual({ ok: true, entries: 3, headHash: third.hash });
    const checkpoint = await auditCheckpoint(database);
    expect(checkpoint).toMatchObject({ seq: 3, hash: third.hash });
    expect(checkpoint.at).toBeInstanceOf(Date);
  });

  it('stores details as the canonical JSON it hashed, so the stored entry verifies', async () => {
    const database = getDatabase();
    await append(database, {
      ...signIn,
      action: 'membership.role_changed',
      details: { role: 'editor', previous: { since: 3, role: 'viewer' }, tags: ['a', null], ratio: 0.1 },
    });
    const [row] = await entries(database);
    expect(row!.details).toEqual({
      previous: { role: 'viewer', since: 3 },
      ratio: 0.1,
      role: 'editor',
      tags: ['a', null],
    });
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true, entries: 1 });
  });

  it('leaves neither an entry nor a gap when the transaction that appended rolls back', async () => {
    const database = getDatabase();
    await append(database);
    await expect(
      database.transaction(async (trx) => {
        await appendAudit(trx, { ...signIn, action: 'incident.read_sensitive' });
        throw new Error('the change being recorded failed');
      }),
    ).rejects.toThrow('the change being recorded failed');
    expect(await entries(database)).toHaveLength(1);
    expect(await append(database)).toMatchObject({ seq: 2 });
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true, entries: 2 });
  });

  it('refuses to append outside a transaction, where the head lock would not hold', async () => {
    const database = getDatabase();
    const notATransaction = database.db as unknown as Transaction<DB>;
    await expect(appendAudit(notATransaction, signIn)).rejects.toThrow(/inside a transaction/);
    expect(await entries(database)).toHaveLength(0);
  });

  it('keeps one unbroken chain when 50 transactions append at once, some rolling back', async () => {
    const database = getDatabase();
    // On PostgreSQL the test pool has 10 connections, so up to 10 of these really run at the same time.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        database.transaction(async (trx) => {
          // Work before and after the append widens the window in which the appends could race.
          await sql`select pg_sleep(${(i % 5) / 1000})`.execute(trx);
          const result = await appendAudit(trx, { ...signIn, subjectType: 'incident', subjectId: `inc_${i}` });
          await sql`select pg_sleep(${(i % 3) / 1000})`.execute(trx);
          if (i % 7 === 3) throw new Error(`rollback ${i}`);
          return result;
        }),
      ),
    );
    const committed = outcomes.filter((o) => o.status === 'fulfilled');
    const rolledBack = outcomes.filter((o) => o.status === 'rejected');
    expect(rolledBack.map((o) => (o.reason as Error).message)).toEqual(
      Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 7 === 3).map((i) => `rollback ${i}`),
    );
    const rows = await entries(database);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    expect(new Set(rows.map((r) => r.subject_id)).size).toBe(committed.length);
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true, entries: committed.length });
  });

  it('appends a batch as one chain after the head, in the order given, with one head move', async () => {
    const database = getDatabase();
    const first = await append(database);
    const batch = Array.from({ length: 1205 }, (_, i) => ({ ...signIn, subjectType: 'incident', subjectId: `inc_${i}`, details: { n: i } }));
    const results = await database.transaction((trx) => appendAuditBatch(trx, batch));
    expect(results.map((r) => r.seq)).toEqual(batch.map((_, i) => i + 2));
    const rows = await entries(database);
    expect(rows).toHaveLength(1206);
    expect(rows[1]!.prev_hash).toBe(first.hash);
    rows.slice(1).forEach((row, i) => {
      expect(row.subject_id).toBe(`inc_${i}`);
      expect(row.prev_hash).toBe(rows[i]!.hash);
      expect(hashEntry(row)).toBe(row.hash);
    });
    expect(await auditCheckpoint(database)).toMatchObject({ seq: 1206, hash: results.at(-1)!.hash });
    expect(await verifyAuditChain(database, { batchSize: 500 })).toMatchObject({ ok: true, entries: 1206 });
    expect(await database.transaction((trx) => appendAuditBatch(trx, []))).toEqual([]);
    expect(await append(database)).toMatchObject({ seq: 1207 });
  });

  it('rolls a whole batch back with its transaction, leaving no gap', async () => {
    const database = getDatabase();
    await append(database);
    await expect(
      database.transaction(async (trx) => {
        await appendAuditBatch(trx, [signIn, signIn, signIn]);
        throw new Error('the import failed');
      }),
    ).rejects.toThrow('the import failed');
    expect(await entries(database)).toHaveLength(1);
    expect(await append(database)).toMatchObject({ seq: 2 });
    expect(await verifyAuditChain(database)).toMatchObject({ ok: true, entries: 2 });
  });

  describe('the database itself', () => {
    beforeEach(async () => {
      await appendMany(getDatabase(), 3);
    });

    it('refuses UPDATE, DELETE and TRUNCATE of the log', async () => {
      const db = getDatabase().db;
      await expect(sql`update audit_log set action = 'auth.sign_out' where seq = 2`.execute(db)).rejects.toThrow(
        /audit_log is append-only: UPDATE is not allowed/,
      );
      await expect(sql`delete from audit_log where seq = 3`.execute(db)).rejects.toThrow(
        /audit_log is append-only: DELETE is not allowed/,
      );
      await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(
        /audit_log is append-only: TRUNCATE is not allowed/,
      );
      expect(await entries(getDatabase())).toHaveLength(3);
    });

    it('refuses to delete the head, rewind it, or let an insert fork the chain', async () => {
      const database = getDatabase();
      const db = database.db;
      await expect(sql`delete from audit_head`.execute(db)).rejects.toThrow(/audit_head is append-only/);
      await expect(sql`truncate audit_head`.execute(db)).rejects.toThrow(/audit_head is append-only/);
      const [first] = await entries(database);
      await expect(sql`update audit_head set seq = 1, hash = ${first!.hash}`.execute(db)).rejects.toThrow(
        /may only advance/,
      );
      const forged = { ...first!, seq: 4, prev_hash: first!.hash };
      await expect(
        db
          .insertInto('audit_log')
          .values({ ...forged, details: '{}', hash: hashEntry(forged) })
          .execute(),
      ).rejects.toThrow(/does not extend the chain/);
      expect(await verifyAuditChain(database)).toMatchObject({ ok: true, entries: 3 });
    });

    it('lets the head jump only over an unbroken run of entries from the old head', async () => {
      const database = getDatabase();
      const [, , third] = await entries(database);
      await expect(
        database.transaction(async (trx) => {
          // A well-linked entry past a gap: it extends nothing, so the append trigger refuses it.
          const stray = { ...third!, seq: 5, prev_hash: third!.hash };
          await trx.insertInto('audit_log').values({ ...stray, details: '{}', hash: hashEntry(stray) }).execute();
        }),
      ).rejects.toThrow(/does not extend the chain/);
      await expect(
        database.transaction(async (trx) => {
          const fourth = { ...third!, seq: 4, prev_hash: third!.hash };
          const fourthHash = hashEntry(fourth);
          await trx.insertInto('audit_log').values({ ...fourth, details: '{}', hash: fourthHash }).execute();
          // Jumping past entry 4 onto an entry that does not exist is refused.
          await trx.updateTable('audit_head').set({ seq: 6, hash: fourthHash }).execute();
        }),
      ).rejects.toThrow(/may only advance/);
      expect(await verifyAuditChain(database)).toMatchObject({ ok: true, entries: 3 });
    });
  });

  describe('finds and names tampering', () => {
    // A small batch makes every check cross batch boundaries, as it would in a long log.
    const verify = (database: Database, checkpoint?: { seq: number; hash: string }) =>
      verifyAuditChain(database, { batchSize: 2, ...(checkpoint ? { checkpoint } : {}) });

    beforeEach(async () => {
      await appendMany(getDatabase(), 6);
      expect(await verify(getDatabase())).toMatchObject({ ok: true, entries: 6 });
    });

    async function rowAt(db: Kysely<DB>, seq: number) {
      return db.selectFrom('audit_log').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
    }

    /** Inserts `row` with a hash correctly computed over its own contents, as a careful forger would. */
    async function insertForged(trx: Transaction<DB>, row: Omit<AuditLogRow, 'hash'>): Promise<string> {
      const hash = hashEntry(row);
      await trx
        .insertInto('audit_log')
        .values({ ...row, details: JSON.stringify(row.details), hash })
        .execute();
      return hash;
    }

    const cases: Array<{
      tampering: string;
      tamper: (trx: Transaction<DB>) => Promise<void>;
      expected: { entries: number; seq: number; problem: AuditChainProblem };
    }> = [
      {
        tampering: 'an entry edited in place',
        tamper: async (trx) => {
          await sql`update audit_log set subject_id = 'inc_999' where seq = 3`.execute(trx);
        },
        expected: { entries: 2, seq: 3, problem: 'entry_edited' },
      },
      {
        tampering: 'an entry deleted from the middle',
        tamper: async (trx) => {
          await sql`delete from audit_log where seq = 4`.execute(trx);
        },
        expected: { entries: 3, seq: 4, problem: 'entry_missing' },
      },
      {
        tampering: 'two entries swapped',
        tamper: async (trx) => {
          await sql`update audit_log set seq = 100 where seq = 3`.execute(trx);
          await sql`update audit_log set seq = 3 where seq = 4`.execute(trx);
          await sql`update audit_log set seq = 4 where seq = 100`.execute(trx);
        },
        expected: { entries: 2, seq: 3, problem: 'chain_relinked' },
      },
      {
        tampering: 'a forged entry with a correct hash of its own but the wrong predecessor, head moved too',
        tamper: async (trx) => {
          const fifth = await rowAt(trx, 5);
          const hash = await insertForged(trx, { ...fifth, seq: 7, action: 'export.created', prev_hash: fifth.hash });
          await trx.updateTable('audit_head').set({ seq: 7, hash }).execute();
        },
        expected: { entries: 6, seq: 7, problem: 'chain_relinked' },
      },
      {
        tampering: 'an entry rewritten together with its hash, which breaks the next link',
        tamper: async (trx) => {
          const rewritten = { ...(await rowAt(trx, 2)), actor_id: 'u_someone_else' };
          await trx
            .updateTable('audit_log')
            .set({ actor_id: rewritten.actor_id, hash: hashEntry(rewritten) })
            .where('seq', '=', 2)
            .execute();
        },
        expected: { entries: 2, seq: 3, problem: 'chain_relinked' },
      },
      {
        tampering: 'the newest entry deleted, which leaves no gap',
        tamper: async (trx) => {
          await sql`delete from audit_log where seq = 6`.execute(trx);
        },
        expected: { entries: 5, seq: 6, problem: 'head_mismatch' },
      },
      {
        tampering: 'a well-formed entry appended around the log, without moving the head',
        tamper: async (trx) => {
          const sixth = await rowAt(trx, 6);
          await insertForged(trx, { ...sixth, seq: 7, prev_hash: sixth.hash });
        },
        expected: { entries: 7, seq: 7, problem: 'head_mismatch' },
      },
    ];

    it.each(cases)('$tampering', async ({ tamper: change, expected }) => {
      const database = getDatabase();
      await tamper(database, change);
      expect(await verify(database)).toMatchObject({
        ok: false,
        entries: expected.entries,
        firstBroken: { seq: expected.seq, problem: expected.problem },
      });
    });

    it('the whole history rewritten with fresh hashes, which only a kept checkpoint reveals', async () => {
      const database = getDatabase();
      const kept = await auditCheckpoint(database);
      expect(await verify(database, kept)).toMatchObject({ ok: true, entries: 6 });
      await tamper(database, async (trx) => {
        let prevHash = (await rowAt(trx, 1)).hash;
        for (let seq = 2; seq <= 6; seq++) {
          const row = await rowAt(trx, seq);
          const rewritten = { ...row, prev_hash: prevHash, ...(seq === 2 ? { actor_id: 'u_someone_else' } : {}) };
          prevHash = hashEntry(rewritten);
          await trx
            .updateTable('audit_log')
            .set({ actor_id: rewritten.actor_id, prev_hash: rewritten.prev_hash, hash: prevHash })
            .where('seq', '=', seq)
            .execute();
        }
        await trx.updateTable('audit_head').set({ hash: prevHash }).execute();
      });
      expect(await verify(database)).toMatchObject({ ok: true, entries: 6 });
      expect(await verify(database, kept)).toMatchObject({
        ok: false,
        firstBroken: { seq: 6, problem: 'checkpoint_mismatch' },
      });
      expect(await verify(database, { seq: 9, hash: kept.hash })).toMatchObject({
        ok: false,
        firstBroken: { seq: 9, problem: 'checkpoint_mismatch' },
      });
    });
  });
});
