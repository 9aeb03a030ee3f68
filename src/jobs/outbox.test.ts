import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachEngine } from '../../test/db.js';
import { allJobs, emptyOutbox, jobById, sleep, testRegistry } from './jobs.test-helper.js';
import {
  claimJobs,
  completeJob,
  enqueue,
  extendLease,
  failJob,
  jobErrorMessage,
  JobPayloadError,
  LAST_ERROR_MAX_CHARS,
  outboxSummary,
  retryDeadJob,
  retryDelayMs,
} from './outbox.js';
import { defineJob, UnknownJobKindError } from './registry.js';

const notify = defineJob({
  kind: 'test.notify',
  version: 2,
  payloadSchema: z.object({ recipient: z.string().min(1), count: z.number().int() }),
  handler: async () => async () => {},
});
const ping = defineJob({
  kind: 'test.ping',
  version: 1,
  payloadSchema: z.object({}),
  handler: async () => async () => {},
});
const registry = testRegistry([notify, ping]);
// Long enough never to lapse by accident; the tests about lapsing leases use short ones of their own.
const LEASE_MS = 60_000;

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap', () => {
    const policy = { baseMs: 100, capMs: 1_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelayMs(attempt, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('spreads the wait by the jitter fraction either way', () => {
    const policy = { baseMs: 1_000, capMs: 60_000, jitter: 0.2 };
    expect(retryDelayMs(1, policy, () => 0)).toBe(800);
    expect(retryDelayMs(1, policy, () => 0.5)).toBe(1000);
    expect(retryDelayMs(1, policy, () => 0.999999)).toBe(1200);
  });
});

describe('jobErrorMessage', () => {
  it('keeps causes but never the payload strings', () => {
    const error = new Error('550 mailbox ana.lopez@example.org rejected', {
      cause: new TypeError('socket closed after RCPT TO:<ana.lopez@example.org>'),
    });
    const message = jobErrorMessage(error, { recipient: 'ana.lopez@example.org', list: ['Ana López'] });
    expect(message).toBe(
      'Error: 550 mailbox [payload] rejected (caused by TypeError: socket closed after RCPT TO:<[payload]>)',
    );
  });

  it('truncates a long message to a few KB', () => {
    const message = jobErrorMessage(new Error('x'.repeat(20_000)), {});
    expect(message.length).toBe(LAST_ERROR_MAX_CHARS);
    expect(message.endsWith('…')).toBe(true);
  });
});

describeEachEngine('outbox', (getDatabase) => {
  beforeEach(async () => {
    await emptyOutbox(getDatabase());
  });

  describe('enqueue', () => {
    it('writes nothing when the enclosing transaction rolls back', async () => {
      const database = getDatabase();
      await expect(
        database.transaction(async (trx) => {
          await enqueue(trx, { kind: 'test.notify', payload: { recipient: 'r', count: 1 } }, registry);
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await allJobs(database)).toEqual([]);
    });

    it('writes the job with the change when the transaction commits', async () => {
      const database = getDatabase();
      const id = await database.transaction((trx) =>
        enqueue(trx, { kind: 'test.notify', payload: { recipient: 'r', count: 1 } }, registry),
      );
      const job = await jobById(database, id!);
      expect(job).toMatchObject({
        kind: 'test.notify',
        version: 2,
        payload: { recipient: 'r', count: 1 },
        status: 'pending',
        attempts: 0,
        max_attempts: registry.defaultMaxAttempts,
        claim_token: null,
      });
    });

    it('stores only what the schema describes', async () => {
      const database = getDatabase();
      const id = await enqueue(
        database.db,
        { kind: 'test.notify', payload: { recipient: 'r', count: 1, stray: 'not for storing' }, maxAttempts: 7 },
        registry,
      );
      expect(await jobById(database, id!)).toMatchObject({ payload: { recipient: 'r', count: 1 }, max_attempts: 7 });
    });

    it('refuses a payload that does not fit the schema, naming fields but not values', async () => {
      const database = getDatabase();
      const attempt = enqueue(
        database.db,
        { kind: 'test.notify', payload: { recipient: '', count: 'ana@example.org' } },
        registry,
      );
      await expect(attempt).rejects.toBeInstanceOf(JobPayloadError);
      await expect(attempt).rejects.toThrow(/Invalid payload for job kind 'test\.notify': recipient: .*; count: /);
      await expect(attempt).rejects.not.toThrow(/ana@example\.org/);
      expect(await allJobs(database)).toEqual([]);
    });

    it('refuses a kind the registry does not know', async () => {
      const attempt = enqueue(getDatabase().db, { kind: 'test.unknown', payload: {} }, registry);
      await expect(attempt).rejects.toBeInstanceOf(UnknownJobKindError);
      await expect(attempt).rejects.toThrow("No job definition for kind 'test.unknown' in this build of Vigía (known kinds: test.notify, test.ping)");
    });

    it('refuses a payload schema that would not survive storage as JSON', async () => {
      const dated = defineJob({
        kind: 'test.dated',
        version: 1,
        payloadSchema: z.object({ at: z.date() }),
        handler: async () => async () => {},
      });
      const attempt = enqueue(getDatabase().db, { kind: 'test.dated', payload: { at: new Date() } }, testRegistry([dated]));
      await expect(attempt).rejects.toThrow(/does not survive a JSON round trip \(at\)/);
    });

    it('writes a job only once per dedupe key', async () => {
      const database = getDatabase();
      const job = { kind: 'test.ping', payload: {}, dedupeKey: 'ping:42' };
      const first = await database.transaction((trx) => enqueue(trx, job, registry));
      const second = await database.transaction((trx) => enqueue(trx, job, registry));
      expect(first).toEqual(expect.any(Number));
      expect(second).toBeNull();
      expect((await allJobs(database)).map((row) => row.id)).toEqual([first]);
    });
  });

  describe('claim and outcome', () => {
    it('claims due jobs in order, with a token, a lease and one more attempt', async () => {
      const database = getDatabase();
      const later = await enqueue(database.db, { kind: 'test.ping', payload: {}, runAt: new Date(Date.now() + 60_000) }, registry);
      const first = await enqueue(database.db, { kind: 'test.ping', payload: {} }, registry);
      const second = await enqueue(database.db, { kind: 'test.ping', payload: {} }, registry);

      const claimed = await claimJobs(database, { workerId: 'w1', limit: 10, leaseMs: LEASE_MS });
      expect(claimed.map((job) => job.id)).toEqual([first, second]);
      for (const job of claimed) {
        expect(job).toMatchObject({ attempts: 1, lockedBy: 'w1', kind: 'test.ping', version: 1, payload: {} });
        expect(job.claimToken).toMatch(/^[0-9a-f-]{36}$/);
        expect(job.lockedUntil.getTime()).toBeGreaterThan(Date.now() - 1_000);
      }
      expect(claimed[0]!.claimToken).not.toBe(claimed[1]!.claimToken);
      expect(await claimJobs(database, { workerId: 'w2', limit: 10, leaseMs: LEASE_MS })).toEqual([]);
      expect((await jobById(database, later!)).status).toBe('pending');
    });

    it('claims no more than the limit, and only the kinds asked for', async () => {
      const database = getDatabase();
      for (let i = 0; i < 3; i++) await enqueue(database.db, { kind: 'test.ping', payload: {} }, registry);
      const notifyId = await enqueue(database.db, { kind: 'test.notify', payload: { recipient: 'r', count: 1 } }, registry);
      expect(await claimJobs(database, { workerId: 'w', limit: 5, leaseMs: LEASE_MS, kinds: ['test.notify'] })).toEqual([
        expect.objectContaining({ id: notifyId }),
      ]);
      expect(await claimJobs(database, { workerId: 'w', limit: 2, leaseMs: LEASE_MS })).toHaveLength(2);
      expect(await claimJobs(database, { workerId: 'w', limit: 5, leaseMs: LEASE_MS, kinds: [] })).toEqual([]);
    });

    it('completes a job only under the current claim', async () => {
      const database = getDatabase();
      const id = await enqueue(database.db, { kind: 'test.ping', payload: {} }, registry);
      const [job] = await claimJobs(database, { workerId: 'w', limit: 1, leaseMs: LEASE_MS });
      expect(await completeJob(database, { id: id!, claimToken: '00000000-0000-4000-8000-000000000000' })).toBe(false);
      expect(await completeJob(database, job!)).toBe(true);
      expect(await completeJob(database, job!)).toBe(false);
      const row = await jobById(database, id!);
      expect(row).toMatchObject({ status: 'done', claim_token: null, locked_by: null, locked_until: null });
      expect(row.completed_at).toBeInstanceOf(Date);
    });

    it('fences a worker whose lease lapsed and whose job was claimed again', async () => {
      const database = getDatabase();
      await enqueue(database.db, { kind: 'test.ping', payload: {} }, registry);
      const [stale] = await claimJobs(database, { workerId: 'slow', limit: 1, leaseMs: 100 });
      await sleep(150);
      const [current] = await claimJobs(database, { workerId: 'fresh', limit: 1, leaseMs: LEASE_MS });
      expect(current).toMatchObject({ id: stale!.id, attempts: 2, lockedBy: 'fresh' });
      expect(await extendLease(database, stale!, LEASE_MS)).toBe(false);
      expect(await failJob(database, stale!, new Error('late'))).toBe(false);
      expect(await completeJob(database, stale!)).toBe(false);
      expect(await completeJob(database, current!)).toBe(true);
    });

    it('marks dead a job whose lease lapsed on its last attempt instead of running it again', async () => {
      const database = getDatabase();
      const id = await enqueue(database.db, { kind: 'test.ping', payload: {}, maxAttempts: 1 }, registry);
      await claimJobs(database, { workerId: 'crashing-worker', limit: 1, leaseMs: 50 });
      await sleep(100);
      expect(await claimJobs(database, { workerId: 'next', limit: 1, leaseMs: LEASE_MS })).toEqual([]);
      const row = await jobById(database, id!);
      expect(row).toMatchObject({ status: 'dead', claim_token: null, attempts: 1 });
      expect(row.last_error).toBe(
        'Lease of worker crashing-worker expired during attempt 1 of 1 without an outcome ' +
          '(the worker stopped or lost the database)',
      );
    });

    it('extends a lease so that no one else can claim the job meanwhile', async () => {
      const database = getDatabase();
      await enqueue(database.db, { kind: 'test.ping', payload: {} }, registry);
      const [job] = await claimJobs(database, { workerId: 'w', limit: 1, leaseMs: 100 });
      expect(await extendLease(database, job!, 5_000)).toBe(true);
      await sleep(150);
      expect(await claimJobs(database, { workerId: 'other', limit: 1, leaseMs: LEASE_MS })).toEqual([]);
      const row = await jobById(database, job!.id);
      expect(row.locked_until!.getTime()).toBeGreaterThan(job!.lockedUntil.getTime() + 3_000);
    });

    it('schedules a failed job with growing backoff, then marks it dead keeping its last error', async () => {
      const database = getDatabase();
      const backoff = { baseMs: 1_000, capMs: 60_000, jitter: 0 };
      const id = await enqueue(
        database.db,
        { kind: 'test.notify', payload: { recipient: 'ana@example.org', count: 1 }, maxAttempts: 3 },
        registry,
      );
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 2; attempt++) {
        const [job] = await claimJobs(database, { workerId: 'w', limit: 1, leaseMs: LEASE_MS });
        expect(job!.attempts).toBe(attempt);
        const failed = await failJob(database, job!, new Error(`try ${attempt} failed`), { backoff });
        expect(failed).toMatchObject({ status: 'pending', lastError: `Error: try ${attempt} failed` });
        const row = await jobById(database, id!);
        delays.push(row.run_at.getTime() - row.updated_at.getTime());
        // Make it due now rather than waiting out the backoff.
        await sql`update outbox_jobs set run_at = now() where id = ${id}`.execute(database.db);
      }
      expect(delays).toEqual([1_000, 2_000]);

      const [last] = await claimJobs(database, { workerId: 'w', limit: 1, leaseMs: LEASE_MS });
      const failed = await failJob(database, last!, new Error('mailbox ana@example.org is full'), { backoff });
      expect(failed).toMatchObject({ status: 'dead', lastError: 'Error: mailbox [payload] is full' });
      expect(await jobById(database, id!)).toMatchObject({
        status: 'dead',
        attempts: 3,
        last_error: 'Error: mailbox [payload] is full',
        claim_token: null,
      });
      expect(await claimJobs(database, { workerId: 'w', limit: 1, leaseMs: LEASE_MS })).toEqual([]);
    });
  });

  describe('tools', () => {
    it('counts jobs per status and per kind', async () => {
      const database = getDatabase();
      for (let i = 0; i < 3; i++) await enqueue(database.db, { kind: 'test.ping', payload: {} }, registry);
      await enqueue(database.db, { kind: 'test.notify', payload: { recipient: 'r', count: 1 } }, registry);
      const [job] = await claimJobs(database, { workerId: 'w', limit: 1, leaseMs: LEASE_MS, kinds: ['test.ping'] });
      await completeJob(database, job!);
      expect(await outboxSummary(database)).toEqual({
        byStatus: { pending: 3, running: 0, done: 1, dead: 0 },
        byKind: [
          { kind: 'test.notify', status: 'pending', count: 1 },
          { kind: 'test.ping', status: 'done', count: 1 },
          { kind: 'test.ping', status: 'pending', count: 2 },
        ],
      });
    });

    it('gives a dead job a fresh set of attempts, and touches nothing else', async () => {
      const database = getDatabase();
      const id = await enqueue(database.db, { kind: 'test.ping', payload: {}, maxAttempts: 1 }, registry);
      expect(await retryDeadJob(database, id!)).toBe(false);
      const [job] = await claimJobs(database, { workerId: 'w', limit: 1, leaseMs: LEASE_MS });
      await failJob(database, job!, new Error('gone'));
      expect(await retryDeadJob(database, id!)).toBe(true);
      expect(await jobById(database, id!)).toMatchObject({ status: 'pending', attempts: 0, last_error: 'Error: gone' });
      expect(await claimJobs(database, { workerId: 'w', limit: 1, leaseMs: LEASE_MS })).toEqual([
        expect.objectContaining({ id, attempts: 1 }),
      ]);
    });
  });
});
