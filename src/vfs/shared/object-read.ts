/**
 * The read handle of every object store. Positional reads are served from one ranged GET kept
 * open while the client reads sequentially (the usual SFTP/FTP pattern), and reopened at the new
 * offset when it jumps; reads are serialised, so requests in flight arrive in order.
 */
import { PassThrough, type Readable } from 'node:stream';
import type { ReadHandle } from '../types.js';
import { checkSignal } from './signal.js';
import type { ObjectDriver } from './driver.js';
import { toSftpGoError } from '../../util/errors.js';

/** One open object: its key and size as seen at open. */
export interface ObjectReadOptions {
  driver: ObjectDriver;
  key: string;
  size: number;
  start: number;
  /** Exclusive end; undefined = to the end. */
  end?: number;
  signal?: AbortSignal;
}

/** Positional reads and a stream over a ranged GET. */
export class ObjectReadHandle implements ReadHandle {
  private cur: { it: AsyncIterator<Buffer>; body: Readable; pos: number; rest: Buffer } | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly limit: number;

  constructor(private readonly o: ObjectReadOptions) {
    this.limit = Math.min(o.size, o.end ?? o.size);
  }

  read(buf: Buffer, position: number, signal?: AbortSignal): Promise<number> {
    const step = this.chain.then(() => this.readAt(buf, position, signal));
    this.chain = step.catch(() => undefined);
    return step;
  }

  stream(): NodeJS.ReadableStream {
    const { driver, key, start, signal } = this.o;
    const out = new PassThrough();
    if (start >= this.limit) {
      out.end();
      return out;
    }
    driver.read(key, start, this.limit, signal).then((body) => {
      body.on('error', (err) => out.destroy(toSftpGoError(err, 'download failed')));
      out.on('close', () => body.destroy());
      body.pipe(out);
    }, (err: unknown) => out.destroy(toSftpGoError(err, 'download failed')));
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.drop();
  }

  private async readAt(buf: Buffer, position: number, signal?: AbortSignal): Promise<number> {
    checkSignal(signal ?? this.o.signal);
    const want = Math.min(buf.length, Math.max(0, this.limit - position));
    if (want === 0 || this.closed) return 0;
    if (!this.cur || this.cur.pos !== position) await this.reopen(position, signal);
    let got = 0;
    while (got < want) {
      const c = this.cur!;
      if (c.rest.length === 0) {
        const r = await c.it.next().catch((err: unknown) => {
          this.drop();
          throw toSftpGoError(err, 'download failed');
        });
        if (r.done) break;
        c.rest = r.value;
      }
      const n = Math.min(want - got, c.rest.length);
      c.rest.copy(buf, got, 0, n);
      c.rest = c.rest.subarray(n);
      c.pos += n;
      got += n;
    }
    checkSignal(signal);
    return got;
  }

  private async reopen(position: number, signal?: AbortSignal): Promise<void> {
    this.drop();
    const body = await this.o.driver.read(this.o.key, position, this.limit, signal ?? this.o.signal);
    this.cur = { it: body[Symbol.asyncIterator]() as AsyncIterator<Buffer>, body, pos: position, rest: Buffer.alloc(0) };
  }

  private drop(): void {
    this.cur?.body.destroy();
    this.cur = undefined;
  }
}
