/**
 * File handles on the remote server. Reads are positional; streams keep several READ requests in
 * flight unless `disable_concurrent_reads` (some servers delete a file once it was read). Writes
 * are positional (unbuffered), or, with `buffer_size`, gathered into buffers that are sent as
 * many concurrent WRITE requests (sequential uploads only, as SFTPGo's buffered mode).
 */
import { Readable } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import type { FileInfo, ReadHandle, WriteHandle } from '../types.js';
import { checkSignal } from '../shared/signal.js';
import { SequentialWrites } from '../shared/sequential.js';
import { aborted, failure, toSftpGoError } from '../../util/errors.js';
import { closeHandle, fsetstat, fstat, fsync, readAt, toFileInfo, writeAt } from './ops.js';
import { raceSignal } from './session.js';

/** Bytes per READ/WRITE request (what every SFTP server accepts). */
export const CHUNK = 32 * 1024;
/** READ requests in flight for a stream with concurrent reads. */
const READ_DEPTH = 16;
/** WRITE requests in flight when a buffer is flushed. */
const WRITE_DEPTH = 64;

/** One open remote file handle, closed once. */
class RemoteFile {
  private closing: Promise<void> | undefined;

  constructor(readonly sftp: SFTPWrapper, readonly handle: Buffer) {}

  /** Reads until `buf` is full or EOF. */
  async readFull(buf: Buffer, position: number, signal?: AbortSignal): Promise<number> {
    checkSignal(signal);
    let total = 0;
    while (total < buf.length) {
      const n = await raceSignal(readAt(this.sftp, this.handle, buf, total, Math.min(buf.length - total, CHUNK), position + total), signal);
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  close(): Promise<void> {
    this.closing ??= closeHandle(this.sftp, this.handle);
    return this.closing;
  }
}

/** Reader over a remote file. */
export class SftpReadHandle implements ReadHandle {
  private readonly file: RemoteFile;

  constructor(sftp: SFTPWrapper, handle: Buffer, private readonly range: { start: number; end?: number; concurrent: boolean }) {
    this.file = new RemoteFile(sftp, handle);
  }

  read(buf: Buffer, position: number, signal?: AbortSignal): Promise<number> {
    return this.file.readFull(buf, position, signal);
  }

  stream(): NodeJS.ReadableStream {
    return Readable.from(this.chunks(), { objectMode: false });
  }

  async close(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  /** Chunks in order, with up to READ_DEPTH requests in flight (1 without concurrent reads). */
  private async *chunks(): AsyncGenerator<Buffer> {
    const depth = this.range.concurrent ? READ_DEPTH : 1;
    const end = this.range.end ?? Number.MAX_SAFE_INTEGER;
    const inflight: { len: number; data: Promise<number>; buf: Buffer }[] = [];
    let next = this.range.start;
    const issue = () => {
      const len = Math.min(CHUNK, end - next);
      if (len <= 0) return;
      const buf = Buffer.allocUnsafe(len);
      inflight.push({ len, buf, data: this.file.readFull(buf, next) });
      next += len;
    };
    try {
      while (inflight.length < depth && next < end) issue();
      for (let head = inflight.shift(); head; head = inflight.shift()) {
        const n = await head.data;
        if (n > 0) yield head.buf.subarray(0, n);
        if (n < head.len) return;
        issue();
      }
    } finally {
      for (const r of inflight) r.data.catch(() => undefined);
    }
  }
}

/** Unbuffered writer: every write goes to its position (random writes, truncate, read-back). */
export class SftpWriteHandle implements WriteHandle {
  private readonly file: RemoteFile;
  private done = false;

  constructor(sftp: SFTPWrapper, handle: Buffer, private readonly name: string) {
    this.file = new RemoteFile(sftp, handle);
  }

  async write(buf: Buffer, position: number, signal?: AbortSignal): Promise<void> {
    checkSignal(signal);
    if (this.done) throw aborted('write on a closed file');
    await raceSignal(writeAt(this.file.sftp, this.file.handle, buf, position), signal);
  }

  async truncate(size: number): Promise<void> {
    await fsetstat(this.file.sftp, this.file.handle, { size });
  }

  read(buf: Buffer, position: number): Promise<number> {
    return this.file.readFull(buf, position);
  }

  sync(): Promise<void> {
    return fsync(this.file.sftp, this.file.handle);
  }

  async stat(): Promise<FileInfo> {
    return toFileInfo(this.name, await fstat(this.file.sftp, this.file.handle));
  }

  async close(): Promise<void> {
    this.done = true;
    await this.file.close();
  }

  /** Closes only: what to discard (temp file, partial file) is the caller's decision. */
  async abort(): Promise<void> {
    this.done = true;
    await this.file.close().catch(() => undefined);
  }
}

/** Buffered writer (`buffer_size` > 0): sequential data, flushed as concurrent WRITE requests. */
export class SftpBufferedWriteHandle implements WriteHandle {
  private readonly file: RemoteFile;
  private readonly writes = new SequentialWrites((d) => this.absorb(d), 'buffered SFTP uploads');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushed = 0;
  private done = false;

  constructor(sftp: SFTPWrapper, handle: Buffer, private readonly bufferSize: number) {
    this.file = new RemoteFile(sftp, handle);
  }

  async write(buf: Buffer, position: number, signal?: AbortSignal): Promise<void> {
    checkSignal(signal);
    if (this.done) throw aborted('write on a closed file');
    await raceSignal(this.writes.write(buf, position), signal);
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.writes.settled();
      if (this.writes.hasGap) throw failure('upload ended with a gap: buffered SFTP uploads are written sequentially');
      await this.flush();
      await this.file.close();
    } catch (err) {
      await this.file.close().catch(() => undefined);
      throw toSftpGoError(err);
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.writes.settled().catch(() => undefined);
    await this.file.close().catch(() => undefined);
  }

  private async absorb(data: Buffer): Promise<void> {
    this.pending.push(Buffer.from(data));
    this.pendingBytes += data.length;
    if (this.pendingBytes >= this.bufferSize) await this.flush();
  }

  /** Sends the buffer as CHUNK-sized writes, WRITE_DEPTH at a time. */
  private async flush(): Promise<void> {
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    for (let off = 0; off < data.length; off += CHUNK * WRITE_DEPTH) {
      const writes: Promise<void>[] = [];
      for (let o = off; o < Math.min(data.length, off + CHUNK * WRITE_DEPTH); o += CHUNK) {
        writes.push(writeAt(this.file.sftp, this.file.handle, data.subarray(o, o + CHUNK), this.flushed + o));
      }
      await Promise.all(writes);
    }
    this.flushed += data.length;
  }
}
