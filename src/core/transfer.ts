/**
 * Running transfers (DESIGN "Transfer"): byte counters, throttling, quota and max size on every
 * write, and a close that settles quota, the atomic rename, post actions and metrics.
 */
import { Transform } from 'node:stream';
import type { TransferStatus } from '../dataprovider/models.js';
import { storedSize, type Fs, type ReadHandle, type WriteHandle } from '../vfs/types.js';
import type { DownloadTransfer, UploadTransfer } from './types.js';
import { aborted, errorKindOf, ErrorKind, invalidInput, isSftpGoError, notSupported, quotaExceeded, toSftpGoError } from '../util/errors.js';
import { actionInfo, firePost, type ActiveTransfer, type ConnCore, type UploadTarget } from './conn-core.js';
import type { Reservation } from './quota.js';
import { nativePathOf } from './oplog.js';
import { Throttle } from './throttle.js';

/**
 * The signal a transfer's I/O runs under: the connection's, plus the protocol's own for this
 * transfer (an HTTP request, a data connection). When the latter fires, `onAbort` ends the transfer.
 */
function transferSignal(c: ConnCore, own: AbortSignal | undefined, onAbort: (reason: unknown) => void): { signal: AbortSignal; release(): void } {
  if (!own) return { signal: c.signal, release: () => undefined };
  const listener = () => onAbort(own.reason);
  own.addEventListener('abort', listener, { once: true });
  if (own.aborted) queueMicrotask(listener);
  return { signal: AbortSignal.any([c.signal, own]), release: () => own.removeEventListener('abort', listener) };
}
import type { Resolved } from './vfolders.js';

/** A download: counted, throttled, listed. */
export class Download implements DownloadTransfer, ActiveTransfer {
  private bytes = 0;
  private done = false;
  private readonly started = Date.now();
  private readonly throttle: Throttle;
  private readonly sig: { signal: AbortSignal; release(): void };

  constructor(
    private readonly c: ConnCore,
    readonly virtualPath: string,
    readonly size: number,
    private readonly handle: ReadHandle,
    private readonly res: Resolved,
    signal?: AbortSignal,
  ) {
    this.throttle = new Throttle(c.user.download_bandwidth ?? 0, c.clock);
    this.sig = transferSignal(c, signal, () => void this.abort());
    c.transfers.add(this);
  }

  async read(buf: Buffer, position: number): Promise<number> {
    if (this.done) throw aborted('transfer closed');
    try {
      const n = await this.handle.read(buf, position, this.sig.signal);
      await this.count(n);
      return n;
    } catch (err) {
      throw toSftpGoError(err);
    }
  }

  stream(): NodeJS.ReadableStream {
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.count(chunk.length).then(() => cb(null, chunk), (err: Error) => cb(err));
      },
    });
    const src = this.handle.stream() as NodeJS.ReadableStream & { on(e: 'error', f: (e: Error) => void): unknown };
    src.on('error', (err: Error) => counter.destroy(err));
    return src.pipe(counter);
  }

  async close(): Promise<void> {
    await this.finish(true);
  }

  async abort(): Promise<void> {
    await this.finish(false);
  }

  status(): TransferStatus {
    return { operation_type: 'download', path: this.virtualPath, start_time: this.started, size: this.bytes };
  }

  private async count(n: number): Promise<void> {
    this.bytes += n;
    this.c.touch();
    await this.throttle.consume(n, this.sig.signal);
  }

  private async finish(ok: boolean): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.sig.release();
    this.c.transfers.delete(this);
    await this.handle.close().catch(() => undefined);
    this.c.metrics.transferCompleted('download', this.bytes, ok);
    this.c.oplog.transfer('Download', nativePathOf(this.res), Date.now() - this.started, this.bytes);
    await firePost(this.c, 'download', actionInfo(this.c, 'download', this.res, { file_size: this.bytes, status: ok ? 1 : 0 }));
  }
}

/** How an upload writes and how it is committed or discarded. */
export interface UploadPlan {
  res: Resolved;
  handle: WriteHandle;
  /** Backend and path written to: the target, or an atomic temp file (same dir or temp_path). */
  writeFs: Fs;
  writePath: string;
  /** Atomic uploads: moves the temp file over the target. */
  commitMove: () => Promise<void>;
  atomic: boolean;
  /** upload_mode 2: on error the temp file still replaces the target. */
  keepOnError: boolean;
  /** Atomic resume of an existing file: its original size, to restore it on discard. */
  restoreSize?: number;
  append: boolean;
  isNew: boolean;
  /** Bytes of this file already counted in quota. */
  quotaBase: number;
  /** Current extent of the file. */
  size: number;
  initialSize: number;
  maxFileSize: number;
  reservation: Reservation;
  /** The protocol's signal for this upload (request or data connection gone: the upload aborts). */
  signal?: AbortSignal;
}

type Outcome = 'ok' | 'error' | 'quota';

/** An upload: quota and max size enforced on every write, settled once. */
export class Upload implements UploadTransfer, ActiveTransfer {
  private bytes = 0;
  private done = false;
  private finishing: Promise<void> | undefined;
  /** Set by commit when the written bytes did not stay. */
  private discarded = false;
  private readonly started = Date.now();
  private readonly throttle: Throttle;
  private readonly sig: { signal: AbortSignal; release(): void };
  readonly initialSize: number;
  readonly writing: UploadTarget;

  constructor(private readonly c: ConnCore, readonly virtualPath: string, private readonly p: UploadPlan) {
    this.throttle = new Throttle(c.user.upload_bandwidth ?? 0, c.clock);
    this.initialSize = p.initialSize;
    this.sig = transferSignal(c, p.signal, (reason) => void this.abort(reason));
    this.writing = { virtualPath, fs: p.writeFs, path: p.writePath, truncate: (size) => this.truncate(size) };
    c.transfers.add(this);
  }

  async write(buf: Buffer, position: number): Promise<void> {
    if (this.done) throw aborted('transfer closed');
    const end = this.p.append ? this.p.size + buf.length : position + buf.length;
    const refused = end > this.p.size ? this.grow(end) : undefined;
    if (refused) {
      // The partial bytes are discarded: racing uploads get the room back in this same turn.
      if (isSftpGoError(refused) && refused.kind === ErrorKind.QuotaExceeded) this.c.quota.release(this.p.reservation);
      await this.finish('quota');
      throw refused;
    }
    await this.step(async () => {
      await this.throttle.consume(buf.length, this.sig.signal);
      await this.p.handle.write(buf, position, this.sig.signal);
    });
    this.bytes += buf.length;
    this.c.touch();
  }

  async read(buf: Buffer, position: number): Promise<number> {
    if (this.done) throw aborted('transfer closed');
    if (!this.p.handle.read) throw invalidInput('this upload was not opened for reading');
    return this.step(() => this.p.handle.read!(buf, position));
  }

  /** Truncates the open file; growing it is charged to the quota and max size first. */
  async truncate(size: number): Promise<void> {
    if (this.done) throw aborted('transfer closed');
    if (!this.p.handle.truncate) throw notSupported('truncate is not supported by this storage backend');
    if (size > this.p.size) {
      const refused = this.grow(size);
      if (refused) throw refused;
    }
    await this.step(() => this.p.handle.truncate!(size));
    this.p.size = size;
    this.c.quota.resize(this.p.reservation, Math.max(0, size - this.p.quotaBase));
  }

  /** Present only when the backend handle can fsync (callers test for it). */
  get sync(): (() => Promise<void>) | undefined {
    const h = this.p.handle;
    if (!h.sync) return undefined;
    return () => this.step(() => h.sync!());
  }

  async close(): Promise<void> {
    await this.finish('ok');
  }

  async abort(reason?: unknown): Promise<void> {
    await this.finish(isSftpGoError(reason) && reason.kind === ErrorKind.QuotaExceeded ? 'quota' : 'error');
  }

  status(): TransferStatus {
    return { operation_type: 'upload', path: this.virtualPath, start_time: this.started, size: this.bytes };
  }

  /**
   * Reserves quota for growing the file to `end`. Synchronous on purpose: the check and the
   * reservation happen in one event-loop turn, so racing uploads cannot both pass. Returns the error.
   */
  private grow(end: number): Error | undefined {
    try {
      if (this.p.maxFileSize > 0 && end > this.p.maxFileSize) throw quotaExceeded();
      this.c.quota.resize(this.p.reservation, Math.max(0, end - this.p.quotaBase));
      this.p.size = end;
      return undefined;
    } catch (err) {
      return err as Error;
    }
  }

  private async step<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      await this.finish('error');
      throw toSftpGoError(err);
    }
  }

  /** Ends the upload once; later callers wait for the same settlement. */
  private finish(outcome: Outcome): Promise<void> {
    this.finishing ??= this.settle(outcome);
    return this.finishing;
  }

  private async settle(outcome: Outcome): Promise<void> {
    this.done = true;
    this.sig.release();
    this.c.transfers.delete(this);
    const p = this.p;
    if (outcome === 'ok') await p.handle.close().catch(async (err: unknown) => {
      outcome = 'error';
      await p.handle.abort(err);
    });
    else await p.handle.abort();
    const [sizeDelta, filesDelta] = await this.commit(outcome).catch((err: unknown) => {
      this.c.logger.warn({ err, path: this.virtualPath }, 'upload commit failed');
      outcome = 'error';
      return [0, 0] as const;
    });
    await this.c.quota.settle(p.reservation, sizeDelta, filesDelta).catch((err: unknown) => {
      this.c.logger.warn({ err }, 'quota update failed');
    });
    this.c.metrics.transferCompleted('upload', this.bytes, outcome === 'ok');
    // As SFTPGo: bytes that did not stay (partial file removed, atomic temp discarded) log as 0.
    this.c.oplog.transfer('Upload', nativePathOf(p.res), Date.now() - this.started, this.discarded ? 0 : this.bytes);
    const status = outcome === 'ok' ? 1 : outcome === 'quota' ? 2 : 0;
    await firePost(this.c, 'upload', actionInfo(this.c, 'upload', p.res, { file_size: p.size, status }));
  }

  /** Makes the outcome visible (or not) and returns the quota change [size, files]. */
  private async commit(outcome: Outcome): Promise<readonly [number, number]> {
    const p = this.p;
    const fs = p.writeFs;
    // A handle that discards on abort (object stores) left the previous file, or nothing: never remove.
    const discarded = !p.atomic && p.handle.discardsOnAbort === true;
    const keep = outcome === 'ok' || discarded || (outcome === 'error' && (p.keepOnError || !p.atomic));
    if (keep) {
      if (p.atomic) await p.commitMove();
      // The real size counts (a failed write may have reserved more than it wrote), as stored.
      const stored = await p.res.fs.stat(p.res.fsPath).then(storedSize, (err: unknown) => (errorKindOf(err) === ErrorKind.NotFound ? undefined : p.size));
      // Gone: the backend discarded a failed upload itself (an encrypted file cannot stay partial).
      if (stored === undefined) {
        this.discarded = true;
        return [-p.quotaBase, p.isNew ? 0 : -1];
      }
      p.size = stored;
      return [p.size - p.quotaBase, p.isNew ? 1 : 0];
    }
    this.discarded = true;
    if (p.atomic && p.restoreSize !== undefined) {
      // Atomic resume: put the original back as it was.
      await fs.setStat(p.writePath, { size: p.restoreSize });
      await p.commitMove();
      return [p.restoreSize - p.quotaBase, 0];
    }
    await fs.remove(p.writePath).catch(() => undefined);
    if (p.atomic) return [0, 0];
    // Quota error in place: the partial file is removed and not counted.
    return [-p.quotaBase, p.isNew ? 0 : -1];
  }
}
