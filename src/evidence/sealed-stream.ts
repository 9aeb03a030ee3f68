import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { EvidenceError } from './errors.js';

/**
 * Sealed files: authenticated encryption for evidence of any size, one bounded segment at a time, so
 * a gigabyte of video never sits in memory and no plaintext byte is written before it is encrypted.
 *
 * Format (version 1), after the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015):
 *
 *   header  = magic "VGSL" | version u8 = 1 | key version u32 BE | nonce prefix (8 random bytes)   17 bytes
 *   segment = AES-256-GCM(plaintext) | tag (16 bytes)
 *
 * Every segment but the last holds exactly SEGMENT_SIZE plaintext bytes; the last holds 1 to SEGMENT_SIZE
 * (0 only for an empty file, which is still one empty final segment). Segment i uses the nonce
 * prefix | i (u32 BE) and the associated data header | i (u32 BE) | final (u8) | context. Hence a segment
 * moved, dropped or copied from another file fails its tag; a file cut after any segment fails because
 * its new last segment was not sealed as final; and the key version cannot be edited to make a reader
 * pick another key. `context` (optional, caller's bytes) ties a file to what it is, e.g. an upload id,
 * so one sealed file cannot be swapped for another under the same key.
 */
export const SEGMENT_SIZE = 64 * 1024;
export const HEADER_LENGTH = 17;
export const FORMAT_VERSION = 1;
const MAGIC = Buffer.from('VGSL', 'latin1');
const TAG_LENGTH = 16;
const RECORD_SIZE = SEGMENT_SIZE + TAG_LENGTH;
const NONCE_PREFIX_LENGTH = 8;
const KEY_LENGTH = 32;
const MAX_SEGMENTS = 2 ** 32;

/** Finds the key for a key version named in a header, so old files stay readable after rotation. */
export type KeyLookup = (keyVersion: number) => Buffer;

/** Binds a sealed file to its role (for example "original of upload X"), checked on every segment. */
export interface SealOptions {
  context?: Buffer;
}

/** The key version a sealed file was written with, read from its first HEADER_LENGTH bytes. */
export function readKeyVersion(header: Uint8Array): number {
  return parseHeader(Buffer.from(header.buffer, header.byteOffset, header.byteLength)).keyVersion;
}

/** Encrypts a plaintext stream into a sealed file with the given key, labelled with its version. */
export function createSealStream(key: Buffer, keyVersion: number, options: SealOptions = {}): Transform {
  return new SealTransform(checkKey(key), checkKeyVersion(keyVersion), options.context ?? Buffer.alloc(0));
}

/**
 * Decrypts a sealed file, releasing each segment's plaintext only after its tag is verified. An error
 * (CORRUPT, KEY_UNAVAILABLE) can still come after earlier segments were released: a reader must treat
 * an errored stream as a failure and discard what it received.
 */
export function createOpenStream(keyLookup: KeyLookup, options: SealOptions = {}): Transform {
  return new OpenTransform(keyLookup, options.context ?? Buffer.alloc(0));
}

interface Header {
  bytes: Buffer;
  keyVersion: number;
  noncePrefix: Buffer;
}

function parseHeader(bytes: Buffer): Header {
  if (bytes.length < HEADER_LENGTH || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new EvidenceError('CORRUPT', 'This is not a sealed evidence file (bad or missing header).');
  }
  const version = bytes.readUInt8(4);
  if (version !== FORMAT_VERSION) {
    throw new EvidenceError('CORRUPT', `Sealed file format version ${version} is not supported.`);
  }
  return {
    bytes: Buffer.from(bytes.subarray(0, HEADER_LENGTH)),
    keyVersion: bytes.readUInt32BE(5),
    noncePrefix: Buffer.from(bytes.subarray(9, HEADER_LENGTH)),
  };
}

function buildHeader(keyVersion: number): Header {
  const noncePrefix = randomBytes(NONCE_PREFIX_LENGTH);
  const bytes = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt8(FORMAT_VERSION, 4);
  bytes.writeUInt32BE(keyVersion, 5);
  noncePrefix.copy(bytes, 9);
  return { bytes, keyVersion, noncePrefix };
}

function checkKey(key: Buffer): Buffer {
  if (!Buffer.isBuffer(key) || key.length !== KEY_LENGTH) {
    throw new EvidenceError('INVALID_ARGUMENT', `An evidence key must be ${KEY_LENGTH} bytes.`);
  }
  return key;
}

function checkKeyVersion(keyVersion: number): number {
  if (!Number.isInteger(keyVersion) || keyVersion < 0 || keyVersion > 0xffff_ffff) {
    throw new EvidenceError('INVALID_ARGUMENT', 'A key version must be an integer from 0 to 2^32 - 1.');
  }
  return keyVersion;
}

/** Nonce and associated data of segment `index`: what makes each segment unique to its place. */
function segmentParameters(header: Header, context: Buffer, index: number, final: boolean) {
  if (index >= MAX_SEGMENTS) throw new EvidenceError('TOO_LARGE', 'A sealed file cannot hold more than 2^32 segments.');
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(index);
  const nonce = Buffer.concat([header.noncePrefix, counter]);
  const aad = Buffer.concat([header.bytes, counter, Buffer.from([final ? 1 : 0]), context]);
  return { nonce, aad };
}

/** Collects incoming chunks so segments can be cut without copying the whole stream. */
class ByteQueue {
  private chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Removes and returns the first `count` bytes (count ≤ length). */
  take(count: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    this.chunks = all.length > count ? [all.subarray(count)] : [];
    this.length -= count;
    return all.subarray(0, count);
  }
}

class SealTransform extends Transform {
  private readonly header: Header;
  private readonly pending = new ByteQueue();
  private index = 0;
  private headerSent = false;

  constructor(
    private readonly key: Buffer,
    keyVersion: number,
    private readonly context: Buffer,
  ) {
    super();
    this.header = buildHeader(keyVersion);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.pending.push(chunk);
      // Keep at least one byte back: only the end of input decides which segment is final.
      while (this.pending.length > SEGMENT_SIZE) this.sealSegment(this.pending.take(SEGMENT_SIZE), false);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.sealSegment(this.pending.take(this.pending.length), true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private sealSegment(plaintext: Buffer, final: boolean): void {
    if (!this.headerSent) {
      this.push(this.header.bytes);
      this.headerSent = true;
    }
    const { nonce, aad } = segmentParameters(this.header, this.context, this.index, final);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_LENGTH });
    cipher.setAAD(aad);
    this.push(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
    this.index += 1;
  }
}

class OpenTransform extends Transform {
  private readonly pending = new ByteQueue();
  private header: Header | undefined;
  private key: Buffer | undefined;
  private index = 0;

  constructor(
    private readonly keyLookup: KeyLookup,
    private readonly context: Buffer,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.pending.push(chunk);
      if (this.header === undefined && this.pending.length >= HEADER_LENGTH) this.readHeader();
      // A full record is final only if nothing follows it, which only the end of input can tell.
      while (this.header !== undefined && this.pending.length > RECORD_SIZE) {
        this.openSegment(this.pending.take(RECORD_SIZE), false);
      }
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.header === undefined) this.readHeader();
      if (this.pending.length < TAG_LENGTH) {
        throw new EvidenceError('CORRUPT', 'The sealed file is truncated: its final segment is missing.');
      }
      this.openSegment(this.pending.take(this.pending.length), true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private readHeader(): void {
    this.header = parseHeader(this.pending.take(Math.min(HEADER_LENGTH, this.pending.length)));
    let key: Buffer | undefined;
    try {
      key = this.keyLookup(this.header.keyVersion);
    } catch (error) {
      throw new EvidenceError('KEY_UNAVAILABLE', `No key for key version ${this.header.keyVersion}.`, { cause: error });
    }
    if (!Buffer.isBuffer(key) || key.length !== KEY_LENGTH) {
      throw new EvidenceError('KEY_UNAVAILABLE', `No usable key for key version ${this.header.keyVersion}.`);
    }
    this.key = key;
  }

  private openSegment(record: Buffer, final: boolean): void {
    const header = this.header!;
    const { nonce, aad } = segmentParameters(header, this.context, this.index, final);
    const decipher = createDecipheriv('aes-256-gcm', this.key!, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad);
    decipher.setAuthTag(record.subarray(record.length - TAG_LENGTH));
    const plaintext = decipher.update(record.subarray(0, record.length - TAG_LENGTH));
    try {
      decipher.final();
    } catch (error) {
      throw new EvidenceError(
        'CORRUPT',
        `Sealed segment ${this.index} failed authentication: wrong key, or the file was altered, reordered or truncated.`,
        { cause: error },
      );
    }
    this.push(plaintext);
    this.index += 1;
  }
}
