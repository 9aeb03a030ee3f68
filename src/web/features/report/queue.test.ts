import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { ReportContent, ReportRequestBody } from '../../api/public-reports';
import {
  MAX_RETRY_DELAY_MS,
  MIN_RETRY_DELAY_MS,
  base64url,
  enqueueReport,
  flushQueue,
  newReceiptSecret,
  retryDelay,
  type QueueServer,
  type QueueStore,
  type QueuedReport,
  type Receipt,
} from './queue';

class MemoryStore implements QueueStore {
  queued = new Map<string, QueuedReport>();
  receipts: Receipt[] = [];
  async listQueued() {
    return [...this.queued.values()].map((item) => structuredClone(item));
  }
  async putQueued(item: QueuedReport) {
    this.queued.set(item.id, structuredClone(item));
  }
  async removeQueued(id: string) {
    this.queued.delete(id);
  }
  async completeQueued(id: string, receipt: Receipt) {
    this.queued.delete(id);
    this.receipts.push(receipt);
  }
}

const CONTENT: ReportContent = {
  whatHappened: 'Llegaron tres camionetas al albergue.',
  when: { date: '2026-03-01', precision: 'month' },
  where: { stateCode: '07', municipalityCode: '07089', placeType: 'MIGRANT_SHELTER', shelterName: '' },
  who: { perpetratorType: null, description: '' },
  contact: '',
  consent: { mayContact: false, mayPublish: true },
};

const apiError = (status: number, code: ConstructorParameters<typeof ApiError>[1], retryAfter?: number, details?: unknown) =>
  new ApiError(status, code, code, details, 'req-1', retryAfter);

/** A server that answers with the scripted failures first, then files reports once per key. */
function fakeServer(script: Array<ApiError | 'ok'> = []) {
  const requests: Array<{ key: string; body: ReportRequestBody }> = [];
  const reports = new Map<string, string>();
  let challenges = 0;
  const server: QueueServer = {
    async challenge() {
      challenges++;
      return { challenge: `c${challenges}`, bits: 4, expiresAt: '2026-01-01T00:05:00Z' };
    },
    async submit(key, body) {
      requests.push({ key, body });
      const next = script.shift();
      if (next instanceof ApiError) throw next;
      const code = reports.get(key) ?? `CODE-${reports.size + 1}`;
      reports.set(key, code);
      return { receiptCode: code, status: 'received', submittedAt: '2026-01-01T00:00:00Z' };
    },
  };
  return { server, requests, reports, challengeCount: () => challenges };
}

const solve = async () => '42';

describe('report queue', () => {
  it('makes receipt secrets of 32 random bytes in 43 base64url characters', () => {
    const secret = newReceiptSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newReceiptSecret()).not.toBe(secret);
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
    expect(newReceiptSecret(() => new Uint8Array(32).fill(0xff))).toBe(`${'_'.repeat(42)}8`);
  });

  it('sends a queued report with its key, secret and a solved challenge, and keeps only the receipt', async () => {
    const store = new MemoryStore();
    const { server, requests } = fakeServer();
    const item = await enqueueReport(store, CONTENT, { now: 0 });
    expect(item.id.length).toBeGreaterThanOrEqual(8);

    const result = await flushQueue({ store, server, solve, now: () => 1 });

    expect(result).toEqual({ sent: [{ receiptCode: 'CODE-1', secret: item.receiptSecret, submittedAt: '2026-01-01T00:00:00Z' }], waiting: 0, rejected: 0 });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toEqual({
      key: item.id,
      body: { ...CONTENT, pow: { challenge: 'c1', nonce: '42' }, receiptSecret: item.receiptSecret },
    });
    expect(store.queued.size).toBe(0);
    expect(store.receipts).toEqual(result.sent);
  });

  it('retries a lost answer with the same key and secret, so the server files the report once', async () => {
    const store = new MemoryStore();
    const { server, requests, reports } = fakeServer([apiError(0, 'NETWORK')]);
    const item = await enqueueReport(store, CONTENT, { now: 0 });

    const first = await flushQueue({ store, server, solve, now: () => 0, random: () => 0 });
    expect(first.sent).toEqual([]);
    expect(first.nextAttemptAt).toBe(MIN_RETRY_DELAY_MS / 2);
    expect((await store.listQueued())[0]).toMatchObject({ attempts: 1, lastProblem: 'network' });

    // Not due yet: nothing is sent.
    expect((await flushQueue({ store, server, solve, now: () => 1000 })).sent).toEqual([]);
    expect(requests).toHaveLength(1);

    const second = await flushQueue({ store, server, solve, now: () => MIN_RETRY_DELAY_MS });
    expect(second.sent).toHaveLength(1);
    expect(requests.map((r) => [r.key, r.body.receiptSecret])).toEqual([
      [item.id, item.receiptSecret],
      [item.id, item.receiptSecret],
    ]);
    // Two different challenges: each attempt solved a fresh one.
    expect(requests.map((r) => r.body.pow.challenge)).toEqual(['c1', 'c2']);
    expect(reports.size).toBe(1);
  });

  it('ignores the wait when forced (the reporter pressed retry, or the connection came back)', async () => {
    const store = new MemoryStore();
    const { server } = fakeServer([apiError(503, 'SERVICE_UNAVAILABLE')]);
    await enqueueReport(store, CONTENT, { now: 0 });
    await flushQueue({ store, server, solve, now: () => 0 });
    expect((await flushQueue({ store, server, solve, now: () => 1 }, { force: true })).sent).toHaveLength(1);
  });

  it('replaces a refused challenge at once, a few times, then waits', async () => {
    const store = new MemoryStore();
    const refused = () => apiError(400, 'POW_INVALID');
    const { server, challengeCount, requests } = fakeServer([refused(), refused()]);
    await enqueueReport(store, CONTENT, { now: 0 });
    expect((await flushQueue({ store, server, solve, now: () => 0 })).sent).toHaveLength(1);
    expect(challengeCount()).toBe(3);
    expect(new Set(requests.map((r) => r.key)).size).toBe(1);

    const stubborn = fakeServer([refused(), refused(), refused()]);
    await enqueueReport(store, CONTENT, { now: 0 });
    const result = await flushQueue({ store, server: stubborn.server, solve, now: () => 0 });
    expect(result.waiting).toBe(1);
    expect((await store.listQueued())[0]?.lastProblem).toBe('proof_of_work');
  });

  it('waits at least as long as the server asks when rate-limited', async () => {
    const store = new MemoryStore();
    const { server } = fakeServer([apiError(429, 'RATE_LIMITED', 120)]);
    await enqueueReport(store, CONTENT, { now: 0 });
    const result = await flushQueue({ store, server, solve, now: () => 0, random: () => 0 });
    expect(result.nextAttemptAt).toBe(120_000);
    expect((await store.listQueued())[0]?.lastProblem).toBe('rate_limited');
  });

  it('keeps a report the server refused as it is, with the fields named, and never resends it', async () => {
    const store = new MemoryStore();
    const refusal = apiError(400, 'VALIDATION_FAILED', undefined, [{ field: 'whatHappened', message: 'too short' }]);
    const { server, requests } = fakeServer([refusal]);
    await enqueueReport(store, CONTENT, { now: 0 });
    const result = await flushQueue({ store, server, solve, now: () => 0 });
    expect(result).toMatchObject({ sent: [], waiting: 0, rejected: 1 });
    expect((await store.listQueued())[0]?.rejected).toEqual({ fields: ['whatHappened'] });
    await flushQueue({ store, server, solve, now: () => 10 ** 12 }, { force: true });
    expect(requests).toHaveLength(1);
  });

  it('stops the round at a lost connection and sends oldest first', async () => {
    const store = new MemoryStore();
    const { server, requests } = fakeServer([apiError(0, 'NETWORK')]);
    const older = await enqueueReport(store, CONTENT, { now: 0 });
    await enqueueReport(store, { ...CONTENT, whatHappened: 'Otro incidente, más tarde.' }, { now: 10 });
    const result = await flushQueue({ store, server, solve, now: () => 20 });
    expect(requests.map((r) => r.key)).toEqual([older.id]);
    expect(result.waiting).toBe(2);

    const later = await flushQueue({ store, server, solve, now: () => 20 }, { force: true });
    expect(later.sent).toHaveLength(2);
    expect(requests.map((r) => r.key)[1]).toBe(older.id);
  });

  it('treats a failure of the solver as passing', async () => {
    const store = new MemoryStore();
    const { server } = fakeServer();
    await enqueueReport(store, CONTENT, { now: 0 });
    const result = await flushQueue({ store, server, solve: () => Promise.reject(new Error('worker died')), now: () => 0 });
    expect(result.waiting).toBe(1);
    expect((await store.listQueued())[0]?.lastProblem).toBe('server');
  });

  it('doubles the wait from 5 s to at most 10 min, with jitter between half and all of it', () => {
    expect(retryDelay(1, () => 1)).toBe(MIN_RETRY_DELAY_MS);
    expect(retryDelay(2, () => 1)).toBe(2 * MIN_RETRY_DELAY_MS);
    expect(retryDelay(3, () => 0)).toBe(2 * MIN_RETRY_DELAY_MS);
    expect(retryDelay(30, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });
});
