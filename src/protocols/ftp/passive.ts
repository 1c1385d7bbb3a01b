/**
 * One passive-mode listener (PASV/EPSV): a port from `passive_port_range` (random when the range
 * is unset), bound to the address the client reached, PROXY protocol when the binding applies it
 * (INVENTORY §4.15), and a peer check: only a connection from the control connection's client IP
 * is taken (RFC 2577 §3, against data-port theft); others are dropped.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { readProxyHeader, type ProxyOptions } from '../../core/index.js';
import { unavailable } from '../../util/errors.js';

/** `::ffff:1.2.3.4` and `1.2.3.4` are the same client. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

export interface PassiveOptions {
  /** Local address to listen on (the control connection's local address). */
  host: string;
  /** Ports to use; undefined = any free port. */
  range?: { start: number; end: number };
  /** The only client IP accepted. */
  peerIp: string;
  proxy: ProxyOptions;
  logger: Logger;
}

/** Ports of `range` starting at a random one, each once. */
function candidatePorts(range: { start: number; end: number }): number[] {
  const n = range.end - range.start + 1;
  const first = Math.floor(Math.random() * n);
  return Array.from({ length: n }, (_, i) => range.start + ((first + i) % n));
}

function listenOn(server: Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

export class PassiveListener {
  private readonly server: Server;
  private socket: Socket | undefined;
  private waiter: ((s: Socket) => void) | undefined;
  private closed = false;

  private constructor(private readonly opts: PassiveOptions) {
    this.server = createServer({ noDelay: true }, (s) => void this.onConnection(s));
    this.server.on('error', () => undefined);
  }

  /** Opens a listener; throws Unavailable when every port of the range is taken. */
  static async open(opts: PassiveOptions): Promise<PassiveListener> {
    const l = new PassiveListener(opts);
    const ports = opts.range ? candidatePorts(opts.range) : [0];
    for (const port of ports) {
      if (await listenOn(l.server, opts.host, port)) return l;
    }
    throw unavailable('no free passive port');
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  /** The client's data connection; rejects on timeout or abort. */
  accept(timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
    if (this.socket) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiter = undefined;
        if (err) reject(err);
        else resolve(this.take());
      };
      const onAbort = () => done(new Error('data connection aborted'));
      const timer = setTimeout(() => done(new Error('timeout waiting for the passive data connection')), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = () => done();
    });
  }

  /** Stops listening and drops a connection nobody took. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    this.socket?.destroy();
    this.socket = undefined;
  }

  private take(): Socket {
    const s = this.socket!;
    this.socket = undefined;
    this.close();
    return s;
  }

  private async onConnection(s: Socket): Promise<void> {
    s.on('error', () => undefined);
    s.setNoDelay(true);
    let ip = s.remoteAddress ?? '';
    try {
      ip = (await readProxyHeader(s, this.opts.proxy)).ip;
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'passive connection: PROXY header refused');
      s.destroy();
      return;
    }
    if (normalizeIp(ip) !== normalizeIp(this.opts.peerIp) || this.socket || this.closed) {
      this.opts.logger.warn({ data_client_ip: ip, client_ip: this.opts.peerIp }, 'passive connection refused: not the control client');
      s.destroy();
      return;
    }
    this.socket = s;
    this.waiter?.(s);
  }
}
