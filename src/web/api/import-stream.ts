/*
 * Reading the import route's answer with progress (src/server/routes/imports/progress-stream.ts): one
 * JSON object per line, progress lines then the report or an error. Pure (no fetch, no DOM), so that
 * it is tested in Node.
 */

/** One problem of one row: the spreadsheet's row number (the header is row 1), the column, what is wrong. */
export interface ImportProblem {
  row: number;
  column: string;
  problem: string;
}

export interface ImportReport {
  total: number;
  valid: number;
  invalid: number;
  imported: number;
  dryRun: boolean;
  problems: ImportProblem[];
}

export type ImportPhase = 'validating' | 'importing';

/** How far the import has gone; `total` is null while the rows are still being counted. */
export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number | null;
}

/**
 * The answer stopped before its last line (the connection dropped, the server restarted). The import
 * may still have finished on the server, so the page must not suggest simply trying again.
 */
export class ImportInterrupted extends Error {
  override name = 'ImportInterrupted';
}

/** The import failed after its progress began: `body` is the one error shape, as the last line held it. */
export class StreamedFailure extends Error {
  override name = 'StreamedFailure';

  constructor(readonly body: unknown) {
    super('The import failed after it began');
  }
}

/** The lines of a streamed body, each parsed as JSON as soon as it is complete. */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.getReader();
  // Streaming decode: a character split between two chunks is joined before it is read.
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch {
      throw new ImportInterrupted('The connection closed before the answer ended');
    }
    if (chunk.done) break;
    buffered += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, end).trim();
      buffered = buffered.slice(end + 1);
      if (text !== '') yield parseLine(text);
    }
  }
  // Every line the server writes ends with a line break: anything left is a line cut off.
  if (buffered.trim() !== '') throw new ImportInterrupted('The answer ended in the middle of a line');
}

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ImportInterrupted('The answer holds a line that is not JSON');
  }
}

/**
 * Follows the progress lines (`onProgress` for each) to the last one: returns the report, or throws a
 * `StreamedFailure` with the error line.
 */
export async function reportFromLines(lines: AsyncIterable<unknown>, onProgress: (progress: ImportProgress) => void): Promise<ImportReport> {
  for await (const line of lines) {
    if (typeof line !== 'object' || line === null) continue;
    const fields = line as Record<string, unknown>;
    if (fields.type === 'progress') {
      onProgress({ phase: fields.phase as ImportPhase, done: Number(fields.done), total: typeof fields.total === 'number' ? fields.total : null });
    } else if (fields.type === 'report') {
      const { type: _type, ...report } = fields;
      return report as unknown as ImportReport;
    } else if (fields.type === 'error') {
      throw new StreamedFailure(fields);
    }
  }
  throw new ImportInterrupted('The answer ended without a report');
}
