/**
 * Group commit: many callers' writes committed together, each caller answered once the commit holding
 * its write is durable.
 *
 * Work whose transactions all queue on one row (the audit chain's head) can only commit one transaction
 * at a time, each paying its own commit and fsync. Here requests that arrive while a batch is committing
 * wait and go together in the next one: when the server is idle a request is a batch of one and is not
 * delayed at all; under load the batches grow and the commits stay few.
 *
 * `run` receives the batch and answers, in the same order, each item's result or the error that refused
 * that item alone (a refused item never stops the others). If `run` itself throws (the database is away,
 * the commit failed), every item of the batch gets that error: nothing of the batch was stored.
 */
export interface GroupCommitOptions<I, O> {
  run(items: readonly I[]): Promise<ReadonlyArray<O | ItemRefused>>;
  /** The most items one batch takes; the rest wait for the next. */
  maxBatch: number;
}

/** What `run` answers for an item it refused: `error` reaches that item's caller. */
export class ItemRefused {
  constructor(readonly error: unknown) {}
}

interface Waiting<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/** Returns `submit`, which resolves with the item's result once its batch has committed. */
export function groupCommit<I, O>(options: GroupCommitOptions<I, O>): (item: I) => Promise<O> {
  if (!(options.maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1');
  const queue: Array<Waiting<I, O>> = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      try {
        const results = await options.run(batch.map((w) => w.item));
        if (results.length !== batch.length) throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
        batch.forEach((waiting, i) => {
          const result = results[i]!;
          if (result instanceof ItemRefused) waiting.reject(result.error);
          else waiting.resolve(result);
        });
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    running = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!running) void drain();
    });
}
