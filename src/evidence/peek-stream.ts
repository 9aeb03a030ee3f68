import { Readable } from 'node:stream';

/** The first bytes of a stream, and a stream that still yields every byte (those first ones included). */
export interface PeekedStream {
  head: Buffer;
  stream: Readable;
}

/**
 * Reads at least `bytes` bytes (or everything, if the stream is shorter) without losing them, so a
 * response can decide its Content-Type from the content itself and still stream the whole file. An
 * error before `bytes` arrive is thrown here, while an HTTP answer can still say so; a later one
 * errors the returned stream. Destroying the returned stream destroys the source.
 */
export async function peekStream(source: Readable, bytes: number): Promise<PeekedStream> {
  const iterator = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const pieces: Buffer[] = [];
  let length = 0;
  let ended = false;
  try {
    while (length < bytes) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      pieces.push(next.value);
      length += next.value.length;
    }
  } catch (error) {
    source.destroy();
    throw error;
  }
  const head = Buffer.concat(pieces, length);
  async function* everything(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // Reached when the consumer stops early (a client that hangs up): release the file and its cipher.
      if (!source.destroyed) source.destroy();
    }
  }
  return { head, stream: Readable.from(everything(), { objectMode: false }) };
}
