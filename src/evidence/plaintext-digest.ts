import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** What the integrator needs once an upload is whole: its fingerprint, its size and the bytes to detect its type. */
export interface PlaintextSummary {
  sha256: string;
  length: number;
  head: Buffer;
}

/**
 * Passes plaintext through unchanged while hashing it and keeping its first `headLength` bytes, so a
 * single streaming pass over a decrypted upload yields its SHA-256 and the head for `detectType`
 * without holding the file in memory.
 */
export class PlaintextDigest extends Transform {
  private readonly hash = createHash('sha256');
  private readonly headParts: Buffer[] = [];
  private headBytes = 0;
  private length = 0;
  private digest: string | undefined;

  constructor(private readonly headLength: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.length += chunk.length;
    if (this.headBytes < this.headLength) {
      const part = chunk.subarray(0, this.headLength - this.headBytes);
      this.headParts.push(Buffer.from(part));
      this.headBytes += part.length;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    callback();
  }

  /** The summary; only meaningful once the stream has finished. */
  summary(): PlaintextSummary {
    if (this.digest === undefined) throw new Error('PlaintextDigest.summary() called before the stream finished.');
    return { sha256: this.digest, length: this.length, head: Buffer.concat(this.headParts, this.headBytes) };
  }
}
