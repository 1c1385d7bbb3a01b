/**
 * The write reorder buffer. SFTP clients keep many writes in flight (OpenSSH: 64 × 32 KiB) and a
 * server may see them out of order; an object store can only take one sequential stream. Writes
 * ahead of the next expected offset wait here, in memory, until the gap before them is filled;
 * the window bounds how far ahead a client may jump, and a write beyond it (or one going back over
 * bytes already sent) fails with a clear error instead of growing memory without limit.
 */
import { failure, notSupported } from '../../util/errors.js';

/** Default window: far more than any client keeps in flight, small enough per upload. */
export const DEFAULT_REORDER_WINDOW = 16 * 1024 * 1024;

/** Where ordered bytes go; resolves when the chunk is accepted (backpressure). */
export type OrderedSink = (chunk: Buffer) => Promise<void>;

/** Turns positional writes into one ordered stream. Not reusable after `finish`. */
export class WriteReorderBuffer {
  private next: number;
  private readonly pending = new Map<number, Buffer>();
  private pendingBytes = 0;
  private furthest: number;
  private chain: Promise<void> = Promise.resolve();

  /**
   * @param sink receives the bytes in order, one call at a time.
   * @param start offset of the first byte of the stream (0 for a new object).
   * @param window bytes a write may reach beyond the next expected offset.
   */
  constructor(private readonly sink: OrderedSink, start = 0, private readonly window = DEFAULT_REORDER_WINDOW) {
    this.next = start;
    this.furthest = start;
  }

  /** Bytes in order so far (the stream length once `finish` succeeds). */
  get written(): number {
    return this.next;
  }

  /** Bytes waiting for a gap to be filled. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** True while nothing has been accepted (truncate to 0 is still possible). */
  get untouched(): boolean {
    return this.furthest === this.next && this.next === 0 && this.pendingBytes === 0;
  }

  /** Accepts a write at `position`; in-order data flows to the sink (awaiting its backpressure). */
  async write(buf: Buffer, position: number): Promise<void> {
    if (buf.length === 0) return;
    if (position < this.next || this.overlapsPending(position, buf.length)) {
      throw notSupported(`not supported: random writes on this storage backend (a write at offset ${position} goes back over bytes already received; uploads must be sequential)`);
    }
    // Copied: the caller may reuse its buffer once this resolves, while the bytes still wait here.
    const copy = Buffer.from(buf);
    if (position > this.next) return this.hold(copy, position);
    const chunks: Buffer[] = [copy];
    this.next += copy.length;
    for (let c = this.pending.get(this.next); c; c = this.pending.get(this.next)) {
      this.pending.delete(this.next);
      this.pendingBytes -= c.length;
      chunks.push(c);
      this.next += c.length;
    }
    this.furthest = Math.max(this.furthest, this.next);
    const out = chunks.length === 1 ? copy : Buffer.concat(chunks);
    const step = this.chain.then(() => this.sink(out));
    this.chain = step.catch(() => undefined);
    await step;
  }

  /** Waits for every accepted chunk to reach the sink; fails when a gap was never filled. */
  async finish(): Promise<void> {
    await this.chain;
    if (this.pendingBytes > 0) {
      throw failure(`upload incomplete: no data received at offset ${this.next} while ${this.pendingBytes} bytes wait beyond it (up to offset ${this.furthest})`);
    }
  }

  private hold(copy: Buffer, position: number): void {
    const end = position + copy.length;
    if (end - this.next > this.window) {
      throw failure(
        `out-of-order write too far ahead: offset ${position} while offset ${this.next} is still missing ` +
          `(this storage backend accepts writes at most ${this.window} bytes ahead of the sequential position)`,
      );
    }
    this.pending.set(position, copy);
    this.pendingBytes += copy.length;
    this.furthest = Math.max(this.furthest, end);
  }

  /** True when [position, position+len) overlaps a write already waiting. */
  private overlapsPending(position: number, len: number): boolean {
    if (this.pendingBytes === 0 || position >= this.furthest) return false;
    for (const [off, c] of this.pending) {
      if (position < off + c.length && off < position + len) return true;
    }
    return false;
  }
}
