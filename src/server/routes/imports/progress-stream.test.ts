import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { registerErrorHandler } from '../../plugins/errors.js';
import { acceptsNdjson, replyWithProgress, type ProgressListener } from './progress-stream.js';

describe('acceptsNdjson', () => {
  it('is true only when the client lists application/x-ndjson without refusing it', () => {
    expect(acceptsNdjson('application/x-ndjson')).toBe(true);
    expect(acceptsNdjson('application/json;q=0.5, Application/X-NDJSON;q=0.9')).toBe(true);
    expect(acceptsNdjson('application/x-ndjson;q=0')).toBe(false);
    expect(acceptsNdjson('application/json')).toBe(false);
    expect(acceptsNdjson('*/*')).toBe(false);
    expect(acceptsNdjson(undefined)).toBe(false);
  });
});

/** A piece of work the test drives step by step: it reports progress, then waits for the test to let it go on. */
function steppedWork() {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let listener: ProgressListener | undefined;
  return {
    release: () => release(),
    progress: (done: number, total: number | null) => listener?.(done, total, 'importing'),
    run: (failWith?: Error) => async (onProgress: ProgressListener) => {
      listener = onProgress;
      onProgress(0, 10, 'validating');
      await gate;
      onProgress(10, 10, 'importing');
      if (failWith) throw failWith;
      return { imported: 10 };
    },
  };
}

describe('replyWithProgress', () => {
  let app: FastifyInstance;
  let base: string;
  let current: ReturnType<typeof steppedWork>;
  let failure: Error | undefined;

  beforeAll(async () => {
    app = Fastify({ logger: false });
    registerErrorHandler(app);
    app.get('/work', async (request, reply) => replyWithProgress(request, reply, current.run(failure)));
    app.get('/refused', async (request, reply) =>
      replyWithProgress(request, reply, async () => {
        throw new AppError('FORBIDDEN', 'You may not.');
      }),
    );
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  /** Reads the body line by line as it arrives. */
  async function open(path: string) {
    const response = await fetch(`${base}${path}`);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    const nextLine = async (): Promise<unknown> => {
      while (!buffered.includes('\n')) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffered += value;
      }
      const end = buffered.indexOf('\n');
      const text = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      return JSON.parse(text);
    };
    return { response, nextLine };
  }

  it('sends each progress line while the work is still running, then the result', async () => {
    current = steppedWork();
    failure = undefined;
    const { response, nextLine } = await open('/work');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    // The work is held at its gate: this line can only have come before the work finished.
    expect(await nextLine()).toEqual({ type: 'progress', phase: 'validating', done: 0, total: 10 });
    current.release();
    expect(await nextLine()).toEqual({ type: 'progress', phase: 'importing', done: 10, total: 10 });
    expect(await nextLine()).toEqual({ type: 'report', imported: 10 });
    expect(await nextLine()).toBeUndefined();
  });

  it('sends only the newest of several progress reports made before it could send one', async () => {
    current = steppedWork();
    failure = undefined;
    const { nextLine } = await open('/work');
    expect(await nextLine()).toMatchObject({ phase: 'validating', done: 0 });
    current.progress(3, 10);
    current.progress(7, 10);
    expect(await nextLine()).toEqual({ type: 'progress', phase: 'importing', done: 7, total: 10 });
    current.release();
    expect(await nextLine()).toMatchObject({ done: 10 });
  });

  it('ends with the error shape as its last line when the work fails after progress began', async () => {
    current = steppedWork();
    failure = new AppError('CONFLICT', 'Row 3 changed between validation and import');
    const { response, nextLine } = await open('/work');
    expect(await nextLine()).toMatchObject({ type: 'progress' });
    current.release();
    expect(await nextLine()).toMatchObject({ type: 'progress', done: 10 });
    expect(await nextLine()).toEqual({
      type: 'error',
      error: { code: 'CONFLICT', message: 'Row 3 changed between validation and import', requestId: expect.any(String) },
    });
    expect(response.status).toBe(200);
  });

  it('says nothing internal in the last line of an unexpected failure', async () => {
    current = steppedWork();
    failure = new Error('connection to 10.0.0.5 lost');
    const { nextLine } = await open('/work');
    await nextLine();
    current.release();
    await nextLine();
    const last = (await nextLine()) as { error: { code: string; message: string } };
    expect(last.error.code).toBe('INTERNAL');
    expect(last.error.message).not.toContain('10.0.0.5');
  });

  it('answers a failure before any progress with its own status and the usual error shape', async () => {
    const response = await fetch(`${base}/refused`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: 'You may not.' } });
  });
});
