import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachEngine, openAnotherConnection } from '../../test/db.js';
import type { Database } from '../db/client.js';
import { allJobs, emptyOutbox, jobById, recordingLogger, sleep, testRegistry, until } from './jobs.test-helper.js';
import { claimJobs, completeJob, enqueue } from './outbox.js';
import { defineJob, type JobContext, type JobHandler } from './registry.js';
import { OutboxWorker, type JobLogger, type OutboxWorkerOptions } from './worker.js';

// Long enough never to lapse by accident on a loaded machine; the tests about lapsing leases and
// timeouts set short ones of their own.
const LEASE_MS = 10_000;
const JOB_TIMEOUT_MS = 5_000;

const taskPayload = z.object({ label: z.string() });
type TaskContext = JobContext<z.output<typeof taskPayload>>;

/** A test job kind whose handler is whatever the test passes. */
function taskJob(handler: JobHandler<z.output<typeof taskPayload>>, kind = 'test.task') {
  return defineJob({ kind, version: 1, payloadSchema: taskPayload, handler: async () => handler });
}

describeEachEngine('outbox worker', (getDatabase, engine) => {
  const workers: OutboxWorker[] = [];

  /** A worker with test timings; stopped after the test whatever happens. */
  function worker(options: Partial<OutboxWorkerOptions> & Pick<OutboxWorkerOptions, 'registry'>): OutboxWorker {
    const created = new OutboxWorker({
      database: getDatabase(),
      logger: recordingLogger(),
      pollMs: 10,
      leaseMs: LEASE_MS,
      jobTimeoutMs: JOB_TIMEOUT_MS,
      stopTimeoutMs: 1_000,
      backoff: { baseMs: 20, capMs: 1_000, jitter: 0 },
      ...options,
    });
    workers.push(created);
    return created;
  }

  beforeEach(async () => {
    await emptyOutbox(getDatabase());
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  it('runs a job once, with its parsed payload, and marks it done', async () => {
    const database = getDatabase();
    const seen: Array<TaskContext['job']> = [];
    const registry = testRegistry([taskJob(async ({ job }) => void seen.push(job))]);
    const id = await database.transaction((trx) =>
      enqueue(trx, { kind: 'test.task', payload: { label: 'first' } }, registry),
    );
    const w = worker({ registry });

    expect(await w.runOnce()).toEqual({ claimed: 1, done: 1, retrying: 0, dead: 0, lost: 0 });
    expect(await w.runOnce()).toEqual({ claimed: 0, done: 0, retrying: 0, dead: 0, lost: 0 });
    expect(seen).toEqual([{ id, kind: 'test.task', payload: { label: 'first' }, attempt: 1 }]);
    expect(await jobById(database, id!)).toMatchObject({ status: 'done', attempts: 1, last_error: null });
  });

  it('retries a failing job with growing backoff and keeps its last error when it dies', async () => {
    const database = getDatabase();
    const attempts: number[] = [];
    const registry = testRegistry([
      taskJob(async ({ job }) => {
        attempts.push(job.attempt);
        throw new Error(`upstream refused attempt ${job.attempt}`);
      }),
    ]);
    const id = await enqueue(database.db, { kind: 'test.task', payload: { label: 'x' }, maxAttempts: 4 }, registry);
    const w = worker({ registry, backoff: { baseMs: 1_000, capMs: 60_000, jitter: 0 } });

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await w.runOnce()).toMatchObject({ claimed: 1, retrying: 1 });
      const row = await jobById(database, id!);
      expect(row).toMatchObject({ status: 'pending', last_error: `Error: upstream refused attempt ${attempt}` });
      delays.push(row.run_at.getTime() - row.updated_at.getTime());
      // Not due before its backoff is over; then made due at once rather than waited for.
      expect(await w.runOnce()).toMatchObject({ claimed: 0 });
      await sql`update outbox_jobs set run_at = now() where id = ${id}`.execute(database.db);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000]);

    expect(await w.runOnce()).toMatchObject({ claimed: 1, dead: 1 });
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(await jobById(database, id!)).toMatchObject({
      status: 'dead',
      attempts: 4,
      last_error: 'Error: upstream refused attempt 4',
    });
  });

  it('fails a job of a kind this build does not know, saying so', async () => {
    const database = getDatabase();
    const registry = testRegistry([taskJob(async () => {})]);
    // Written behind the registry's back, as an older or newer build of Vigía could have.
    const { id } = await database.db
      .insertInto('outbox_jobs')
      .values({ kind: 'test.retired', payload: '{}', max_attempts: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await worker({ registry }).runOnce()).toMatchObject({ claimed: 1, dead: 1 });
    expect((await jobById(database, id)).last_error).toBe(
      "UnknownJobKindError: No job definition for kind 'test.retired' in this build of Vigía (known kinds: test.task).",
    );
  });

  it('fails a job enqueued for another version of its definition, or with a payload that no longer fits', async () => {
    const database = getDatabase();
    let ran = false;
    const registry = testRegistry([
      taskJob(async () => {
        ran = true;
      }),
    ]);
    const { id: oldVersion } = await database.db
      .insertInto('outbox_jobs')
      .values({ kind: 'test.task', version: 2, payload: '{"label":"x"}', max_attempts: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: badPayload } = await database.db
      .insertInto('outbox_jobs')
      .values({ kind: 'test.task', payload: '{"title":"x"}', max_attempts: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await worker({ registry }).runOnce()).toMatchObject({ claimed: 2, dead: 2 });
    expect(ran).toBe(false);
    expect((await jobById(database, oldVersion)).last_error).toBe(
      "JobVersionError: The job was enqueued for version 2 of kind 'test.task', but this build of Vigía handles version 1",
    );
    expect((await jobById(database, badPayload)).last_error).toMatch(
      /^JobPayloadError: Invalid payload for job kind 'test\.task': label: /,
    );
  });

  it('runs the job of a worker that died between claim and completion, and fences the dead worker out', async () => {
    const database = getDatabase();
    const runs: number[] = [];
    const registry = testRegistry([taskJob(async ({ job }) => void runs.push(job.attempt))]);
    const id = await enqueue(database.db, { kind: 'test.task', payload: { label: 'orphan' } }, registry);

    // The dead worker: claims, then never reports back.
    const [abandoned] = await claimJobs(database, { workerId: 'dead-worker', limit: 1, leaseMs: 500 });
    expect(abandoned!.id).toBe(id);
    const survivor = worker({ registry });
    expect(await survivor.runOnce()).toMatchObject({ claimed: 0 });

    await until(async () => (await survivor.runOnce()).claimed === 1, 3_000);
    expect(runs).toEqual([2]);
    expect(await jobById(database, id!)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await completeJob(database, abandoned!)).toBe(false);
    expect((await jobById(database, id!)).status).toBe('done');
  });

  it('never runs one job twice or twice at once when two workers race over many jobs', async () => {
    const database = getDatabase();
    // On PostgreSQL each worker has its own connection pool, as separate processes would.
    const second: Database = engine === 'postgres' ? await openAnotherConnection(getDatabase()) : database;
    try {
      const running = new Set<number>();
      const runsByJob = new Map<number, number>();
      const runsByWorker = { a: 0, b: 0 };
      let overlaps = 0;
      const handler =
        (label: 'a' | 'b'): JobHandler<z.output<typeof taskPayload>> =>
        async ({ job }) => {
          if (running.has(job.id)) overlaps += 1;
          running.add(job.id);
          runsByJob.set(job.id, (runsByJob.get(job.id) ?? 0) + 1);
          runsByWorker[label] += 1;
          await sleep(Math.random() * 6);
          running.delete(job.id);
        };
      const ids = await database.transaction(async (trx) => {
        const created: number[] = [];
        for (let i = 0; i < 60; i++) {
          created.push((await enqueue(trx, { kind: 'test.task', payload: { label: `job ${i}` } }, testRegistry([taskJob(handler('a'))])))!);
        }
        return created;
      });

      const a = worker({ registry: testRegistry([taskJob(handler('a'))]), workerId: 'a' });
      const b = worker({ registry: testRegistry([taskJob(handler('b'))]), workerId: 'b', database: second });
      a.start();
      b.start();
      await until(() => runsByWorker.a + runsByWorker.b >= 60 && running.size === 0, 15_000);
      // Stopping waits for every outcome to be recorded.
      await Promise.all([a.stop(), b.stop()]);
      expect(overlaps).toBe(0);
      expect([...runsByJob.keys()].sort((x, y) => x - y)).toEqual(ids);
      expect([...runsByJob.values()].every((n) => n === 1)).toBe(true);
      expect(runsByWorker.a + runsByWorker.b).toBe(60);
      expect(runsByWorker.a).toBeGreaterThan(0);
      expect(runsByWorker.b).toBeGreaterThan(0);
      expect((await allJobs(database)).map((job) => [job.status, job.attempts])).toEqual(ids.map(() => ['done', 1]));
    } finally {
      if (second !== database) await second.close();
    }
  });

  it('keeps running other jobs when one handler fails', async () => {
    const database = getDatabase();
    const registry = testRegistry([
      taskJob(async ({ job }) => {
        if (job.payload.label === 'bad') throw new Error('this one always fails');
      }),
    ]);
    const labels = ['ok 1', 'bad', 'ok 2', 'ok 3', 'ok 4', 'ok 5'];
    for (const label of labels) {
      await enqueue(database.db, { kind: 'test.task', payload: { label }, maxAttempts: 2 }, registry);
    }
    const w = worker({ registry, concurrency: 2 });
    w.start();
    await until(async () => (await allJobs(database)).every((job) => job.status === 'done' || job.status === 'dead'));
    await w.stop();
    const jobs = await allJobs(database);
    expect(jobs.map((job) => [job.status, job.attempts])).toEqual([
      ['done', 1],
      ['dead', 2],
      ['done', 1],
      ['done', 1],
      ['done', 1],
      ['done', 1],
    ]);
  });

  it('renews the lease while a handler runs', async () => {
    const database = getDatabase();
    const leaseMs = 600;
    let renewed = false;
    const registry = testRegistry([
      taskJob(async ({ job }) => {
        const first = (await jobById(database, job.id)).locked_until!;
        // The first heartbeat is due after a third of the lease, well within the timeout.
        await until(async () => (await jobById(database, job.id)).locked_until! > first, 500);
        renewed = true;
      }),
    ]);
    await enqueue(database.db, { kind: 'test.task', payload: { label: 'slow' } }, registry);
    const w = worker({ registry, leaseMs, jobTimeoutMs: leaseMs - 10 });
    expect(await w.runOnce()).toMatchObject({ done: 1 });
    expect(renewed).toBe(true);
  });

  it('aborts a handler that runs past its timeout and retries the job later', async () => {
    const database = getDatabase();
    let abortReason: unknown;
    const registry = testRegistry([
      taskJob(
        ({ signal }) =>
          new Promise<void>((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              abortReason = signal.reason;
              reject(signal.reason as Error);
            });
          }),
      ),
    ]);
    const id = await enqueue(database.db, { kind: 'test.task', payload: { label: 'stuck' } }, registry);
    expect(await worker({ registry, jobTimeoutMs: 50 }).runOnce()).toMatchObject({ retrying: 1 });
    expect(abortReason).toMatchObject({ name: 'JobTimeoutError' });
    expect((await jobById(database, id!)).last_error).toBe(
      'JobTimeoutError: The job handler ran longer than 50 ms and was aborted',
    );
  });

  it('lets a running handler finish when it stops', async () => {
    const database = getDatabase();
    let started = false;
    let finish: () => void = () => {
      throw new Error('the handler has not started');
    };
    const registry = testRegistry([
      taskJob(
        () =>
          new Promise<void>((resolve) => {
            started = true;
            finish = resolve;
          }),
      ),
    ]);
    const id = await enqueue(database.db, { kind: 'test.task', payload: { label: 'in flight' } }, registry);
    const w = worker({ registry, jobTimeoutMs: 250 });
    w.start();
    await until(() => started);

    let stopped = false;
    const stopping = w.stop().then(() => {
      stopped = true;
    });
    await sleep(50);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(await jobById(database, id!)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('aborts handlers that outlast the stop timeout and leaves their jobs to run again', async () => {
    const database = getDatabase();
    let sawAbort = false;
    const registry = testRegistry([
      taskJob(
        ({ signal }) =>
          new Promise<void>((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              sawAbort = true;
              reject(signal.reason as Error);
            });
          }),
      ),
    ]);
    const id = await enqueue(database.db, { kind: 'test.task', payload: { label: 'long' } }, registry);
    const w = worker({ registry, stopTimeoutMs: 30 });
    w.start();
    await until(async () => (await jobById(database, id!)).status === 'running');
    await w.stop();
    expect(sawAbort).toBe(true);
    expect(await jobById(database, id!)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'WorkerStoppingError: The worker stopped before the job handler finished',
    });
  });

  it('logs job ids, kinds and attempts, never payloads', async () => {
    const database = getDatabase();
    const lines: string[] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger: JobLogger = pino({ level: 'info' }, output);
    const registry = testRegistry([
      taskJob(async ({ job }) => {
        if (job.payload.label.startsWith('Rosa')) throw new Error(`could not reach ${job.payload.label}`);
      }),
    ]);
    await enqueue(database.db, { kind: 'test.task', payload: { label: 'Rosa Martínez, +52 55 1234 5678' } }, registry);
    await enqueue(database.db, { kind: 'test.task', payload: { label: 'Juan Pérez' } }, registry);
    expect(await worker({ registry, logger }).runOnce()).toMatchObject({ done: 1, retrying: 1 });

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'job done', kind: 'test.task', attempt: 1, jobId: expect.any(Number) }),
        expect.objectContaining({ msg: 'job failed; will retry', error: 'Error: could not reach [payload]' }),
      ]),
    );
    const text = lines.join('');
    for (const secret of ['Rosa', 'Martínez', '1234', 'Juan', 'Pérez']) expect(text).not.toContain(secret);
  });
});
