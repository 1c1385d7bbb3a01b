/**
 * One HTTP(S) listener on a TCP address or an absolute Unix socket path, with Nagle off on every
 * socket, an error on a taken port, and a graceful close that waits for in-flight responses.
 */
import { createServer as createHttp, type Server, type RequestListener } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import type { TlsOptions } from 'node:tls';
import { unavailable } from '../../util/errors.js';

/**
 * Largest request line + headers we read (REST API, web UIs and WebDAV alike), config-free.
 * Node's default is 16 KiB, too small for real clients: Windows and macOS WebDAV clients send
 * long `If` lists of lock tokens and big cookies, browsers carry large cookie jars. SFTPGo sets
 * Go's `MaxHeaderBytes` to 64 KiB (1 << 16) on both servers, and Go reads up to 4096 bytes more
 * before it refuses, so this is what SFTPGo accepts. Past it Node answers 431 and closes the
 * socket (its default clientError handling; nothing reaches our handlers).
 */
export const MAX_HEADER_BYTES = 64 * 1024 + 4096;

export interface ListenerAddress {
  /** `http`/`https` URL base of the listener, or `unix:/path`. */
  url: string;
  address: string;
  port: number;
}

export class HttpListener {
  readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(handler: RequestListener, readonly tls: TlsOptions | undefined) {
    const opts = { maxHeaderSize: MAX_HEADER_BYTES };
    this.server = tls ? createHttps({ ...tls, ...opts }, handler) : createHttp(opts, handler);
    this.server.on('connection', (s: Socket) => {
      s.setNoDelay?.(true);
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    this.server.on('secureConnection', (s: Socket) => s.setNoDelay?.(true));
  }

  /** Listens on `address:port` or on the Unix socket `address` when it is an absolute path. */
  async listen(address: string, port: number): Promise<void> {
    const unix = address.startsWith('/');
    if (unix) await rm(address, { force: true });
    await new Promise<void>((resolvePromise, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        reject(unavailable(`cannot listen on ${unix ? address : `${address || '0.0.0.0'}:${port}`}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`, err));
      };
      this.server.once('error', onError);
      const done = () => { this.server.off('error', onError); resolvePromise(); };
      if (unix) this.server.listen(address, done);
      else this.server.listen(port, address || undefined, done);
    });
  }

  address(): ListenerAddress {
    const a = this.server.address();
    if (typeof a === 'string') return { url: `unix:${a}`, address: a, port: 0 };
    const info = a as AddressInfo;
    const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
    return { url: `${this.tls ? 'https' : 'http'}://${host}:${info.port}`, address: info.address, port: info.port };
  }

  /** Stops accepting, lets in-flight requests finish up to `graceMs`, then drops the rest. */
  async close(graceMs: number): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((r) => this.server.close(() => r()));
    this.server.closeIdleConnections();
    const timer = setTimeout(() => { for (const s of this.sockets) s.destroy(); }, Math.max(0, graceMs));
    await closed;
    clearTimeout(timer);
  }
}
