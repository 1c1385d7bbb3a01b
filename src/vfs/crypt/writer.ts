/**
 * Encrypting writer: plaintext is cut into 64 KiB DARE packages written one after the other
 * behind the 33-byte file header. A DARE stream cannot be rewritten in place, so writes go
 * through SequentialWrites (pipelined SFTP writes are reordered, rewrites refused). A full
 * package is sealed only when more data follows, because the last one must carry the final flag
 * (sio does the same). A failed or aborted upload deletes the partial file: a truncated DARE
 * stream is unreadable.
 */
import type { WriteHandle } from '../types.js';
import { checkSignal } from '../shared/signal.js';
import { SequentialWrites } from '../shared/sequential.js';
import { aborted, failure, toSftpGoError } from '../../util/errors.js';
import { MAX_PAYLOAD, sealPackage } from './dare.js';
import { FILE_HEADER_SIZE } from './format.js';

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
  private readonly writes = new SequentialWrites((d) => this.absorb(d), 'encrypted files');
  private readonly buf = Buffer.allocUnsafe(MAX_PAYLOAD);
  private fill = 0;
  private seq = 0;
  private diskPos = FILE_HEADER_SIZE;
  private state: State = 'open';

  constructor(private readonly init: CryptWriteInit) {}

  async write(data: Buffer, position: number, signal?: AbortSignal): Promise<void> {
    checkSignal(signal);
    if (this.state !== 'open') throw aborted('write on a closed encrypted file');
    await this.writes.write(data, position);
    checkSignal(signal);
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    try {
      await this.writes.settled();
      if (this.writes.hasGap) throw failure('upload ended with a gap: encrypted files are written sequentially');
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
    await this.writes.settled().catch(() => undefined);
    await this.init.inner.abort(reason).catch(() => undefined);
    await this.init.discard().catch(() => undefined);
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
