import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isEvidenceError, type EvidenceErrorCode } from './errors.js';
import { EvidenceStore } from './evidence-store.js';
import type { KeyLookup } from './sealed-stream.js';

const KEY = randomBytes(32);
const keys: KeyLookup = (version) => {
  if (version === 3) return KEY;
  throw new Error(`no key ${version}`);
};
const MARKER = 'ATAQUE-ALBERGUE-PLAINTEXT-9c1e';
const ID = 'upload_0001';
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** Evidence with a findable marker throughout, longer than several 64 KiB segments. */
const EVIDENCE = Buffer.concat(
  Array.from({ length: 2_000 }, (_, line) => Buffer.from(`${MARKER} línea ${line} ${'x'.repeat(100)}\n`)),
);

let root: string;
let store: EvidenceStore;

beforeEach(async () => {
  root = join(await mkdtemp(join(tmpdir(), 'vigia-evidence-')), 'evidence');
  store = new EvidenceStore(root);
});
afterEach(async () => {
  await rm(join(root, '..'), { recursive: true, force: true });
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const send = (data: Buffer) => Readable.from([data.subarray(0, 1000), data.subarray(1000)].filter((b) => b.length));
const append = (offset: number, data: Buffer, target = store) => target.appendChunk(ID, offset, send(data), NO_LIMIT, keys);

async function failure(work: Promise<unknown>): Promise<{ code: EvidenceErrorCode | undefined; offset?: number }> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isEvidenceError(error), `expected an EvidenceError, got ${String(error)}`).toBe(true);
  return isEvidenceError(error) ? { code: error.code, offset: error.offset } : { code: undefined };
}

/** Every file under the store, read raw: the whole disk footprint an attacker with the disk would see. */
async function everyFileOnDisk(directory = root): Promise<Buffer[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? everyFileOnDisk(join(directory, entry.name)) : readFile(join(directory, entry.name)).then((b) => [b]),
    ),
  );
  return nested.flat();
}

async function expectNoPlaintextOnDisk(): Promise<void> {
  const files = await everyFileOnDisk();
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    expect(file.includes(MARKER)).toBe(false);
    expect(file.includes('ATAQUE')).toBe(false);
  }
}

describe('EvidenceStore', () => {
  it('receives an upload in uneven chunks and returns its hash, length and head', async () => {
    await store.createUpload({ id: ID, length: EVIDENCE.length, keyVersion: 3 });
    expect(await store.status(ID)).toEqual({ offset: 0, length: EVIDENCE.length, complete: false });

    const cuts = [0, 1, 70_000, 70_001, 200_000, EVIDENCE.length];
    for (const [index, from] of cuts.slice(0, -1).entries()) {
      const status = await append(from, EVIDENCE.subarray(from, cuts[index + 1]));
      expect(status.offset).toBe(cuts[index + 1]);
    }
    expect(await store.status(ID)).toEqual({ offset: EVIDENCE.length, length: EVIDENCE.length, complete: true });

    const summary = await store.finish(ID, keys);
    expect(summary.sha256).toBe(sha256(EVIDENCE));
    expect(summary.length).toBe(EVIDENCE.length);
    expect(summary.head.equals(EVIDENCE.subarray(0, 4096))).toBe(true);
    expect((await buffer(await store.openOriginal(ID, keys))).equals(EVIDENCE)).toBe(true);
    expect(await store.finish(ID, keys)).toEqual(summary);
  });

  it('never puts plaintext on disk: not while a chunk streams in, not between chunks, not after finishing', async () => {
    await store.createUpload({ id: ID, length: EVIDENCE.length, keyVersion: 3 });
    const half = 150_001;
    async function* slowSender() {
      yield EVIDENCE.subarray(0, 100_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expectNoPlaintextOnDisk();
      yield EVIDENCE.subarray(100_000, half);
    }
    await store.appendChunk(ID, 0, Readable.from(slowSender()), NO_LIMIT, keys);
    await expectNoPlaintextOnDisk();
    await append(half, EVIDENCE.subarray(half));
    await store.finish(ID, keys);
    await store.putDerived(ID, 'redacted', Buffer.from(`${MARKER} redactado`), KEY, 3);
    await expectNoPlaintextOnDisk();
  });

  it('resumes after a restart from the last stored byte', async () => {
    await store.createUpload({ id: ID, length: EVIDENCE.length, keyVersion: 3 });
    await append(0, EVIDENCE.subarray(0, 123_457));

    const restarted = new EvidenceStore(root);
    expect(await restarted.status(ID)).toEqual({ offset: 123_457, length: EVIDENCE.length, complete: false });
    await append(123_457, EVIDENCE.subarray(123_457), restarted);
    expect((await restarted.finish(ID, keys)).sha256).toBe(sha256(EVIDENCE));
  });

  it('keeps what arrived before the sender broke off, and says where to resume', async () => {
    await store.createUpload({ id: ID, length: EVIDENCE.length, keyVersion: 3 });
    async function* brokenSender() {
      yield EVIDENCE.subarray(0, 90_000);
      throw new Error('socket hang up');
    }
    const broken = await failure(store.appendChunk(ID, 0, Readable.from(brokenSender()), NO_LIMIT, keys));
    expect(broken).toEqual({ code: 'INTERRUPTED', offset: 90_000 });
    expect((await store.status(ID)).offset).toBe(90_000);
    await append(90_000, EVIDENCE.subarray(90_000));
    expect((await store.finish(ID, keys)).sha256).toBe(sha256(EVIDENCE));
  });

  it('refuses a chunk at the wrong offset and names the right one', async () => {
    await store.createUpload({ id: ID, length: 100, keyVersion: 3 });
    await append(0, randomBytes(40));
    expect(await failure(append(0, randomBytes(10)))).toEqual({ code: 'OFFSET_MISMATCH', offset: 40 });
    expect(await failure(append(41, randomBytes(10)))).toEqual({ code: 'OFFSET_MISMATCH', offset: 40 });
    expect((await store.status(ID)).offset).toBe(40);
  });

  it('lets only one of two simultaneous chunks for the same offset in', async () => {
    await store.createUpload({ id: ID, length: 100, keyVersion: 3 });
    const results = await Promise.allSettled([append(0, randomBytes(30)), append(0, randomBytes(30))]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await store.status(ID)).offset).toBe(30);
  });

  it('refuses more than the declared length or the request limit, keeping nothing of that chunk', async () => {
    await store.createUpload({ id: ID, length: 100, keyVersion: 3 });
    await append(0, randomBytes(60));
    expect((await failure(append(60, randomBytes(41)))).code).toBe('TOO_LARGE');
    const limited = store.appendChunk(ID, 60, send(randomBytes(30)), 20, keys);
    expect((await failure(limited)).code).toBe('TOO_LARGE');
    expect(await store.status(ID)).toEqual({ offset: 60, length: 100, complete: false });
    expect(await readdir(join(root, ID, 'parts'))).toEqual(['000000.seal']);
    await append(60, randomBytes(40));
    expect((await failure(append(100, randomBytes(1)))).code).toBe('TOO_LARGE');
    expect(await append(100, Buffer.alloc(0))).toEqual({ offset: 100, length: 100, complete: true });
  });

  it('refuses to finish an incomplete upload and to open an unfinished one', async () => {
    await store.createUpload({ id: ID, length: 100, keyVersion: 3 });
    await append(0, randomBytes(10));
    expect(await failure(store.finish(ID, keys))).toEqual({ code: 'INCOMPLETE', offset: 10 });
    expect((await failure(store.openOriginal(ID, keys))).code).toBe('INCOMPLETE');
  });

  it('handles an empty upload', async () => {
    await store.createUpload({ id: ID, length: 0, keyVersion: 3 });
    const summary = await store.finish(ID, keys);
    expect(summary).toEqual({ sha256: sha256(Buffer.alloc(0)), length: 0, head: Buffer.alloc(0) });
    expect((await buffer(await store.openOriginal(ID, keys))).length).toBe(0);
  });

  it('refuses ids and names that could leave the store directory', async () => {
    for (const id of ['../escape', '..', 'a/b/c/d/e', 'short', '', '.hidden-id', 'x'.repeat(65), 'name%2F..%2F', 'ünicode-id']) {
      expect((await failure(store.createUpload({ id, length: 1, keyVersion: 3 }))).code).toBe('INVALID_ID');
      expect((await failure(store.status(id))).code).toBe('INVALID_ID');
      expect((await failure(store.appendChunk(id, 0, send(Buffer.from('x')), 1, keys))).code).toBe('INVALID_ID');
      expect((await failure(store.openOriginal(id, keys))).code).toBe('INVALID_ID');
      expect((await failure(store.remove(id))).code).toBe('INVALID_ID');
    }
    await store.createUpload({ id: ID, length: 0, keyVersion: 3 });
    await store.finish(ID, keys);
    for (const name of ['../original', 'Redacted', 'a.seal', '']) {
      expect((await failure(store.putDerived(ID, name, Buffer.from('x'), KEY, 3))).code).toBe('INVALID_ID');
    }
  });

  it('creates an id once, and reports unknown ids as not found', async () => {
    await store.createUpload({ id: ID, length: 5, keyVersion: 3 });
    expect((await failure(store.createUpload({ id: ID, length: 5, keyVersion: 3 }))).code).toBe('ALREADY_EXISTS');
    expect((await failure(store.status('unknown_99'))).code).toBe('NOT_FOUND');
    expect((await failure(store.appendChunk('unknown_99', 0, send(Buffer.from('x')), 1, keys))).code).toBe('NOT_FOUND');
  });

  it('stores and opens a sealed derived copy, which cannot stand in for the original', async () => {
    await store.createUpload({ id: ID, length: EVIDENCE.length, keyVersion: 3 });
    await append(0, EVIDENCE);
    await store.finish(ID, keys);
    const redacted = Buffer.from('copia redactada');
    await store.putDerived(ID, 'redacted', redacted, KEY, 3);
    expect((await buffer(await store.openDerived(ID, 'redacted', keys))).equals(redacted)).toBe(true);
    expect((await failure(store.openDerived(ID, 'thumbnail', keys))).code).toBe('NOT_FOUND');

    // Someone with the disk swaps the files: both reads must fail rather than show one as the other.
    const original = await readFile(join(root, ID, 'original.seal'));
    const derived = await readFile(join(root, ID, 'derived', 'redacted.seal'));
    await writeFile(join(root, ID, 'original.seal'), derived);
    await writeFile(join(root, ID, 'derived', 'redacted.seal'), original);
    await expect(buffer(await store.openOriginal(ID, keys))).rejects.toMatchObject({ code: 'CORRUPT' });
    await expect(buffer(await store.openDerived(ID, 'redacted', keys))).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('refuses to finish when a stored part was altered, and commits nothing', async () => {
    await store.createUpload({ id: ID, length: 200, keyVersion: 3 });
    await append(0, randomBytes(100));
    await append(100, randomBytes(100));
    const part = join(root, ID, 'parts', '000001.seal');
    const bytes = await readFile(part);
    bytes[40]! ^= 1;
    await writeFile(part, bytes);
    expect((await failure(store.finish(ID, keys))).code).toBe('CORRUPT');
    expect((await readdir(join(root, ID))).sort()).toEqual(['parts', 'state.json']);
    expect((await failure(store.openOriginal(ID, keys))).code).toBe('INCOMPLETE');
  });

  it('refuses a key it cannot find and a wrong key', async () => {
    await store.createUpload({ id: ID, length: 10, keyVersion: 4 });
    expect((await failure(append(0, randomBytes(10)))).code).toBe('KEY_UNAVAILABLE');
    await store.appendChunk(ID, 0, send(randomBytes(10)), NO_LIMIT, () => KEY);
    expect((await failure(store.finish(ID, () => randomBytes(32)))).code).toBe('CORRUPT');
  });

  it('reports a disk that refuses writes as STORAGE_FAILURE and keeps the committed state', async () => {
    await store.createUpload({ id: ID, length: 100, keyVersion: 3 });
    await append(0, randomBytes(10));
    // The parts directory replaced by a file: every write into it fails, as on a broken disk.
    await rm(join(root, ID, 'parts'), { recursive: true });
    await writeFile(join(root, ID, 'parts'), '');
    expect((await failure(append(10, randomBytes(10)))).code).toBe('STORAGE_FAILURE');
    expect((await store.status(ID)).offset).toBe(10);

    const blocked = join(root, '..', 'not-a-directory');
    await writeFile(blocked, '');
    const unusable = new EvidenceStore(join(blocked, 'evidence'));
    expect((await failure(unusable.createUpload({ id: ID, length: 1, keyVersion: 3 }))).code).toBe('STORAGE_FAILURE');
  });

  it('removes an upload entirely, and sweeps what a crash left behind', async () => {
    await store.createUpload({ id: ID, length: 10, keyVersion: 3 });
    await append(0, randomBytes(5));
    await store.remove(ID);
    expect((await failure(store.status(ID))).code).toBe('NOT_FOUND');
    expect((await failure(store.remove(ID))).code).toBe('NOT_FOUND');
    expect(await readdir(root)).toEqual([]);

    await writeFile(join(root, '.trash-abandoned'), 'ciphertext');
    await writeFile(join(root, '.new-abandoned'), 'ciphertext');
    await store.createUpload({ id: ID, length: 1, keyVersion: 3 });
    await store.sweepLeftovers();
    expect(await readdir(root)).toEqual([ID]);
  });
});
