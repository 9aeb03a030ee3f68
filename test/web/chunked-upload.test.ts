import { describe, expect, it } from 'vitest';
import {
  initialUpload,
  nextChunkRange,
  progressOf,
  runUpload,
  type FailureKind,
  type UploadState,
  type UploadTransport,
} from '../../src/web/features/evidence/chunked-upload.js';

// The browser app's pure modules are tested here: vitest.config.ts leaves src/web out of the test run.

class Refused extends Error {}
class Conflict extends Error {
  constructor(readonly offset: number) {
    super('conflict');
  }
}

/** A server that keeps the bytes it accepts, and can be told to drop the connection on a given chunk. */
function fakeServer(options: { failOnCall?: number[]; refuseAtEnd?: boolean; acceptButFailOnCall?: number } = {}) {
  const received: number[][] = [];
  let stored: number[] = [];
  let calls = 0;
  let length = 0;
  const transport: UploadTransport<number[]> = {
    async start(size) {
      length = size;
      return { id: 'e1' };
    },
    async send(_id, offset, chunk) {
      calls += 1;
      if (options.failOnCall?.includes(calls)) throw new Error('network');
      if (offset !== stored.length) throw new Conflict(stored.length);
      received.push(chunk);
      stored = [...stored, ...chunk];
      if (options.acceptButFailOnCall === calls) throw new Error('the answer was lost');
      if (stored.length === length && options.refuseAtEnd) throw new Refused();
      return { offset: stored.length };
    },
    async query() {
      return { offset: stored.length, status: 'uploading' };
    },
    classify(error): FailureKind {
      if (error instanceof Refused) return { kind: 'refused' };
      if (error instanceof Conflict) return { kind: 'offset', offset: error.offset };
      return { kind: 'retry' };
    },
  };
  return { transport, received, stored: () => stored };
}

const file = (size: number) => {
  const bytes = Array.from({ length: size }, (_, i) => i % 251);
  return { size, slice: (start: number, end: number) => bytes.slice(start, end), bytes };
};

describe('chunked evidence upload', () => {
  it('sends the file in chunks at the offsets the server confirms, reporting progress', async () => {
    const server = fakeServer();
    const source = file(10);
    const seen: number[] = [];
    const end = await runUpload(source, server.transport, initialUpload(10), (s) => seen.push(progressOf(s)), 4);
    expect(end).toEqual({ phase: 'complete', id: 'e1', length: 10 });
    expect(server.received.map((c) => c.length)).toEqual([4, 4, 2]);
    expect(server.stored()).toEqual(source.bytes);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toContain(0.4);
  });

  it('stops on a failure and resumes from the offset the server reports, sending nothing twice', async () => {
    const server = fakeServer({ failOnCall: [2] });
    const source = file(10);
    const failed = await runUpload(source, server.transport, initialUpload(10), () => {}, 4);
    expect(failed).toMatchObject({ phase: 'failed', id: 'e1', offset: 4, length: 10 });
    const resumed = await runUpload(source, server.transport, failed, () => {}, 4);
    expect(resumed.phase).toBe('complete');
    expect(server.stored()).toEqual(source.bytes);
  });

  it('continues from the server offset when a chunk arrived but its answer was lost', async () => {
    const server = fakeServer({ acceptButFailOnCall: 1 });
    const source = file(10);
    const failed = await runUpload(source, server.transport, initialUpload(10), () => {}, 4);
    expect(failed).toMatchObject({ phase: 'failed', offset: 0 });
    expect(await runUpload(source, server.transport, failed, () => {}, 4)).toMatchObject({ phase: 'complete' });
    expect(server.stored()).toEqual(source.bytes);
  });

  it('follows a 409 to the offset the server names, and gives up on a refused file', async () => {
    const server = fakeServer();
    const source = file(6);
    const wrongPlace: UploadState = { phase: 'sending', id: 'e1', offset: 3, length: 6 };
    await server.transport.start(6);
    expect(await runUpload(source, server.transport, wrongPlace, () => {}, 4)).toMatchObject({ phase: 'complete' });
    expect(server.stored()).toEqual(source.bytes);

    const refusing = fakeServer({ refuseAtEnd: true });
    expect(await runUpload(file(3), refusing.transport, initialUpload(3), () => {}, 4)).toMatchObject({ phase: 'refused', id: 'e1' });
  });

  it('cuts the last chunk at the end of the file', () => {
    expect(nextChunkRange(8, 10, 4)).toEqual({ start: 8, end: 10 });
    expect(nextChunkRange(10, 10, 4)).toEqual({ start: 10, end: 10 });
  });
});
