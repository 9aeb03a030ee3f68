import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EvidenceError } from './errors.js';

/**
 * Small file-system steps that make a write either fully there or not there at all after a crash or a
 * full disk: write beside the target, flush, rename over it, flush the directory entry. Nothing the
 * store commits is ever half-written; what a failure leaves behind is a dot-file that nothing reads.
 */

/** A unique hidden name beside `target`, on the same file system so the rename that commits it is atomic. */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Flushes a file or directory to the disk, so a rename is not committed before the data it names. */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a fully written temporary file the real one, durably. */
export async function commitTemporary(temporary: string, target: string): Promise<void> {
  await syncPath(temporary);
  await rename(temporary, target);
  await syncPath(dirname(target));
}

/** Replaces `target` with `data` so that a reader sees either the old content or the new, never a mix. */
export async function writeFileDurably(target: string, data: string | Buffer): Promise<void> {
  const temporary = temporaryPathFor(target);
  try {
    await writeFile(temporary, data, { flag: 'wx', mode: 0o600 });
    await commitTemporary(temporary, target);
  } catch (error) {
    return failAfterDiscarding(temporary, error, 'write a file');
  }
}

/**
 * Deletes a temporary file (or staging directory) after a failed write, then throws the failure as the store's error. A
 * cleanup that fails too is reported with it rather than hiding the first error; a temporary that
 * never existed (its directory is gone or is a file) needs no cleanup.
 */
export async function failAfterDiscarding(temporary: string, error: unknown, step: string): Promise<never> {
  try {
    await rm(temporary, { recursive: true, force: true });
  } catch (cleanup) {
    const code = (cleanup as NodeJS.ErrnoException).code;
    if (code !== 'ENOTDIR' && code !== 'ENOENT') {
      throw new EvidenceError('STORAGE_FAILURE', `Could not ${step}, nor delete its temporary file.`, {
        cause: new AggregateError([error, cleanup]),
      });
    }
  }
  throw asStorageError(error, step);
}

/**
 * Turns a file-system failure into STORAGE_FAILURE (disk full, read-only, permissions, I/O) while
 * letting the store's own errors through; the message names the step and the errno, never file content.
 */
export function asStorageError(error: unknown, step: string): EvidenceError {
  if (error instanceof EvidenceError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new EvidenceError('STORAGE_FAILURE', `Could not ${step} (${code}).`, { cause: error });
}

/** True when a file-system error only says the path does not exist. */
export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
