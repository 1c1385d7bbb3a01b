/** Positional read/write handles over a Node FileHandle. */
import type { FileHandle } from 'node:fs/promises';
import type { FileInfo, ReadHandle, WriteHandle } from '../types.js';
import { guarded } from '../shared/signal.js';
import { toFileInfo } from './stat.js';

/** Reader: `read` fills the buffer unless EOF is hit. */
export class LocalReadHandle implements ReadHandle {
  constructor(
    private readonly fh: FileHandle,
    private readonly start: number,
    private readonly end: number | undefined,
    /** Size of the regular file at open, when known: a short read that reaches it is the end. */
    private readonly sizeAtOpen?: number,
  ) {}

  async read(buf: Buffer, position: number, signal?: AbortSignal): Promise<number> {
    return guarded(signal, async () => {
      let total = 0;
      while (total < buf.length) {
        const { bytesRead } = await this.fh.read(buf, total, buf.length - total, position + total);
        if (bytesRead === 0) break;
        total += bytesRead;
        // Reaching the size seen at open ends the read: no further read just to be told EOF (what
        // a file grew by since is there for the next call). Short reads before it still loop.
        if (this.sizeAtOpen !== undefined && position + total >= this.sizeAtOpen) break;
      }
      return total;
    });
  }

  stream(): NodeJS.ReadableStream {
    const opts: { start: number; end?: number; autoClose: boolean } = { start: this.start, autoClose: false };
    if (this.end !== undefined) opts.end = this.end - 1;
    return this.fh.createReadStream(opts);
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }
}

/** Writer at arbitrary offsets (append mode: the kernel appends, `position` is ignored). */
export class LocalWriteHandle implements WriteHandle {
  private closed = false;

  constructor(
    private readonly fh: FileHandle,
    private readonly append: boolean,
    private readonly name: string,
  ) {}

  async write(buf: Buffer, position: number, signal?: AbortSignal): Promise<void> {
    await guarded(signal, async () => {
      let done = 0;
      while (done < buf.length) {
        const pos = this.append ? null : position + done;
        const { bytesWritten } = await this.fh.write(buf, done, buf.length - done, pos);
        done += bytesWritten;
      }
    });
  }

  async writev(bufs: readonly Buffer[], position: number, signal?: AbortSignal): Promise<void> {
    await guarded(signal, async () => {
      let list = bufs as Buffer[];
      let pos = position;
      while (list.length > 0) {
        const { bytesWritten } = await this.fh.writev(list, this.append ? undefined : pos);
        pos += bytesWritten;
        list = rest(list, bytesWritten);
      }
    });
  }

  async truncate(size: number): Promise<void> {
    await guarded(undefined, () => this.fh.truncate(size));
  }

  async read(buf: Buffer, position: number): Promise<number> {
    return guarded(undefined, async () => (await this.fh.read(buf, 0, buf.length, position)).bytesRead);
  }

  async sync(): Promise<void> {
    await guarded(undefined, () => this.fh.sync());
  }

  async stat(): Promise<FileInfo> {
    return guarded(undefined, async () => toFileInfo(this.name, await this.fh.stat()));
  }

  storedInfo(): Promise<FileInfo> {
    return this.stat();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await guarded(undefined, () => this.fh.close());
  }

  /** Closes only: what to discard (temp file, partial file) is the caller's decision. */
  async abort(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close().catch(() => undefined);
  }
}

/** What is left of `bufs` once `n` bytes of them were written (a short writev). */
function rest(bufs: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < bufs.length && n >= bufs[i]!.length) n -= bufs[i++]!.length;
  if (i === bufs.length) return [];
  return n > 0 ? [bufs[i]!.subarray(n), ...bufs.slice(i + 1)] : bufs.slice(i);
}
