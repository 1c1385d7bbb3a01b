/**
 * Positional reads of an encrypted file: a plaintext offset maps to DARE package
 * `offset / 64 KiB`, which is read whole from the disk file, authenticated and decrypted, so a
 * download from an offset starts at the right package instead of decrypting from the start.
 * The last package decrypted is kept: sequential reads of small slices decrypt each package once.
 */
import { Readable } from 'node:stream';
import type { ReadHandle } from '../types.js';
import { guarded } from '../shared/signal.js';
import { failure } from '../../util/errors.js';
import { decryptedSize, HEADER_SIZE, MAX_PACKAGE, MAX_PAYLOAD, openPackage } from './dare.js';
import { FILE_HEADER_SIZE, packageOffset } from './format.js';

/** What a reader needs: the open disk file, its key and size, the requested range. */
export interface CryptReadInit {
  inner: ReadHandle;
  key: Buffer;
  diskSize: number;
  start: number;
  /** Exclusive plaintext end; undefined = EOF. */
  end?: number;
}

/** Decrypting reader over a disk file handle. */
export class CryptReadHandle implements ReadHandle {
  /** Plaintext size of the whole file. */
  readonly size: number;
  private readonly packages: number;
  private reference: Buffer | undefined;
  private cached: { index: number; plain: Buffer } | undefined;

  constructor(private readonly init: CryptReadInit) {
    const stream = init.diskSize - FILE_HEADER_SIZE;
    const size = stream >= 0 ? decryptedSize(stream) : undefined;
    if (size === undefined) throw failure(`encrypted file has an invalid size (${init.diskSize} bytes on disk)`);
    this.size = size;
    this.packages = Math.ceil(stream / MAX_PACKAGE);
  }

  async read(buf: Buffer, position: number, signal?: AbortSignal): Promise<number> {
    return guarded(signal, async () => {
      let total = 0;
      while (total < buf.length && position + total < this.size) {
        const pos = position + total;
        const index = Math.floor(pos / MAX_PAYLOAD);
        const plain = await this.plainPackage(index, signal);
        total += plain.copy(buf, total, pos - index * MAX_PAYLOAD);
      }
      return total;
    });
  }

  stream(): NodeJS.ReadableStream {
    const end = Math.min(this.init.end ?? this.size, this.size);
    return Readable.from(this.chunks(this.init.start, end), { objectMode: false });
  }

  async close(): Promise<void> {
    this.cached = undefined;
    await this.init.inner.close();
  }

  private async *chunks(from: number, end: number): AsyncGenerator<Buffer> {
    for (let pos = from; pos < end;) {
      const buf = Buffer.allocUnsafe(Math.min(MAX_PAYLOAD - (pos % MAX_PAYLOAD), end - pos));
      const n = await this.read(buf, pos);
      if (n === 0) return;
      pos += n;
      yield buf.subarray(0, n);
    }
  }

  /** Package `index`, authenticated and decrypted. */
  private async plainPackage(index: number, signal?: AbortSignal): Promise<Buffer> {
    if (this.cached?.index === index) return this.cached.plain;
    const offset = packageOffset(index);
    const raw = await this.readExactly(offset, Math.min(MAX_PACKAGE, this.init.diskSize - offset), signal);
    this.reference ??= index === 0 ? Buffer.from(raw.subarray(4, HEADER_SIZE)) : await this.firstNonce(signal);
    const plain = openPackage(this.init.key, raw, { seq: index, last: index === this.packages - 1, reference: this.reference });
    this.cached = { index, plain };
    return plain;
  }

  /** header[4:16] of package 0: every package of the stream must repeat it. */
  private async firstNonce(signal?: AbortSignal): Promise<Buffer> {
    return (await this.readExactly(FILE_HEADER_SIZE, HEADER_SIZE, signal)).subarray(4, HEADER_SIZE);
  }

  private async readExactly(offset: number, length: number, signal?: AbortSignal): Promise<Buffer> {
    const raw = Buffer.allocUnsafe(length);
    const n = await this.init.inner.read(raw, offset, signal);
    if (n !== length) throw failure('encrypted file changed while reading');
    return raw;
  }
}
