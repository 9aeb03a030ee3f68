import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable, Writable, pipeline as pipelineCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  asStorageError,
  commitTemporary,
  failAfterDiscarding,
  isMissing,
  syncPath,
  temporaryPathFor,
  writeFileDurably,
} from './durable-fs.js';
import { TYPE_DETECTION_BYTES } from './detect-type.js';
import { EvidenceError } from './errors.js';
import { PlaintextDigest, type PlaintextSummary } from './plaintext-digest.js';
import { createOpenStream, createSealStream, type KeyLookup } from './sealed-stream.js';

/** Where an upload stands, in the terms tus uses: bytes received of bytes declared. */
export interface UploadStatus {
  offset: number;
  length: number;
  complete: boolean;
}

/** Ids become directory names, so only this shape is accepted: no dots, no slashes, nothing to traverse. */
export const EVIDENCE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** Names of derived copies ("redacted", "thumbnail-480"), also used as file names. */
export const DERIVED_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Receiving more separate chunks than this means a broken or hostile client, not a slow network. */
export const DEFAULT_MAX_CHUNKS = 10_000;

interface UploadState {
  format: 1;
  length: number;
  keyVersion: number;
  offset: number;
  /** Plaintext length of each sealed part, in order; empty once the parts are joined into the original. */
  parts: number[];
  /** True once `finish` has joined the parts into `original.seal`. */
  finished: boolean;
}

const STATE_FILE = 'state.json';
const PARTS_DIR = 'parts';
const DERIVED_DIR = 'derived';
const ORIGINAL_FILE = 'original.seal';

/**
 * Resumable evidence uploads ("as in tus") kept on disk encrypted, rooted at `<dataDir>/evidence`.
 *
 * On disk, one directory per upload:
 *   <id>/state.json            declared length, key version, offset, plaintext length of each part
 *   <id>/parts/000000.seal …   one sealed file per received chunk, while the upload is open
 *   <id>/original.seal         the whole upload as one sealed file, once finished
 *   <id>/derived/<name>.seal   copies made from it (the redacted image), sealed too
 * Nothing else ever exists but hidden `.…tmp` files and `.new-`/`.trash-` directories, all ciphertext.
 *
 * Why one sealed part per chunk: bytes are encrypted as they arrive, so a chunk that ends mid-segment
 * simply ends its own sealed file with a short final segment: no plaintext tail is ever parked on disk
 * or kept between requests, and a retried chunk gets a fresh random nonce prefix, so a nonce is never
 * reused even if a crash makes a client send an offset twice. A part is written to a temporary file,
 * flushed and renamed, and only then does state.json (replaced the same way) count it, so after a crash
 * or a full disk the upload resumes at the last counted byte. A chunk cut off by the sender keeps what
 * arrived (tus semantics) and reports INTERRUPTED with the new offset.
 *
 * Why the SHA-256 is computed at `finish`: Node cannot serialise a hash state, and keeping one in
 * memory would not survive the restart that resumable uploads exist for. `finish` instead makes one
 * streaming pass that decrypts every part (authenticating it and checking its length), hashes the
 * plaintext, keeps the first 4 KiB for type detection, and re-seals everything as one `original.seal`
 * under a new nonce prefix. Only then are the parts deleted. The hash and head are returned, never stored.
 *
 * Every sealed file is bound to its role by the sealing context (part n at offset o of upload X, the
 * original of X, derived copy N of X), so files cannot be swapped on disk to show an unredacted
 * original as the redacted copy. Keys are never stored or kept: each call that needs one gets it from
 * the caller. Operations on one upload run one at a time within this instance; run one store per data
 * directory.
 */
export class EvidenceStore {
  private readonly locks = new Map<string, Promise<void>>();
  private readonly maxChunks: number;

  constructor(
    private readonly root: string,
    options: { maxChunks?: number } = {},
  ) {
    this.maxChunks = options.maxChunks ?? DEFAULT_MAX_CHUNKS;
  }

  /** Registers an upload of `length` bytes to be sealed under `keyVersion`; created whole or not at all. */
  async createUpload(options: { id: string; length: number; keyVersion: number }): Promise<UploadStatus> {
    const { id, length, keyVersion } = options;
    checkId(id);
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new EvidenceError('INVALID_ARGUMENT', 'An upload length must be a non-negative integer.');
    }
    if (!Number.isInteger(keyVersion) || keyVersion < 0 || keyVersion > 0xffff_ffff) {
      throw new EvidenceError('INVALID_ARGUMENT', 'A key version must be an integer from 0 to 2^32 - 1.');
    }
    return this.exclusive(id, async () => {
      const staging = join(this.root, `.new-${id}-${randomBytes(6).toString('hex')}`);
      try {
        await mkdir(this.root, { recursive: true, mode: 0o700 });
        await mkdir(join(staging, PARTS_DIR), { recursive: true, mode: 0o700 });
        const state: UploadState = { format: 1, length, keyVersion, offset: 0, parts: [], finished: false };
        await writeFileDurably(join(staging, STATE_FILE), JSON.stringify(state));
        await syncPath(staging);
        await rename(staging, this.uploadDir(id));
        await syncPath(this.root);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const exists = code === 'ENOTEMPTY' || code === 'EEXIST';
        const failure = exists ? new EvidenceError('ALREADY_EXISTS', 'An upload with this id already exists.') : error;
        return failAfterDiscarding(staging, failure, 'create the upload');
      }
      return { offset: 0, length, complete: length === 0 };
    });
  }

  /** How far an upload has got, for tus HEAD requests and for resuming after a restart. */
  async status(id: string): Promise<UploadStatus> {
    checkId(id);
    return statusOf(await this.readState(id));
  }

  /**
   * Seals the bytes of `chunk` as they arrive and adds them at `offset`. Refuses an offset other than
   * the current one (OFFSET_MISMATCH, carrying the current offset for a 409), and more than `maxBytes`
   * or than the declared length (TOO_LARGE, nothing kept from this chunk).
   */
  async appendChunk(
    id: string,
    offset: number,
    chunk: Readable,
    maxBytes: number,
    keyLookup: KeyLookup,
  ): Promise<UploadStatus> {
    checkId(id);
    return this.exclusive(id, async () => {
      const state = await this.readState(id);
      if (offset !== state.offset) {
        throw new EvidenceError('OFFSET_MISMATCH', `The upload is at offset ${state.offset}, not ${offset}.`, {
          offset: state.offset,
        });
      }
      if (state.offset === state.length) {
        // Nothing more may arrive; an empty chunk is still a valid (tus) request.
        for await (const piece of receive(chunk, 0, state.length, { bytes: 0 })) void piece;
        return statusOf(state);
      }
      if (state.parts.length >= this.maxChunks) {
        throw new EvidenceError('TOO_MANY_CHUNKS', `An upload may arrive in at most ${this.maxChunks} chunks.`);
      }
      const key = lookUp(keyLookup, state.keyVersion);
      const allowance = Math.min(maxBytes, state.length - state.offset);
      const index = state.parts.length;
      const target = this.partPath(id, index);
      const temporary = temporaryPathFor(target);
      const arrival: { bytes: number; interruption?: unknown } = { bytes: 0 };
      try {
        await pipeline(
          receive(chunk, allowance, state.length, arrival),
          createSealStream(key, state.keyVersion, { context: partContext(id, index, offset) }),
          await openForWriting(temporary),
        );
        if (arrival.bytes === 0) {
          await rm(temporary, { force: true });
        } else {
          await commitTemporary(temporary, target);
          state.parts.push(arrival.bytes);
          state.offset += arrival.bytes;
          await this.writeState(id, state);
        }
      } catch (error) {
        return failAfterDiscarding(temporary, error, 'store the chunk');
      }
      if (arrival.interruption !== undefined) {
        throw new EvidenceError('INTERRUPTED', `The chunk broke off; the upload is at offset ${state.offset}.`, {
          offset: state.offset,
          cause: arrival.interruption,
        });
      }
      return statusOf(state);
    });
  }

  /**
   * Joins a fully received upload into one sealed original and returns its SHA-256, length and first
   * 4 KiB of plaintext (for type detection). Safe to call again: later calls re-read the original.
   */
  async finish(id: string, keyLookup: KeyLookup): Promise<PlaintextSummary> {
    checkId(id);
    return this.exclusive(id, async () => {
      const state = await this.readState(id);
      if (state.offset < state.length) {
        throw new EvidenceError('INCOMPLETE', `Only ${state.offset} of ${state.length} bytes have arrived.`, {
          offset: state.offset,
        });
      }
      const digest = new PlaintextDigest(TYPE_DETECTION_BYTES);
      if (state.finished) {
        try {
          await pipeline(await this.openOriginalUnlocked(id, keyLookup), digest, discard());
        } catch (error) {
          throw asStorageError(error, 'read the original');
        }
      } else {
        await this.joinParts(id, state, keyLookup, digest);
      }
      // Parts left by a crash between joining and deleting them are ciphertext, but no longer needed.
      await rm(join(this.uploadDir(id), PARTS_DIR), { recursive: true, force: true }).catch((error: unknown) => {
        throw asStorageError(error, 'delete the joined parts');
      });
      return digest.summary();
    });
  }

  /** The plaintext of a finished upload, decrypted and authenticated segment by segment as it is read. */
  async openOriginal(id: string, keyLookup: KeyLookup): Promise<Readable> {
    checkId(id);
    const state = await this.readState(id);
    if (!state.finished) throw new EvidenceError('INCOMPLETE', 'The upload has not been finished.');
    return this.openOriginalUnlocked(id, keyLookup);
  }

  /** Stores a copy made from the original (the redacted image), sealed like everything else. */
  async putDerived(id: string, name: string, data: Buffer, key: Buffer, keyVersion: number): Promise<void> {
    checkId(id);
    checkDerivedName(name);
    const seal = createSealStream(key, keyVersion, { context: derivedContext(id, name) });
    await this.exclusive(id, async () => {
      const state = await this.readState(id);
      if (!state.finished) throw new EvidenceError('INCOMPLETE', 'Copies can only be made of a finished upload.');
      const directory = join(this.uploadDir(id), DERIVED_DIR);
      const target = join(directory, `${name}.seal`);
      const temporary = temporaryPathFor(target);
      try {
        await mkdir(directory, { recursive: true, mode: 0o700 });
        await pipeline(Readable.from([data]), seal, await openForWriting(temporary));
        await commitTemporary(temporary, target);
      } catch (error) {
        return failAfterDiscarding(temporary, error, 'store the derived copy');
      }
    });
  }

  /** The plaintext of a derived copy. */
  async openDerived(id: string, name: string, keyLookup: KeyLookup): Promise<Readable> {
    checkId(id);
    checkDerivedName(name);
    const path = join(this.uploadDir(id), DERIVED_DIR, `${name}.seal`);
    return openSealed(path, keyLookup, derivedContext(id, name));
  }

  /** Deletes an upload and everything made from it (an aborted upload, or evidence that must go). */
  async remove(id: string): Promise<void> {
    checkId(id);
    await this.exclusive(id, async () => {
      // Renaming first makes the removal all-or-nothing from the store's point of view.
      const trash = join(this.root, `.trash-${id}-${randomBytes(6).toString('hex')}`);
      try {
        await rename(this.uploadDir(id), trash);
      } catch (error) {
        if (isMissing(error)) throw notFound();
        throw asStorageError(error, 'remove the upload');
      }
      await rm(trash, { recursive: true, force: true }).catch((error: unknown) => {
        throw asStorageError(error, 'delete the removed upload');
      });
    });
  }

  /**
   * Deletes what a crash can leave at the top of the store (half-created and half-removed uploads).
   * Call once at start-up, before serving, when no operation is running.
   */
  async sweepLeftovers(): Promise<void> {
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch (error) {
      if (isMissing(error)) return;
      throw asStorageError(error, 'list the evidence directory');
    }
    for (const entry of entries.filter((name) => name.startsWith('.new-') || name.startsWith('.trash-'))) {
      await rm(join(this.root, entry), { recursive: true, force: true }).catch((error: unknown) => {
        throw asStorageError(error, 'delete a leftover');
      });
    }
  }

  private uploadDir(id: string): string {
    return join(this.root, id);
  }

  private partPath(id: string, index: number): string {
    return join(this.uploadDir(id), PARTS_DIR, `${String(index).padStart(6, '0')}.seal`);
  }

  private openOriginalUnlocked(id: string, keyLookup: KeyLookup): Promise<Readable> {
    return openSealed(join(this.uploadDir(id), ORIGINAL_FILE), keyLookup, originalContext(id));
  }

  /** Decrypts the parts through `digest` and re-seals them as one original; then the state says finished. */
  private async joinParts(id: string, state: UploadState, keyLookup: KeyLookup, digest: PlaintextDigest) {
    const key = lookUp(keyLookup, state.keyVersion);
    const target = join(this.uploadDir(id), ORIGINAL_FILE);
    const temporary = temporaryPathFor(target);
    try {
      await pipeline(
        Readable.from(this.plaintextOfParts(id, state, keyLookup)),
        digest,
        createSealStream(key, state.keyVersion, { context: originalContext(id) }),
        await openForWriting(temporary),
      );
      await commitTemporary(temporary, target);
      await this.writeState(id, { ...state, parts: [], finished: true });
    } catch (error) {
      return failAfterDiscarding(temporary, error, 'join the upload');
    }
  }

  /** The plaintext of all parts in order, each authenticated and checked against its recorded length. */
  private async *plaintextOfParts(id: string, state: UploadState, keyLookup: KeyLookup): AsyncGenerator<Buffer> {
    let offset = 0;
    for (const [index, expected] of state.parts.entries()) {
      let received = 0;
      const part = await openSealed(this.partPath(id, index), keyLookup, partContext(id, index, offset));
      for await (const piece of part as AsyncIterable<Buffer>) {
        received += piece.length;
        yield piece;
      }
      if (received !== expected) {
        throw new EvidenceError('CORRUPT', `Part ${index} holds ${received} bytes, not the ${expected} recorded.`);
      }
      offset += received;
    }
  }

  private async readState(id: string): Promise<UploadState> {
    let text: string;
    try {
      text = await readFile(join(this.uploadDir(id), STATE_FILE), 'utf8');
    } catch (error) {
      if (isMissing(error)) throw notFound();
      throw asStorageError(error, 'read the upload state');
    }
    return parseState(text);
  }

  private async writeState(id: string, state: UploadState): Promise<void> {
    await writeFileDurably(join(this.uploadDir(id), STATE_FILE), JSON.stringify(state));
  }

  /** Runs `work` after every earlier operation on the same upload has settled. */
  private async exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const mine = previous.then(() => done);
    this.locks.set(id, mine);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.locks.get(id) === mine) this.locks.delete(id);
    }
  }
}

/**
 * Yields the sender's bytes up to `allowance`. A sender that breaks off ends the stream normally so the
 * bytes already sealed can be kept; one that sends too much fails the whole chunk.
 */
async function* receive(
  source: Readable,
  allowance: number,
  declaredLength: number,
  arrival: { bytes: number; interruption?: unknown },
): AsyncGenerator<Buffer> {
  const iterator = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer | string>;
    try {
      next = await iterator.next();
    } catch (error) {
      arrival.interruption = error;
      return;
    }
    if (next.done) return;
    const piece = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    if (arrival.bytes + piece.length > allowance) {
      source.destroy();
      throw tooLarge(declaredLength);
    }
    arrival.bytes += piece.length;
    yield piece;
  }
}

/** A new file for sealed bytes: created exclusively (never through a planted link), readable by us alone. */
async function openForWriting(path: string): Promise<Writable> {
  const handle = await open(path, 'wx', 0o600);
  return handle.createWriteStream();
}

async function openSealed(path: string, keyLookup: KeyLookup, context: Buffer): Promise<Readable> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) throw notFound();
    throw asStorageError(error, 'open a sealed file');
  }
  const opener = createOpenStream(keyLookup, { context });
  // A read error must reach whoever consumes the plaintext, not vanish in the file stream.
  pipelineCallback(handle.createReadStream(), opener, (error) => {
    if (error && !opener.destroyed) opener.destroy(asStorageError(error, 'read a sealed file'));
  });
  return opener;
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

function lookUp(keyLookup: KeyLookup, keyVersion: number): Buffer {
  try {
    return keyLookup(keyVersion);
  } catch (error) {
    throw new EvidenceError('KEY_UNAVAILABLE', `No key for key version ${keyVersion}.`, { cause: error });
  }
}

function partContext(id: string, index: number, offset: number): Buffer {
  return Buffer.from(`vigia/evidence/part\0${id}\0${index}\0${offset}`);
}
function originalContext(id: string): Buffer {
  return Buffer.from(`vigia/evidence/original\0${id}`);
}
function derivedContext(id: string, name: string): Buffer {
  return Buffer.from(`vigia/evidence/derived\0${id}\0${name}`);
}

function checkId(id: string): void {
  if (typeof id !== 'string' || !EVIDENCE_ID_PATTERN.test(id)) {
    throw new EvidenceError('INVALID_ID', 'An evidence id must be 8 to 64 letters, digits, "-" or "_".');
  }
}

function checkDerivedName(name: string): void {
  if (typeof name !== 'string' || !DERIVED_NAME_PATTERN.test(name)) {
    throw new EvidenceError('INVALID_ID', 'A derived copy name must be lower-case letters, digits and "-".');
  }
}

function statusOf(state: UploadState): UploadStatus {
  return { offset: state.offset, length: state.length, complete: state.offset === state.length };
}

function parseState(text: string): UploadState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EvidenceError('CORRUPT', 'The upload state file is unreadable.', { cause: error });
  }
  const state = value as Partial<UploadState> | null;
  const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
  if (
    state === null ||
    state.format !== 1 ||
    !isCount(state.length) ||
    !isCount(state.keyVersion) ||
    !isCount(state.offset) ||
    !Array.isArray(state.parts) ||
    !state.parts.every(isCount) ||
    typeof state.finished !== 'boolean' ||
    state.offset > state.length
  ) {
    throw new EvidenceError('CORRUPT', 'The upload state file is not valid.');
  }
  return state as UploadState;
}

function notFound(): EvidenceError {
  return new EvidenceError('NOT_FOUND', 'No such upload or copy.');
}

function tooLarge(length: number): EvidenceError {
  return new EvidenceError('TOO_LARGE', `More bytes than this request or the declared length (${length}) allow.`);
}
