/**
 * Encrypting writer: plaintext is cut into 64 KiB DARE packages written one after the other
 * behind the 33-byte file header. A DARE stream cannot be rewritten in place, so writes must be
 * sequential; SFTP clients pipeline their writes, so writes ahead of the current offset are held
 * (up to MAX_AHEAD bytes) until the gap before them is filled. A full package is sealed only when
 * more data follows, because the last one must carry the final flag (sio does the same).
 * A failed or aborted upload deletes the partial file: a truncated DARE stream is unreadable.
 */
import type { WriteHandle } from '../types.js';
import { checkSignal } from '../shared/signal.js';
import { aborted, failure, notSupported, toSftpGoError } from '../../util/errors.js';
import { MAX_PAYLOAD, sealPackage } from './dare.js';
import { FILE_HEADER_SIZE } from './format.js';

/** Out-of-order bytes held before the writer gives up. */
export const MAX_AHEAD = 32 * 1024 * 1024;

/** What a writer needs: the open disk file (header already written), the file key, cleanup. */
export interface CryptWriteInit {
  inner: WriteHandle;
  key: Buffer;
  /** The stream's 12-byte DARE random value. */
  random: Buffer;
  /** Deletes the partial file (failed or aborted upload). */
  discard(): Promise<void>;
}

type State = 'open' | 'closed' | 'aborted';

/** Sequential encrypting writer. */
export class CryptWriteHandle implements WriteHandle {
  private next = 0;
  private readonly ahead = new Map<number, Buffer>();
  private aheadBytes = 0;
  private readonly buf = Buffer.allocUnsafe(MAX_PAYLOAD);
  private fill = 0;
  private seq = 0;
  private diskPos = FILE_HEADER_SIZE;
  private chain: Promise<void> = Promise.resolve();
  private state: State = 'open';

  constructor(private readonly init: CryptWriteInit) {}

  /** Plaintext bytes accepted in order so far. */
  get size(): number {
    return this.next;
  }

  async write(data: Buffer, position: number, signal?: AbortSignal): Promise<void> {
    checkSignal(signal);
    if (this.state !== 'open') throw aborted('write on a closed encrypted file');
    if (position < this.next) throw notSupported('random writes: encrypted files are written sequentially');
    if (position > this.next) return this.holdAhead(data, position);
    this.accept(data);
    for (let held = this.ahead.get(this.next); held; held = this.ahead.get(this.next)) {
      this.ahead.delete(this.next);
      this.aheadBytes -= held.length;
      this.accept(held);
    }
    await this.chain;
    checkSignal(signal);
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    try {
      await this.chain;
      if (this.ahead.size > 0) throw failure('upload ended with a gap: encrypted files are written sequentially');
      if (this.fill > 0) await this.seal(true);
      await this.init.inner.close();
    } catch (err) {
      await this.init.inner.abort(err).catch(() => undefined);
      await this.init.discard().catch(() => undefined);
      throw toSftpGoError(err);
    }
  }

  async abort(reason?: unknown): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.chain.catch(() => undefined);
    await this.init.inner.abort(reason).catch(() => undefined);
    await this.init.discard().catch(() => undefined);
  }

  /** Queues in-order bytes; `next` moves at once so concurrent callers see the new offset. */
  private accept(data: Buffer): void {
    this.next += data.length;
    this.chain = this.chain.then(() => this.absorb(data));
  }

  private holdAhead(data: Buffer, position: number): void {
    if (this.ahead.has(position) || this.aheadBytes + data.length > MAX_AHEAD) {
      throw notSupported('random writes: encrypted files are written sequentially');
    }
    this.ahead.set(position, Buffer.from(data));
    this.aheadBytes += data.length;
  }

  private async absorb(data: Buffer): Promise<void> {
    for (let off = 0; off < data.length;) {
      if (this.fill === MAX_PAYLOAD) await this.seal(false);
      const n = data.copy(this.buf, this.fill, off);
      this.fill += n;
      off += n;
    }
  }

  private async seal(final: boolean): Promise<void> {
    const pkg = sealPackage(this.init.key, this.init.random, this.seq, this.buf.subarray(0, this.fill), final);
    this.seq++;
    this.fill = 0;
    await this.init.inner.write(pkg, this.diskPos);
    this.diskPos += pkg.length;
  }
}
