import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { PlaintextDigest } from './plaintext-digest.js';

describe('PlaintextDigest', () => {
  it('hashes, counts and keeps the head across chunk boundaries while passing bytes through', async () => {
    const data = randomBytes(10_000);
    const digest = new PlaintextDigest(4096);
    const passed: Buffer[] = [];
    const chunks = [data.subarray(0, 1000), data.subarray(1000, 4000), data.subarray(4000, 4100), data.subarray(4100)];
    await pipeline(
      Readable.from(chunks),
      digest,
      new Writable({
        write: (chunk: Buffer, _encoding, callback) => {
          passed.push(chunk);
          callback();
        },
      }),
    );
    expect(Buffer.concat(passed).equals(data)).toBe(true);
    expect(digest.summary()).toEqual({
      sha256: createHash('sha256').update(data).digest('hex'),
      length: 10_000,
      head: data.subarray(0, 4096),
    });
  });

  it('refuses to give a summary before the stream has ended', () => {
    expect(() => new PlaintextDigest(16).summary()).toThrow(/before the stream finished/);
  });
});
