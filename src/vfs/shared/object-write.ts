/**
 * The write handle of every object store: positional writes go through the reorder buffer into a
 * stream that the driver uploads (multipart, parts in parallel) while the client is still sending.
 * Nothing is visible before `close()` resolves; `abort()` (or the open signal firing) cancels the
 * upload and leaves the previous object, if any, untouched.
 */
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { FileType, type FileInfo, type WriteHandle } from '../types.js';
import { aborted, notSupported, toSftpGoError } from '../../util/errors.js';
import type { ObjectDriver } from './driver.js';
import { DEFAULT_REORDER_WINDOW, WriteReorderBuffer } from './reorder.js';
import { checkSignal } from './signal.js';

/** How an object write is opened. */
export interface ObjectWriteOptions {
  driver: ObjectDriver;
  key: string;
  name: string;
  contentType?: string;
  /** The open call's signal: when it fires later, the upload is discarded. */
  signal?: AbortSignal;
  /** Reorder window in bytes. */
  window?: number;
  /** Bytes the stream buffers before a write waits (about one part). */
  highWaterMark?: number;
}

/** A streamed upload behind the WriteHandle contract. */
export class ObjectWriteHandle implements WriteHandle {
  /** abort() leaves the target as it was before the open: callers have nothing to remove. */
  readonly discardsOnAbort = true;
  private readonly body: PassThrough;
  private readonly ac = new AbortController();
  private readonly reorder: WriteReorderBuffer;
  private readonly upload: Promise<void>;
  private failed: Error | undefined;
  private state: 'open' | 'closing' | 'closed' | 'aborted' = 'open';
  private closing: Promise<void> | undefined;
  private readonly unlink: () => void;

  constructor(private readonly o: ObjectWriteOptions) {
    this.body = new PassThrough({ highWaterMark: o.highWaterMark ?? 1024 * 1024 });
    this.reorder = new WriteReorderBuffer((c) => this.push(c), 0, o.window ?? DEFAULT_REORDER_WINDOW);
    const onAbort = (): void => void this.abort(o.signal?.reason);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    this.unlink = () => o.signal?.removeEventListener('abort', onAbort);
    this.upload = o.driver.upload({ key: o.key, body: this.body, contentType: o.contentType, signal: this.ac.signal });
    // Remembered at once so a failure between writes is reported by the next write, never unhandled.
    this.upload.catch((err: unknown) => {
      this.failed ??= toSftpGoError(err, 'upload failed');
      this.body.destroy();
    });
  }

  async write(buf: Buffer, position: number, signal?: AbortSignal): Promise<void> {
    checkSignal(signal);
    this.checkOpen();
    await this.reorder.write(buf, position);
    checkSignal(signal);
  }

  /** Only truncation to 0 before any byte is written (INVENTORY §4.7: cloud backends). */
  async truncate(size: number): Promise<void> {
    this.checkOpen();
    if (size === 0 && this.reorder.untouched) return;
    throw notSupported('not supported: truncate on this storage backend (only to 0 before any byte is written)');
  }

  /** The object as it will be once closed (size = bytes received in order). */
  async stat(): Promise<FileInfo> {
    return { name: this.o.name, type: FileType.File, size: this.reorder.written, mode: 0o644, mtime: new Date() };
  }

  async close(): Promise<void> {
    // Nothing was committed: the caller must not believe the upload landed.
    if (this.state === 'aborted') throw this.failed ?? aborted('upload aborted');
    this.closing ??= this.commit();
    return this.closing;
  }

  async abort(reason?: unknown): Promise<void> {
    if (this.state === 'closed' || this.state === 'aborted') return;
    if (this.state === 'closing') {
      // Too late to discard once the commit ran: wait for it, whatever it gives.
      await this.closing?.catch(() => undefined);
      return;
    }
    this.state = 'aborted';
    this.unlink();
    this.failed ??= aborted('upload aborted', reason);
    this.ac.abort(reason ?? new Error('upload aborted'));
    this.body.destroy(aborted('upload aborted'));
    await this.upload.catch(() => undefined);
  }

  private async commit(): Promise<void> {
    this.state = 'closing';
    try {
      await this.reorder.finish();
      if (this.failed) throw this.failed;
      this.body.end();
      await this.upload;
      this.state = 'closed';
    } catch (err) {
      this.state = 'closed';
      this.ac.abort(err);
      this.body.destroy(toSftpGoError(err, 'upload failed'));
      await this.upload.catch(() => undefined);
      throw toSftpGoError(err, 'upload failed');
    } finally {
      this.unlink();
    }
  }

  /** Sends ordered bytes to the upload stream, waiting while it is full. */
  private async push(chunk: Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.body.write(chunk)) return;
    const ac = new AbortController();
    try {
      await Promise.race([once(this.body, 'drain', { signal: ac.signal }), this.upload.then(() => undefined, () => undefined), once(this.body, 'close', { signal: ac.signal })]);
    } finally {
      ac.abort();
    }
    if (this.failed) throw this.failed;
  }

  private checkOpen(): void {
    if (this.failed) throw this.failed;
    if (this.state !== 'open') throw aborted('the upload is closed');
  }
}
