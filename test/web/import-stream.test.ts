import { describe, expect, it } from 'vitest';
import { ImportInterrupted, ndjsonLines, reportFromLines, StreamedFailure, type ImportProgress } from '../../src/web/api/import-stream.js';

/** A body that arrives in the given pieces of bytes, as a slow network delivers it. */
function body(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

/** Cuts `text`'s bytes at the given offsets, even inside a character or a line. */
function cut(text: string, ...offsets: number[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const bounds = [0, ...offsets, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.slice(bounds[i], end));
}

const REPORT = { total: 2, valid: 1, invalid: 1, imported: 0, dryRun: true, problems: [{ row: 3, column: 'Título', problem: 'is empty' }] };
const STREAM =
  '{"type":"progress","phase":"validating","done":200,"total":null}\n' +
  '{"type":"progress","phase":"validating","done":2,"total":2}\n' +
  `${JSON.stringify({ type: 'report', ...REPORT })}\n`;

async function follow(pieces: Uint8Array[]) {
  const seen: ImportProgress[] = [];
  const report = await reportFromLines(ndjsonLines(body(pieces)), (p) => seen.push(p));
  return { seen, report };
}

describe('following an import answer with progress', () => {
  it('reads lines however the bytes were split, and returns the report without its type', async () => {
    // Cut inside the first line, and inside the two bytes of the "í" of "Título".
    const offset = new TextEncoder().encode(STREAM).indexOf(0xc3);
    const { seen, report } = await follow(cut(STREAM, 10, offset + 1));
    expect(seen).toEqual([
      { phase: 'validating', done: 200, total: null },
      { phase: 'validating', done: 2, total: 2 },
    ]);
    expect(report).toEqual(REPORT);
  });

  it('throws the error line, for the caller to make the ApiError a failed request would be', async () => {
    const line = { type: 'error', error: { code: 'CONFLICT', message: 'Row 3 changed', requestId: 'r-1' } };
    const failure = await follow(cut(`{"type":"progress","phase":"importing","done":1,"total":3}\n${JSON.stringify(line)}\n`)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StreamedFailure);
    expect((failure as StreamedFailure).body).toEqual(line);
  });

  it('says the answer was interrupted when it ends before the report, or mid-line', async () => {
    await expect(follow(cut('{"type":"progress","phase":"importing","done":1,"total":3}\n'))).rejects.toBeInstanceOf(ImportInterrupted);
    await expect(follow(cut('{"type":"progress","phase":"importing","done":1,"total":3}\n{"type":"rep'))).rejects.toBeInstanceOf(ImportInterrupted);
  });
});
