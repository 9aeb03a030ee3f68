import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { MasterKey, MasterKeys } from '../crypto/master-keys.js';

/**
 * The encrypted container of a backup: AES-256-GCM in authenticated segments (the "STREAM" construction),
 * under a key derived by HKDF from the master key with a random salt of its own.
 *
 *   "VIGIABK1"  u32 header length  header (JSON: format, master key id, salt, nonce prefix)
 *   segment*    u32 ciphertext length  ciphertext ‖ 16-byte tag
 *
 * Segment i is sealed with nonce = prefix (8 bytes) ‖ i (u32), and its additional data binds the header
 * hash, the index and whether it is the last segment. So a changed byte anywhere, a reordered, dropped or
 * repeated segment, or a file cut after any segment is refused: only a file that reaches a segment marked
 * last, and ends there, is whole. The header is not secret but is authenticated by every segment.
 */
export const BACKUP_MAGIC = Buffer.from('VIGIABK1', 'ascii');
/** Plaintext bytes per segment: large enough to cost little, small enough to stream. */
export const SEGMENT_BYTES = 1 << 20;
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 4096;

interface ContainerHeader {
  format: 1;
  masterKeyId: string;
  salt: string;
  noncePrefix: string;
}

/** Why a backup file cannot be read: the message says what is wrong, for the person restoring. */
export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

function backupKey(masterKey: MasterKey, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey.key, salt, 'vigia/backup/v1', 32));
}

function segmentAad(headerHash: Buffer, index: number, last: boolean): Buffer {
  const aad = Buffer.alloc(headerHash.length + 5);
  headerHash.copy(aad);
  aad.writeUInt32BE(index, headerHash.length);
  aad[headerHash.length + 4] = last ? 1 : 0;
  return aad;
}

function nonce(prefix: Buffer, index: number): Buffer {
  const iv = Buffer.alloc(12);
  prefix.copy(iv);
  iv.writeUInt32BE(index, 8);
  return iv;
}

/** Turns plaintext chunks into the sealed container, one segment at a time. */
export class BackupSealer {
  readonly #key: Buffer;
  readonly #prefix = randomBytes(8);
  readonly #headerHash: Buffer;
  readonly #headerBytes: Buffer;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #index = 0;
  #finished = false;

  constructor(masterKey: MasterKey) {
    const salt = randomBytes(32);
    this.#key = backupKey(masterKey, salt);
    const header: ContainerHeader = {
      format: 1,
      masterKeyId: masterKey.id,
      salt: salt.toString('base64'),
      noncePrefix: this.#prefix.toString('base64'),
    };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    this.#headerBytes = Buffer.concat([BACKUP_MAGIC, length, json]);
    this.#headerHash = createHash('sha256').update(this.#headerBytes).digest();
  }

  /** The file's first bytes. */
  header(): Buffer {
    return this.#headerBytes;
  }

  /** Accepts plaintext; returns the whole segments it completes (possibly none). */
  push(chunk: Buffer): Buffer[] {
    if (this.#finished) throw new Error('backup already finished');
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    const out: Buffer[] = [];
    // A segment is only sealed once more bytes follow it, so that the last one can be marked last.
    while (this.#pendingBytes > SEGMENT_BYTES) {
      const all = Buffer.concat(this.#pending);
      out.push(this.#seal(all.subarray(0, SEGMENT_BYTES), false));
      const rest = all.subarray(SEGMENT_BYTES);
      this.#pending = [rest];
      this.#pendingBytes = rest.length;
    }
    return out;
  }

  /** Seals what is left as the last segment. */
  finish(): Buffer {
    this.#finished = true;
    return this.#seal(Buffer.concat(this.#pending), true);
  }

  #seal(plaintext: Buffer, last: boolean): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce(this.#prefix, this.#index));
    cipher.setAAD(segmentAad(this.#headerHash, this.#index, last));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    this.#index += 1;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    return Buffer.concat([length, body]);
  }
}

/** Reads exactly `n` bytes, or fewer only at the end of the input. */
export class ByteReader {
  #buffered: Buffer[] = [];
  #bytes = 0;
  #done = false;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  async read(n: number): Promise<Buffer> {
    while (this.#bytes < n && !this.#done) {
      const next = await this.source.next();
      if (next.done) this.#done = true;
      else {
        this.#buffered.push(next.value);
        this.#bytes += next.value.length;
      }
    }
    const all = Buffer.concat(this.#buffered);
    const taken = all.subarray(0, n);
    this.#buffered = [all.subarray(n)];
    this.#bytes = all.length - taken.length;
    return taken;
  }
}

const TRUNCATED = 'the backup file is incomplete (truncated): it ends before its last segment. Use a complete copy.';
const TAMPERED = 'the backup file has been altered or damaged: a segment failed authentication. Nothing was restored from it.';

/**
 * Opens a sealed container and yields its plaintext, segment by segment, each only after it
 * authenticated. Throws BackupFileError for a file that is not a backup, was made under another master
 * key, was changed, or was cut short.
 */
export async function* openSealedBackup(source: AsyncIterable<Buffer>, masterKeys: MasterKeys): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  const magic = await reader.read(BACKUP_MAGIC.length + 4);
  if (magic.length < BACKUP_MAGIC.length || !magic.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
    throw new BackupFileError('this file is not a Vigía backup (it does not start with the backup signature).');
  }
  if (magic.length < BACKUP_MAGIC.length + 4) throw new BackupFileError(TRUNCATED);
  const headerLength = magic.readUInt32BE(BACKUP_MAGIC.length);
  if (headerLength > MAX_HEADER_BYTES) throw new BackupFileError(TAMPERED);
  const headerJson = await reader.read(headerLength);
  if (headerJson.length < headerLength) throw new BackupFileError(TRUNCATED);
  let header: ContainerHeader;
  try {
    header = JSON.parse(headerJson.toString('utf8')) as ContainerHeader;
  } catch {
    throw new BackupFileError(TAMPERED);
  }
  if (header.format !== 1) throw new BackupFileError(`this backup has format ${String(header.format)}, which this version of Vigía cannot read.`);
  const masterKey = [masterKeys.current, ...masterKeys.previous].find((k) => k.id === header.masterKeyId);
  if (!masterKey) {
    throw new BackupFileError(
      `this backup was encrypted under master key ${String(header.masterKeyId)}, but the configured master key is ` +
        `${masterKeys.current.id}. Configure the master key of the instance that made the backup (VIGIA_MASTER_KEY or ` +
        'VIGIA_MASTER_KEY_FILE); without it the backup cannot be opened.',
    );
  }
  const key = backupKey(masterKey, Buffer.from(header.salt, 'base64'));
  const prefix = Buffer.from(header.noncePrefix, 'base64');
  const headerHash = createHash('sha256').update(magic).update(headerJson).digest();
  if (prefix.length !== 8) throw new BackupFileError(TAMPERED);

  for (let index = 0; ; index += 1) {
    const lengthBytes = await reader.read(4);
    if (lengthBytes.length < 4) throw new BackupFileError(TRUNCATED);
    const length = lengthBytes.readUInt32BE(0);
    if (length < TAG_BYTES || length > SEGMENT_BYTES + TAG_BYTES) throw new BackupFileError(TAMPERED);
    const body = await reader.read(length);
    if (body.length < length) throw new BackupFileError(TRUNCATED);
    // Try the segment as a middle one first; a valid last segment only authenticates with the last flag.
    const plaintext = tryOpen(key, prefix, headerHash, index, body, false);
    if (plaintext) {
      yield plaintext;
      continue;
    }
    const last = tryOpen(key, prefix, headerHash, index, body, true);
    if (!last) throw new BackupFileError(TAMPERED);
    if ((await reader.read(1)).length > 0) throw new BackupFileError('the backup file has unexpected bytes after its end: it was altered.');
    yield last;
    return;
  }
}

function tryOpen(key: Buffer, prefix: Buffer, headerHash: Buffer, index: number, body: Buffer, last: boolean): Buffer | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce(prefix, index));
  decipher.setAAD(segmentAad(headerHash, index, last));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}
