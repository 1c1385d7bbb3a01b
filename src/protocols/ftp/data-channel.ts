/**
 * The data-connection manager of one session: passive (a `PassiveListener` per PASV/EPSV) or
 * active (PORT/EPRT: we connect to the client, from port 20 only when
 * `active_transfers_port_non_20` is false). One data connection per transfer, as RFC 959 stream
 * mode requires; TLS is added by the caller after the 150 reply.
 */
import { connect, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ProxyOptions } from '../../core/index.js';
import { PassiveListener, normalizeIp } from './passive.js';

/** How long a client gets to open (or accept) the data connection: SFTPGo's 20 s. */
export const DATA_CONNECTION_TIMEOUT_MS = 20_000;

export interface DataChannelOptions {
  /** Address the client reached (passive listeners bind there; active connections leave from there). */
  localIp: string;
  /** The client's IP (after PROXY protocol). */
  peerIp: string;
  passiveRange?: { start: number; end: number };
  /** Source port 20 for active connections (root needed). */
  activeFromPort20: boolean;
  proxy: ProxyOptions;
  logger: Logger;
  timeoutMs?: number;
}

type Mode = { kind: 'passive'; listener: PassiveListener } | { kind: 'active'; host: string; port: number };

export class DataChannel {
  private mode: Mode | undefined;

  constructor(private readonly opts: DataChannelOptions) {}

  /** True when PASV/EPSV/PORT/EPRT prepared the next transfer. */
  get prepared(): boolean {
    return this.mode !== undefined;
  }

  /** Opens a passive listener (closing any previous one) and returns its port. */
  async passive(): Promise<number> {
    this.reset();
    const listener = await PassiveListener.open({
      host: this.opts.localIp, range: this.opts.passiveRange, peerIp: this.opts.peerIp,
      proxy: this.opts.proxy, logger: this.opts.logger,
    });
    this.mode = { kind: 'passive', listener };
    return listener.port;
  }

  /** Records the client's address for the next transfer. */
  active(host: string, port: number): void {
    this.reset();
    this.mode = { kind: 'active', host, port };
  }

  /** True when `host` (PORT/EPRT) is the control client itself (no FTP bounce, RFC 2577 §3). */
  isPeer(host: string): boolean {
    return normalizeIp(host) === normalizeIp(this.opts.peerIp);
  }

  /** The data connection for the next transfer; the mode is consumed either way. */
  async open(signal?: AbortSignal): Promise<Socket> {
    const mode = this.mode;
    this.mode = undefined;
    if (!mode) throw new Error('no data connection prepared: send PASV, EPSV, PORT or EPRT first');
    const timeout = this.opts.timeoutMs ?? DATA_CONNECTION_TIMEOUT_MS;
    if (mode.kind === 'passive') {
      try {
        return await mode.listener.accept(timeout, signal);
      } finally {
        mode.listener.close();
      }
    }
    return this.dial(mode.host, mode.port, timeout, signal);
  }

  /** Closes a prepared passive listener. */
  reset(): void {
    if (this.mode?.kind === 'passive') this.mode.listener.close();
    this.mode = undefined;
  }

  private dial(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
    const local = normalizeIp(this.opts.localIp);
    return new Promise((resolve, reject) => {
      const sock = connect({
        host, port, localAddress: local.includes(':') === host.includes(':') ? local : undefined,
        ...(this.opts.activeFromPort20 ? { localPort: 20 } : {}), noDelay: true,
      });
      const fail = (err: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        sock.destroy();
        reject(err);
      };
      const onAbort = () => fail(new Error('data connection aborted'));
      const timer = setTimeout(() => fail(new Error('timeout connecting to the client')), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      sock.once('error', fail);
      sock.once('connect', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        sock.off('error', fail);
        sock.on('error', () => undefined);
        sock.setNoDelay(true);
        resolve(sock);
      });
    });
  }
}
