/**
 * Pull-style reader over a channel for the SCP protocol: lines, single bytes and exact byte
 * counts. The channel is paused while enough data is buffered, so a slow storage write slows the
 * client down through the SSH window instead of filling memory.
 */
import type { Readable } from 'node:stream';
import { invalidInput } from '../../../util/errors.js';

const HIGH_WATER = 1024 * 1024;
const MAX_LINE = 64 * 1024;

/** Lines, bytes and byte runs read from a channel on demand. */
export class ChannelReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly input: Readable) {
    input.on('data', (b: Buffer) => {
      this.chunks.push(b);
      this.buffered += b.length;
      if (this.buffered >= HIGH_WATER) input.pause();
      this.notify();
    });
    const end = () => {
      this.ended = true;
      this.notify();
    };
    input.once('end', end);
    input.once('close', end);
  }

  /** True once the client sent EOF and everything was read. */
  get eof(): boolean {
    return this.ended && this.buffered === 0;
  }

  /** One byte, or undefined at EOF. */
  async byte(): Promise<number | undefined> {
    if (!(await this.fill())) return undefined;
    const b = this.take(1);
    return b[0];
  }

  /** A line without its "\n", or undefined at EOF. Lines longer than 64 KiB are refused. */
  async line(): Promise<string | undefined> {
    const parts: Buffer[] = [];
    let len = 0;
    for (;;) {
      if (!(await this.fill())) return len > 0 ? Buffer.concat(parts).toString('utf8') : undefined;
      const first = this.chunks[0]!;
      const nl = first.indexOf(0x0a);
      const part = this.take(nl >= 0 ? nl + 1 : first.length);
      len += part.length;
      if (len > MAX_LINE) throw invalidInput('scp: protocol line too long');
      if (nl >= 0) {
        parts.push(part.subarray(0, part.length - 1));
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(part);
    }
  }

  /**
   * Up to `max` of the bytes already buffered (at least one; waits only when none is), or
   * undefined at EOF. Several channel chunks are joined so storage writes stay large.
   */
  async some(max: number): Promise<Buffer | undefined> {
    if (!(await this.fill())) return undefined;
    const first = this.chunks[0]!;
    if (first.length >= max || this.chunks.length === 1) return this.take(Math.min(max, first.length));
    const parts: Buffer[] = [];
    let len = 0;
    while (len < max && this.chunks.length > 0) {
      const part = this.take(Math.min(max - len, this.chunks[0]!.length));
      parts.push(part);
      len += part.length;
    }
    return Buffer.concat(parts, len);
  }

  /** Waits until data is buffered; false at EOF. */
  private async fill(): Promise<boolean> {
    while (this.buffered === 0) {
      if (this.ended) return false;
      await new Promise<void>((r) => (this.wake = r));
    }
    return true;
  }

  /** Takes `n` bytes from the first chunk (n <= its length). */
  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    const out = first.subarray(0, n);
    if (n === first.length) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
    this.buffered -= n;
    if (this.buffered < HIGH_WATER / 2 && this.input.isPaused()) this.input.resume();
    return out;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
