import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failAfterDiscarding, temporaryPathFor, writeFileDurably } from './durable-fs.js';
import { EvidenceError } from './errors.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vigia-durable-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('durable file steps', () => {
  it('replaces a file whole and leaves no temporary behind', async () => {
    const target = join(directory, 'state.json');
    await writeFileDurably(target, 'first');
    await writeFileDurably(target, 'second');
    expect(await readFile(target, 'utf8')).toBe('second');
    expect(await readdir(directory)).toEqual(['state.json']);
  });

  it('keeps the old content when the write fails', async () => {
    const target = join(directory, 'state.json');
    await writeFileDurably(target, 'committed');
    const error = await writeFileDurably(join(directory, 'missing', 'state.json'), 'new').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_FAILURE' });
    expect(await readFile(target, 'utf8')).toBe('committed');
  });

  it('deletes the temporary and reports the original failure as the store error', async () => {
    const temporary = temporaryPathFor(join(directory, 'part.seal'));
    expect(temporary.startsWith(join(directory, '.part.seal.'))).toBe(true);
    await writeFile(temporary, 'half written');
    const own = new EvidenceError('TOO_LARGE', 'too much');
    await expect(failAfterDiscarding(temporary, own, 'store')).rejects.toBe(own);
    expect(await readdir(directory)).toEqual([]);
    const disk = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    await expect(failAfterDiscarding(temporary, disk, 'store the chunk')).rejects.toMatchObject({
      code: 'STORAGE_FAILURE',
      message: 'Could not store the chunk (ENOSPC).',
    });
  });
});
