/**
 * Data transfers over the data connection: the connection is accepted (or dialled), 150 is sent,
 * and only then the TLS handshake runs when PROT P is on, because lftp, curl and Go clients start
 * their handshake after reading 150 (LIBS.md "FTP"). Every transfer can be stopped by ABOR or by
 * the control connection closing; an upload is committed only when the client ended the data
 * stream while its control connection was still there, so a client that drops mid-transfer
 * leaves nothing behind in atomic mode (INVENTORY §4.7).
 */
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TLSSocket } from 'node:tls';
import type { DownloadTransfer, UploadTransfer } from '../../core/index.js';
import { aborted, ErrorKind, isSftpGoError } from '../../util/errors.js';
import { DATA_CONNECTION_TIMEOUT_MS } from './data-channel.js';
import { ftpErrorReply, Reply } from './replies.js';
import { asciiIn, batch, copyOut, drainTo, endSocket, tick, toCrlf } from './streams.js';
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
    if (run.aborted) s.reply(Reply.TransferAborted, 'Transfer aborted before the data connection opened');
    else s.reply(Reply.CannotOpenData, `Cannot open data connection: ${(err as Error).message}`);
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
      await drainTo(src, async (parts, size) => {
        await ul.write(parts, pos);
        pos += size;
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

