/**
 * Open SFTP handles. Each handle owns a promise chain so its requests are answered in request
 * order: OpenSSH's scp (SFTP mode) corrupts transfers when a handle's replies overtake each other.
 */
import type { DownloadTransfer, UploadTransfer, VirtualFileInfo } from '../../core/types.js';
import type { SetStatAttrs } from '../../vfs/types.js';
import { SftpGoError, ErrorKind } from '../../util/errors.js';
import { MAX_HANDLES } from './constants.js';

/** What an open handle refers to. */
export type HandleState =
  | { kind: 'download'; path: string; transfer: DownloadTransfer }
  | { kind: 'upload'; path: string; transfer: UploadTransfer; append: boolean; pendingAttrs?: SetStatAttrs }
  | { kind: 'dir'; path: string; iterator: AsyncIterator<VirtualFileInfo>; lookahead?: IteratorResult<VirtualFileInfo> };

interface Entry {
  state: HandleState;
  queue: Promise<unknown>;
}

/** Handle ids are 4-byte counters; never reused within a session. */
export class HandleTable {
  private readonly entries = new Map<string, Entry>();
  private next = 1;

  add(state: HandleState): Buffer {
    if (this.entries.size >= MAX_HANDLES) throw new SftpGoError(ErrorKind.Failure, 'too many open handles');
    const id = Buffer.alloc(4);
    id.writeUInt32BE(this.next++ >>> 0);
    this.entries.set(id.toString('hex'), { state, queue: Promise.resolve() });
    return id;
  }

  get(handle: Buffer): HandleState {
    const e = this.entries.get(handle.toString('hex'));
    if (!e) throw new SftpGoError(ErrorKind.Failure, 'invalid handle');
    return e.state;
  }

  /** Runs `fn` after every earlier request on the same handle settled; unknown handles fail in turn. */
  enqueue(handle: Buffer, fn: (state: HandleState) => Promise<void>): Promise<void> {
    const e = this.entries.get(handle.toString('hex'));
    if (!e) return Promise.reject(new SftpGoError(ErrorKind.Failure, 'invalid handle'));
    const run = e.queue.then(() => fn(e.state));
    e.queue = run.catch(() => undefined);
    return run;
  }

  /** State of an open handle, undefined when unknown. */
  peek(handle: Buffer): HandleState | undefined {
    return this.entries.get(handle.toString('hex'))?.state;
  }

  /**
   * For positional reads and writes: `work` starts now, `deliver` runs after every earlier request
   * on the handle settled, so replies keep the request order while the storage calls overlap, and a
   * later request queued with `enqueue` (FSETSTAT, CLOSE) still waits for all of them.
   */
  pipeline<T>(handle: Buffer, work: (state: HandleState) => Promise<T>, deliver: (v: T) => void): Promise<void> {
    const e = this.entries.get(handle.toString('hex'));
    if (!e) return Promise.reject(new SftpGoError(ErrorKind.Failure, 'invalid handle'));
    const started = work(e.state);
    started.catch(() => undefined);
    const run = e.queue.then(() => started).then(deliver);
    e.queue = run.catch(() => undefined);
    return run;
  }

  delete(handle: Buffer): void {
    this.entries.delete(handle.toString('hex'));
  }

  /** Every open handle, removed from the table (session end). */
  drain(): HandleState[] {
    const all = [...this.entries.values()].map((e) => e.state);
    this.entries.clear();
    return all;
  }
}
