import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { isEvidenceError } from './errors.js';
import {
  HEADER_LENGTH,
  SEGMENT_SIZE,
  createOpenStream,
  createSealStream,
  readKeyVersion,
  type KeyLookup,
} from './sealed-stream.js';

const KEY = randomBytes(32);
const OTHER_KEY = randomBytes(32);
const RECORD = SEGMENT_SIZE + 16;
const MARKER = 'TESTIMONIO-SECRETO-7f3a';
const keys: KeyLookup = (version) => {
  if (version === 7) return KEY;
  throw new Error(`unknown key version ${version}`);
};

/** Feeds the input in uneven pieces, as a network would, so segment cutting is exercised. */
function pieces(data: Buffer): Readable {
  const parts: Buffer[] = [];
  for (let at = 0, size = 1; at < data.length; at += size, size = (size * 7 + 3) % 100_003) {
    parts.push(data.subarray(at, at + size));
  }
  return Readable.from(parts);
}

const seal = (data: Buffer, context?: Buffer) => buffer(pieces(data).pipe(createSealStream(KEY, 7, { context })));
const open = (sealed: Buffer, lookup: KeyLookup = keys, context?: Buffer) =>
  buffer(pieces(sealed).pipe(createOpenStream(lookup, { context })));
const failure = (sealed: Buffer, lookup: KeyLookup = keys, context?: Buffer) =>
  open(sealed, lookup, context).then(
    () => undefined,
    (error: unknown) => error,
  );

describe('sealed streams', () => {
  it.each([
    ['nothing', 0],
    ['one byte', 1],
    ['exactly one segment', SEGMENT_SIZE],
    ['one segment and a byte', SEGMENT_SIZE + 1],
    ['several megabytes', 5 * 1024 * 1024 + 12_345],
  ])('round-trips %s', async (_name, size) => {
    const plaintext = randomBytes(size);
    const sealed = await seal(plaintext);
    const segments = Math.max(1, Math.ceil(size / SEGMENT_SIZE));
    expect(sealed.length).toBe(HEADER_LENGTH + size + segments * 16);
    expect((await open(sealed)).equals(plaintext)).toBe(true);
  });

  it('never writes the plaintext', async () => {
    const plaintext = Buffer.from(`${MARKER} `.repeat(20_000));
    const sealed = await seal(plaintext);
    expect(sealed.includes(MARKER)).toBe(false);
    expect(sealed.includes(MARKER.slice(0, 8))).toBe(false);
  });

  it('names its key version in the header and seals two files differently', async () => {
    const plaintext = Buffer.from(MARKER);
    const [first, second] = await Promise.all([seal(plaintext), seal(plaintext)]);
    expect(readKeyVersion(first.subarray(0, HEADER_LENGTH))).toBe(7);
    expect(first.subarray(HEADER_LENGTH).equals(second.subarray(HEADER_LENGTH))).toBe(false);
    expect(() => readKeyVersion(Buffer.from('not a sealed file'))).toThrow(/not a sealed evidence file/);
  });

  describe('refuses altered files', () => {
    const plaintext = randomBytes(3 * SEGMENT_SIZE + 500);
    const sealedOnce = seal(plaintext);

    it('with one byte changed', async () => {
      const sealed = Buffer.from(await sealedOnce);
      sealed[HEADER_LENGTH + RECORD + 100]! ^= 0x01;
      expect(isEvidenceError(await failure(sealed), 'CORRUPT')).toBe(true);
    });

    it('with two segments swapped', async () => {
      const sealed = Buffer.from(await sealedOnce);
      const first = Buffer.from(sealed.subarray(HEADER_LENGTH, HEADER_LENGTH + RECORD));
      sealed.copy(sealed, HEADER_LENGTH, HEADER_LENGTH + RECORD, HEADER_LENGTH + 2 * RECORD);
      first.copy(sealed, HEADER_LENGTH + RECORD);
      expect(isEvidenceError(await failure(sealed), 'CORRUPT')).toBe(true);
    });

    it('with the last segment cut off, or cut short', async () => {
      const sealed = await sealedOnce;
      expect(isEvidenceError(await failure(sealed.subarray(0, HEADER_LENGTH + 3 * RECORD)), 'CORRUPT')).toBe(true);
      expect(isEvidenceError(await failure(sealed.subarray(0, sealed.length - 1)), 'CORRUPT')).toBe(true);
      expect(isEvidenceError(await failure(sealed.subarray(0, HEADER_LENGTH + 10)), 'CORRUPT')).toBe(true);
      expect(isEvidenceError(await failure(sealed.subarray(0, 5)), 'CORRUPT')).toBe(true);
    });

    it('with bytes appended after the final segment', async () => {
      const sealed = Buffer.concat([await sealedOnce, randomBytes(RECORD)]);
      expect(isEvidenceError(await failure(sealed), 'CORRUPT')).toBe(true);
    });

    it('with the key version in the header edited', async () => {
      const sealed = Buffer.from(await sealedOnce);
      sealed.writeUInt32BE(8, 5);
      expect(isEvidenceError(await failure(sealed, () => KEY), 'CORRUPT')).toBe(true);
    });
  });

  it('refuses the wrong key and an unknown key version', async () => {
    const sealed = await seal(Buffer.from(MARKER));
    expect(isEvidenceError(await failure(sealed, () => OTHER_KEY), 'CORRUPT')).toBe(true);
    const unknown = await failure(sealed, (version) => keys(version + 1));
    expect(isEvidenceError(unknown, 'KEY_UNAVAILABLE')).toBe(true);
  });

  it('refuses a file sealed for another context', async () => {
    const sealed = await seal(Buffer.from(MARKER), Buffer.from('original:a'));
    expect((await open(sealed, keys, Buffer.from('original:a'))).toString()).toBe(MARKER);
    expect(isEvidenceError(await failure(sealed, keys, Buffer.from('derived:a')), 'CORRUPT')).toBe(true);
    expect(isEvidenceError(await failure(sealed), 'CORRUPT')).toBe(true);
  });

  it('refuses a key of the wrong length or an impossible key version', () => {
    expect(() => createSealStream(randomBytes(16), 1)).toThrow(/32 bytes/);
    expect(() => createSealStream(KEY, -1)).toThrow(/key version/);
    expect(() => createSealStream(KEY, 2 ** 32)).toThrow(/key version/);
  });
});
