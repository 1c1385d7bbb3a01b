/**
 * Turns positional writes into one ordered byte stream for backends that can only append
 * (encrypted files, buffered SFTP uploads). SFTP clients pipeline their WRITE requests, so a
 * write may arrive before the one preceding it: such writes are held (up to `maxAhead` bytes)
 * until the gap is filled. A write behind the current offset would rewrite data: refused.
 */
import { notSupported } from '../../util/errors.js';

/** Default bound of held out-of-order bytes. */
export const DEFAULT_MAX_AHEAD = 32 * 1024 * 1024;

/** Ordered writes feeding `sink` one chunk at a time, in offset order. */
export class SequentialWrites {
  private next = 0;
  private readonly ahead = new Map<number, Buffer>();
  private aheadBytes = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly sink: (data: Buffer) => Promise<void>,
    private readonly what: string,
    private readonly maxAhead = DEFAULT_MAX_AHEAD,
  ) {}

  /** Bytes accepted in order so far. */
  get size(): number {
    return this.next;
  }

  /** True when held writes wait for a gap to be filled. */
  get hasGap(): boolean {
    return this.ahead.size > 0;
  }

  /**
   * Accepts `data` at `position`; resolves when it (and whatever it unblocked) reached the sink.
   * A held write resolves at once: a gap never filled is reported by `settled()`.
   */
  async write(data: Buffer, position: number): Promise<void> {
    if (position < this.next) throw notSupported(`random writes: ${this.what} are written sequentially`);
    if (position > this.next) return this.hold(data, position);
    this.accept(data);
    for (let held = this.ahead.get(this.next); held; held = this.ahead.get(this.next)) {
      this.ahead.delete(this.next);
      this.aheadBytes -= held.length;
      this.accept(held);
    }
    await this.chain;
  }

  /** Waits for every accepted write to reach the sink (rejects with the first sink error). */
  settled(): Promise<void> {
    return this.chain;
  }

  /** `next` moves at once so concurrent callers see the new offset; the sink runs in order. */
  private accept(data: Buffer): void {
    this.next += data.length;
    this.chain = this.chain.then(() => this.sink(data));
  }

  private hold(data: Buffer, position: number): void {
    if (this.ahead.has(position) || this.aheadBytes + data.length > this.maxAhead) {
      throw notSupported(`random writes: ${this.what} are written sequentially`);
    }
    this.ahead.set(position, Buffer.from(data));
    this.aheadBytes += data.length;
  }
}
