/**
 * Byte movers for data connections: ending a socket without losing the tail, ASCII line-ending
 * conversion (RFC 959 §3.1.1.1: CRLF on the wire), binary downloads by large positional reads,
 * uploads that read ahead while the storage writes, and batched listing lines.
 */
import type { Socket } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DownloadTransfer } from '../../core/index.js';

/**
 * Ends our side of the data connection and resolves once the last byte (and TLS close_notify) is
 * with the kernel. The socket is not destroyed here: the peer may still be reading, and a reset
 * could discard data it has not read; its own close (or a timer) releases the socket.
 */
export function endSocket(sock: Socket): Promise<void> {
  setTimeout(() => sock.destroy(), 10_000).unref();
  return new Promise((resolve, reject) => {
    if (sock.writableFinished) return resolve();
    sock.once('error', reject);
    sock.end(() => {
      sock.off('error', reject);
      resolve();
    });
  });
}

/** Lets events already received (a control connection closing with the data one) run first. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** LF → CRLF for ASCII downloads (a CR already before the LF is kept once). */
export function toCrlf(): Transform {
  let lastCR = false;
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      const out: number[] = [];
      for (const b of chunk) {
        if (b === 0x0a && !lastCR) out.push(0x0d);
        out.push(b);
        lastCR = b === 0x0d;
      }
      cb(null, Buffer.from(out));
    },
  });
}

/** CRLF → LF for ASCII uploads (a CR is held back until the next byte is known). */
export function toLf(): Transform {
  let heldCR = false;
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      const out: number[] = [];
      for (const b of chunk) {
        if (heldCR && b !== 0x0a) out.push(0x0d);
        heldCR = b === 0x0d;
        if (!heldCR) out.push(b);
      }
      cb(null, Buffer.from(out));
    },
    flush(cb) {
      cb(null, heldCR ? Buffer.from([0x0d]) : null);
    },
  });
}

/** An ASCII upload's converted stream; a data socket that dies mid-way destroys it too. */
export function asciiIn(sock: Socket): Readable {
  const conv = toLf();
  pipeline(sock, conv).catch(() => undefined);
  return conv;
}

/** Size of the reads that feed a binary download. */
const READ_CHUNK = 1 << 20;

export function writeAsync(sock: Socket, buf: Buffer): Promise<void> {
  const p = new Promise<void>((resolve, reject) => sock.write(buf, (err) => (err ? reject(err) : resolve())));
  p.catch(() => undefined); // awaited later; a failure must not count as unhandled meanwhile
  return p;
}

/**
 * Binary download: 1 MiB positional reads into two buffers used in turn, the next read running
 * while the previous chunk is written. Far less per-chunk work (and garbage) than a 64 KiB stream.
 */
export async function copyOut(dl: DownloadTransfer, sock: Socket, offset: number): Promise<void> {
  // Small files get small buffers: two 1 MiB allocations per 4 KiB file cost more than the file.
  // One byte more than the file holds makes its single read short, which says EOF without a second.
  const size = Math.min(READ_CHUNK, Math.max(4096, dl.size - offset + 1));
  const bufs: Buffer[] = [];
  let pending: Promise<void> = Promise.resolve();
  for (let pos = offset, i = 0; ; i++) {
    const buf = (bufs[i % 2] ??= Buffer.allocUnsafe(size));
    const n = await dl.read(buf, pos);
    if (n === 0) break;
    pos += n;
    await pending; // the write before this one used the other buffer; this buffer's last write is done
    pending = writeAsync(sock, n === buf.length ? buf : buf.subarray(0, n));
    // A read fills its buffer unless it hit the end: no second read needed to find EOF.
    if (n < buf.length) break;
  }
  await pending;
}

/** Bytes read ahead of the storage while a write is running (then the socket is paused). */
const READ_AHEAD = 4 << 20;

/**
 * Feeds a stream to `write`, reading on while a write runs: what arrived meanwhile goes out as
 * one larger write, so network and storage overlap and small socket chunks become big writes.
 * Rejects when the stream fails or closes before its end (client reset, ABOR).
 */
export function drainTo(src: Readable, write: (parts: Buffer[], size: number) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let parts: Buffer[] = [];
    let size = 0;
    let writing = false;
    let ended = false;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    const flush = () => {
      if (writing || failed) return;
      if (size === 0) return void (ended && resolve());
      const batch = parts;
      const n = size;
      parts = [];
      size = 0;
      writing = true;
      if (src.isPaused()) src.resume();
      write(batch, n).then(() => { writing = false; flush(); }, fail);
    };
    src.on('data', (c: Buffer) => {
      parts.push(c);
      size += c.length;
      if (size >= READ_AHEAD) src.pause();
      flush();
    });
    src.once('end', () => { ended = true; flush(); });
    src.once('error', fail);
    src.once('close', () => { if (!ended) fail(new Error('data connection closed before the end of the upload')); });
  });
}

/** Groups lines into ~32 KiB buffers (one socket write per batch, not per entry). */
export async function* batch(lines: AsyncIterable<string>): AsyncGenerator<Buffer> {
  let acc = '';
  for await (const l of lines) {
    acc += `${l}\r\n`;
    if (acc.length >= 32 * 1024) {
      yield Buffer.from(acc, 'utf8');
      acc = '';
    }
  }
  if (acc) yield Buffer.from(acc, 'utf8');
}
