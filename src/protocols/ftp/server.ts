/**
 * The FTP/FTPS service (INVENTORY §2.3, §3.4): one listener per binding with a port, PROXY
 * protocol when the binding applies it, the core gate for every client (ban, limits, rate limit,
 * post-connect hook), implicit TLS for tls_mode 2, and a session per control connection. Ids are
 * `FTP_<binding>_<client>` as in SFTPGo. Stop waits for running transfers up to the grace period.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { FtpdBinding } from '../../config/types.js';
import { proxyOptionsFromConfig, readProxyHeader, type ProxyAddress } from '../../core/index.js';
import { invalidInput, unavailable } from '../../util/errors.js';
import { formatReply, Reply } from './replies.js';
import { Session, UNAUTH_IDLE_MS } from './session.js';
import { BindingTls, loadTlsMaterial, type TlsMaterial } from './tls.js';
import { opensslCiphers } from '../../util/tls-ciphers.js';
import type { FtpSettings } from './types.js';

/** One listening address. */
export interface FtpAddress {
  address: string;
  port: number;
  /** 0 plain/explicit, 1 TLS required, 2 implicit. */
  tlsMode: number;
}

interface Listener {
  server: Server;
  settings: FtpSettings;
}

/** Greeting lines: banner_file content (relative to the config dir) or the banner. */
async function greetingLines(ctx: AppContext): Promise<string[]> {
  const cfg = ctx.config.ftpd;
  if (!cfg.banner_file) return [cfg.banner];
  const path = resolve(ctx.configDir, cfg.banner_file);
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw invalidInput(`FTP: cannot read banner_file "${path}": ${err.message}`);
  });
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  return lines.length ? lines : [cfg.banner];
}

function listen(server: Server, address: string, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(unavailable(`FTP: cannot listen on ${address || '0.0.0.0'}:${port}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`, err));
    });
    server.listen(port, address || undefined, () => resolvePromise());
  });
}

/** Construction options; none is a config key. */
export interface FtpServerOptions {
  /** Overrides the 2 minutes after which an unauthenticated idle client is closed (tests). */
  unauthIdleMs?: number;
}

export class FtpServer {
  readonly name = 'FTP';
  private readonly listeners: Listener[] = [];
  private readonly sessions = new Set<Session>();
  private nextClientId = 1;
  private readonly logger: Logger;

  constructor(private readonly ctx: AppContext, private readonly opts: FtpServerOptions = {}) {
    this.logger = ctx.logger.child({ sender: 'ftpd', protocol: 'FTP' });
  }

  /** Starts every binding with a port; `ephemeral` binds port 0 instead (tests). */
  async start(opts: { ephemeral?: boolean } = {}): Promise<void> {
    const cfg = this.ctx.config.ftpd;
    const material = await loadTlsMaterial(cfg, this.ctx.configDir);
    const greeting = await greetingLines(this.ctx);
    for (const [index, binding] of cfg.bindings.entries()) {
      if (binding.port <= 0) continue;
      const settings = this.settingsFor(index, binding, material, greeting);
      const server = createServer({ noDelay: true }, (sock) => void this.onSocket(sock, settings));
      await listen(server, binding.address, opts.ephemeral ? 0 : binding.port);
      this.listeners.push({ server, settings });
      this.logger.info({ address: binding.address, port: this.portOf(server), tls_mode: binding.tls_mode }, 'FTP server listening');
    }
  }

  /** Stops accepting, lets transfers run up to `graceMs`, then closes every session. */
  async stop(graceMs: number): Promise<void> {
    for (const l of this.listeners.splice(0)) l.server.close();
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && [...this.sessions].some((s) => s.activeTransfer)) await sleep(50);
    await Promise.all([...this.sessions].map((s) => s.close('server shutdown')));
  }

  addresses(): FtpAddress[] {
    return this.listeners.map(({ server, settings }) => ({
      address: settings.binding.address || '0.0.0.0', port: this.portOf(server), tlsMode: settings.binding.tls_mode,
    }));
  }

  /** SIGHUP: reloads certificates, CA certificates and CRLs for new connections. */
  async reload(): Promise<void> {
    const material = await loadTlsMaterial(this.ctx.config.ftpd, this.ctx.configDir);
    for (const { settings } of this.listeners) settings.tls = material ? this.bindingTls(material, settings.binding) : undefined;
  }

  private portOf(server: Server): number {
    const a = server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  private settingsFor(index: number, binding: FtpdBinding, material: TlsMaterial | undefined, greeting: string[]): FtpSettings {
    if (binding.tls_mode !== 0 && !material) {
      throw invalidInput(`FTP binding ${index}: tls_mode ${binding.tls_mode} needs certificate_file and certificate_key_file`);
    }
    return {
      ftpd: this.ctx.config.ftpd, common: this.ctx.config.common, binding, bindingIndex: index,
      tls: material ? this.bindingTls(material, binding) : undefined, greeting,
      statusBanner: `SFTPGo ${this.ctx.build.version} FTP Server`,
      proxy: proxyOptionsFromConfig(this.ctx.config.common, binding.apply_proxy_config),
      unauthIdleMs: this.opts.unauthIdleMs ?? UNAUTH_IDLE_MS,
    };
  }

  private bindingTls(material: TlsMaterial, binding: FtpdBinding): BindingTls {
    // Names were checked at config load (util/tls-ciphers.ts).
    return new BindingTls(material, binding, opensslCiphers(binding.tls_cipher_suites));
  }

  /** A new control connection: PROXY header, gate, implicit TLS, then the session. */
  private async onSocket(sock: Socket, settings: FtpSettings): Promise<void> {
    sock.setNoDelay(true);
    sock.setKeepAlive(true, 60_000);
    sock.on('error', () => undefined);
    let address: ProxyAddress;
    try {
      // Already canonical (IPv4-mapped addresses as plain IPv4), as for every protocol.
      address = await readProxyHeader(sock, settings.proxy);
    } catch (err) {
      this.logger.debug({ err: (err as Error).message, client_ip: sock.remoteAddress }, 'PROXY header refused');
      sock.destroy();
      return;
    }
    let release: () => void;
    try {
      release = await this.ctx.core.gate.accept(address.ip, 'FTP');
    } catch (err) {
      await this.refuse(sock, settings, `Access denied: ${(err as Error).message}`);
      return;
    }
    const control = settings.binding.tls_mode === 2 ? await this.implicitTls(sock, settings) : sock;
    if (!control) {
      release();
      return;
    }
    this.openSession(control, sock, address, settings, release);
  }

  private openSession(control: Socket, raw: Socket, address: ProxyAddress, settings: FtpSettings, release: () => void): void {
    const idHint = `${settings.bindingIndex}_${this.nextClientId++}`;
    const session: Session = new Session({
      settings, core: this.ctx.core, socket: control, idHint,
      remote: { ip: address.ip, port: address.port, localIp: raw.localAddress ?? '', localPort: raw.localPort ?? 0 },
      logger: this.logger.child({ connection_id: `FTP_${idHint}`, client_ip: address.ip }),
      onEnd: () => {
        this.sessions.delete(session);
        release();
      },
    });
    this.sessions.add(session);
    session.start();
  }

  /** Implicit FTPS: the handshake comes first; undefined when it fails. */
  private async implicitTls(sock: Socket, settings: FtpSettings): Promise<TLSSocket | undefined> {
    try {
      return await settings.tls!.upgrade(sock);
    } catch (err) {
      this.logger.debug({ err: (err as Error).message, client_ip: sock.remoteAddress }, 'implicit TLS handshake failed');
      sock.destroy();
      return undefined;
    }
  }

  /** Tells a refused client why (421) and closes; in implicit mode after the handshake. */
  private async refuse(sock: Socket, settings: FtpSettings, message: string): Promise<void> {
    const out = settings.binding.tls_mode === 2 ? await this.implicitTls(sock, settings) : sock;
    if (!out) return void sock.destroy();
    out.end(formatReply(Reply.ServiceUnavailable, message));
    setTimeout(() => out.destroy(), 5000).unref();
  }
}

/** The FTP service of an app context (not started). */
export function createFtpServer(ctx: AppContext, opts: FtpServerOptions = {}): FtpServer {
  return new FtpServer(ctx, opts);
}
