import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { peekStream } from './peek-stream.js';

async function collect(stream: Readable): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of stream as AsyncIterable<Buffer>) pieces.push(piece);
  return Buffer.concat(pieces);
}

describe('peekStream', () => {
  it('returns the first bytes and a stream that still yields all of them', async () => {
    const data = Buffer.from('0123456789abcdefghij');
    const source = Readable.from([data.subarray(0, 3), data.subarray(3, 9), data.subarray(9)]);
    const { head, stream } = await peekStream(source, 5);
    expect(head.subarray(0, 5).toString()).toBe('01234');
    expect(head.length).toBeGreaterThanOrEqual(5);
    expect((await collect(stream)).equals(data)).toBe(true);
  });

  it('handles a stream shorter than the head, and an empty one', async () => {
    const short = await peekStream(Readable.from([Buffer.from('abc')]), 4096);
    expect(short.head.toString()).toBe('abc');
    expect((await collect(short.stream)).toString()).toBe('abc');
    const empty = await peekStream(Readable.from([]), 16);
    expect(empty.head.length).toBe(0);
    expect((await collect(empty.stream)).length).toBe(0);
  });

  it('throws an error that comes before the head is complete', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('ab');
      throw new Error('sealed segment failed');
    }
    await expect(peekStream(Readable.from(failing()), 10)).rejects.toThrow('sealed segment failed');
  });

  it('passes a later error to the returned stream', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(10);
      throw new Error('truncated');
    }
    const { stream } = await peekStream(Readable.from(failing()), 4);
    await expect(collect(stream)).rejects.toThrow('truncated');
  });

  it('destroys the source when the reader stops early', async () => {
    const source = Readable.from([Buffer.alloc(8), Buffer.alloc(8), Buffer.alloc(8)]);
    const { stream } = await peekStream(source, 4);
    for await (const piece of stream as AsyncIterable<Buffer>) {
      void piece;
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.destroyed).toBe(true);
  });
});
