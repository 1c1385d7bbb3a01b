/**
 * Data transfers over the data connection: the connection is accepted (or dialled), 150 is sent,
 * and only then the TLS handshake runs when PROT P is on, because lftp, curl and Go clients start
 * their handshake after reading 150 (LIBS.md "FTP"). Every transfer can be stopped by ABOR or by
 * the control connection closing; an upload is committed only when the client ended the data
 * stream while its control connection was still there, so a client that drops mid-transfer
 * leaves nothing behind in atomic mode (INVENTORY §4.7).
 */
import type { Socket } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TLSSocket } from 'node:tls';
import type { DownloadTransfer, UploadTransfer } from '../../core/index.js';
import { aborted, ErrorKind, isSftpGoError } from '../../util/errors.js';
import { DATA_CONNECTION_TIMEOUT_MS } from './data-channel.js';
import { ftpErrorReply, Reply } from './replies.js';
import { Replied, type ActiveTransfer, type FtpSession } from './types.js';

/** Checks that a transfer may start (a data connection is prepared, PROT fits the TLS mode). */
export function checkDataReady(s: FtpSession): void {
  if (!s.data.prepared) {
    s.reply(Reply.CannotOpenData, 'Use PORT, EPRT, PASV or EPSV first');
    throw new Replied();
  }
  if (s.settings.binding.tls_mode === 1 && s.state.prot !== 'P') {
    s.data.reset();
    s.reply(Reply.DataProtection, 'Data connections must be protected on this server: use PROT P');
    throw new Replied();
  }
}

/** A transfer ABOR can stop: aborting destroys the data socket. */
class Running implements ActiveTransfer {
  aborted = false;
  socket: Socket | undefined;
  readonly controller = new AbortController();

  abort(): void {
    this.aborted = true;
    this.controller.abort();
    this.socket?.destroy();
  }
}

function waitSecure(tls: TLSSocket, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error) => { cleanup(); reject(err); };
    const onAbort = () => fail(new Error('aborted'));
    const timer = setTimeout(() => fail(new Error('TLS handshake timeout')), DATA_CONNECTION_TIMEOUT_MS);
    const cleanup = () => { clearTimeout(timer); signal.removeEventListener('abort', onAbort); tls.off('error', fail); };
    signal.addEventListener('abort', onAbort, { once: true });
    tls.once('error', fail);
    tls.once('secure', () => { cleanup(); resolve(); });
  });
}

/** Accepts/dials the data connection, sends 150, runs TLS when PROT P. Replies 425 itself on failure. */
async function openData(s: FtpSession, run: Running, what: string): Promise<Socket> {
  let sock: Socket;
  try {
    sock = await s.data.open(run.controller.signal);
  } catch (err) {
    s.reply(Reply.CannotOpenData, `Cannot open data connection: ${(err as Error).message}`);
    throw new Replied();
  }
  run.socket = sock;
  s.reply(Reply.FileStatusOk, `Opening ${s.state.type === 'A' ? 'ASCII' : 'BINARY'} mode data connection for ${what}`);
  if (s.state.prot !== 'P') return sock;
  const tls = new TLSSocket(sock, { ...s.settings.tls!.dataOptions(), isServer: true });
  tls.on('error', () => undefined);
  run.socket = tls;
  try {
    await waitSecure(tls, run.controller.signal);
  } catch (err) {
    tls.destroy();
    s.reply(Reply.CannotOpenData, `TLS handshake on the data connection failed: ${(err as Error).message}`);
    throw new Replied();
  }
  return tls;
}

/**
 * Ends our side of the data connection and resolves once the last byte (and TLS close_notify) is
 * with the kernel. The socket is not destroyed here: the peer may still be reading, and a reset
 * could discard data it has not read; its own close (or a timer) releases the socket.
 */
function endSocket(sock: Socket): Promise<void> {
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
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs `body` as the session's active transfer. */
async function asActive<T>(s: FtpSession, body: (run: Running) => Promise<T>): Promise<T> {
  const run = new Running();
  s.activeTransfer = run;
  try {
    return await body(run);
  } finally {
    s.activeTransfer = undefined;
  }
}

/** Final reply of a transfer that failed after 150. */
function replyFailure(s: FtpSession, run: Running, err: unknown): void {
  if (run.aborted) return s.reply(Reply.TransferAborted, 'Transfer aborted');
  if (isSftpGoError(err) && err.kind !== ErrorKind.Aborted) {
    const { code, message } = ftpErrorReply(err);
    return s.reply(code, message);
  }
  s.reply(Reply.TransferAborted, `Connection closed; transfer aborted: ${(err as Error)?.message ?? 'error'}`);
}

/** LF → CRLF for ASCII downloads (a CR already before the LF is kept once). */
function toCrlf(): Transform {
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
function toLf(): Transform {
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
function asciiIn(sock: Socket): Readable {
  const conv = toLf();
  pipeline(sock, conv).catch(() => undefined);
  return conv;
}

/** Size of the reads that feed a binary download. */
const READ_CHUNK = 1 << 20;

function writeAsync(sock: Socket, buf: Buffer): Promise<void> {
  const p = new Promise<void>((resolve, reject) => sock.write(buf, (err) => (err ? reject(err) : resolve())));
  p.catch(() => undefined); // awaited later; a failure must not count as unhandled meanwhile
  return p;
}

/**
 * Binary download: 1 MiB positional reads into two buffers used in turn, the next read running
 * while the previous chunk is written. Far less per-chunk work (and garbage) than a 64 KiB stream.
 */
async function copyOut(dl: DownloadTransfer, sock: Socket, offset: number): Promise<void> {
  const bufs = [Buffer.allocUnsafe(READ_CHUNK), Buffer.allocUnsafe(READ_CHUNK)];
  let pending: Promise<void> = Promise.resolve();
  for (let pos = offset, i = 0; ; i++) {
    const buf = bufs[i % 2]!;
    const n = await dl.read(buf, pos);
    if (n === 0) break;
    pos += n;
    await pending; // the write before this one used the other buffer; this buffer's last write is done
    pending = writeAsync(sock, n === buf.length ? buf : buf.subarray(0, n));
  }
  await pending;
}

/** RETR: sends a download to the client, from `offset` (REST). */
export async function sendFile(s: FtpSession, dl: DownloadTransfer, what: string, offset: number): Promise<void> {
  await asActive(s, async (run) => {
    let sock: Socket;
    try {
      sock = await openData(s, run, what);
    } catch (err) {
      await dl.abort(err);
      throw err;
    }
    try {
      if (s.state.type === 'A') await pipeline(dl.stream() as Readable, toCrlf(), sock, { end: false });
      else await copyOut(dl, sock, offset);
      await endSocket(sock);
    } catch (err) {
      sock.destroy();
      await dl.abort(err);
      replyFailure(s, run, err);
      throw new Replied();
    }
    await dl.close();
    s.reply(Reply.TransferComplete, 'Transfer complete');
  });
}

/** STOR/APPE: writes what the client sends; commits only on a clean end with the control channel alive. */
export async function receiveFile(s: FtpSession, ul: UploadTransfer, what: string, append: boolean): Promise<void> {
  await asActive(s, async (run) => {
    let sock: Socket;
    try {
      sock = await openData(s, run, what);
    } catch (err) {
      await ul.abort(err);
      throw err;
    }
    try {
      const src: Readable = s.state.type === 'A' ? asciiIn(sock) : sock;
      let pos = append ? 0 : ul.initialSize;
      await drainTo(src, async (buf) => {
        await ul.write(buf, pos);
        pos += buf.length;
      });
      await tick();
      if (run.aborted) throw aborted('transfer aborted');
      if (s.control.closed) throw aborted('control connection closed during the upload');
      await endSocket(sock);
    } catch (err) {
      sock.destroy();
      await ul.abort(err);
      replyFailure(s, run, err);
      throw new Replied();
    }
    await ul.close();
    s.reply(Reply.TransferComplete, 'Transfer complete');
  });
}

/** Bytes read ahead of the storage while a write is running (then the socket is paused). */
const READ_AHEAD = 8 << 20;

/**
 * Feeds a stream to `write`, reading on while a write runs: what arrived meanwhile goes out as
 * one larger write, so network and storage overlap and small socket chunks become big writes.
 * Rejects when the stream fails or closes before its end (client reset, ABOR).
 */
function drainTo(src: Readable, write: (buf: Buffer) => Promise<void>): Promise<void> {
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
      const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
      parts = [];
      size = 0;
      writing = true;
      if (src.isPaused()) src.resume();
      write(buf).then(() => { writing = false; flush(); }, fail);
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

/** LIST/NLST/MLSD: sends listing lines (CRLF-terminated) over the data connection. */
export async function sendLines(s: FtpSession, lines: AsyncIterable<string>, what: string): Promise<void> {
  await asActive(s, async (run) => {
    const sock = await openData(s, run, what);
    try {
      const src = Readable.from(batch(lines));
      await pipeline(src, sock, { end: false });
      await endSocket(sock);
    } catch (err) {
      sock.destroy();
      replyFailure(s, run, err);
      throw new Replied();
    }
    s.reply(Reply.TransferComplete, 'Transfer complete');
  });
}

/** Groups lines into ~32 KiB buffers (one socket write per batch, not per entry). */
async function* batch(lines: AsyncIterable<string>): AsyncGenerator<Buffer> {
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
