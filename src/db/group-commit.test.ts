import { describe, expect, it } from 'vitest';
import { groupCommit, ItemRefused } from './group-commit.js';

/** A `run` that records each batch and waits until the test lets the current one finish. */
function controlledRun() {
  const batches: number[][] = [];
  let finish: (() => void) | undefined;
  const run = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => (finish = resolve));
    return items.map((n) => (n < 0 ? new ItemRefused(new Error(`refused ${n}`)) : n * 10));
  };
  const release = async () => {
    while (!finish) await new Promise((resolve) => setImmediate(resolve));
    const f = finish;
    finish = undefined;
    f();
  };
  return { batches, run, release };
}

describe('groupCommit', () => {
  it('runs a lone item at once, and groups those that arrive while a batch runs into the next', async () => {
    const { batches, run, release } = controlledRun();
    const submit = groupCommit({ run, maxBatch: 100 });
    const first = submit(1);
    const later = [2, 3, 4].map(submit);
    await release();
    await release();
    expect(await first).toBe(10);
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('refuses an item alone, and every item of a batch whose run fails', async () => {
    const { run, release } = controlledRun();
    const submit = groupCommit({ run, maxBatch: 100 });
    const ok = submit(1);
    const refused = submit(-1);
    const alsoOk = submit(2);
    await release();
    await release();
    await expect(ok).resolves.toBe(10);
    await expect(refused).rejects.toThrow('refused -1');
    await expect(alsoOk).resolves.toBe(20);

    const failing = groupCommit<number, number>({ run: async () => Promise.reject(new Error('commit failed')), maxBatch: 100 });
    await expect(Promise.all([failing(1), failing(2)])).rejects.toThrow('commit failed');
    // The queue is not stuck after a failed batch.
    const working = groupCommit<number, number>({ run: async (items) => items.map((n) => n), maxBatch: 100 });
    await expect(working(5)).resolves.toBe(5);
  });

  it('takes at most maxBatch items a batch', async () => {
    const { batches, run, release } = controlledRun();
    const submit = groupCommit({ run, maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map(submit);
    for (let i = 0; i < 3; i++) await release();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('refuses a run that answers for fewer items than it was given', async () => {
    const submit = groupCommit<number, number>({ run: async () => [], maxBatch: 10 });
    await expect(submit(1)).rejects.toThrow('0 results for 1 items');
  });
});
