/**
 * Reads the start of an upload stream to choose between a one-request upload (the whole body fits
 * in `limit` bytes: most files) and a streamed multipart/resumable one, without knowing the size
 * in advance. The rest of the stream is handed back untouched.
 */
import { Readable } from 'node:stream';

/** The first bytes of a stream, and the whole stream again when it is longer than the limit. */
export interface Peeked {
  head: Buffer;
  /** Undefined when `head` is the whole body. */
  rest?: Readable;
}

/** Reads up to `limit` bytes (or the end) of `body`. */
export async function peekBody(body: Readable, limit: number): Promise<Peeked> {
  const it = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= limit) {
    const r = await it.next();
    if (r.done) return { head: Buffer.concat(chunks) };
    chunks.push(r.value);
    size += r.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  const rest = Readable.from(all(), { objectMode: false });
  rest.on('close', () => body.destroy());
  return { head, rest };
}
