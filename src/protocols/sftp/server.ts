/**
 * The SSH server (INVENTORY §2.2, §3.1): one TCP listener per `sftpd` binding; each new socket is
 * admitted by the core's gate (after the PROXY header, when configured), then speaks SSH through
 * an ssh2 client built by `SshEndpoint`, served by `SshClientSession`.
 */
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Connection as Ssh2Connection, ClientInfo } from 'ssh2';
import type { AppContext } from '../../app/context.js';
import type { SftpdBinding } from '../../config/types.js';
import { checkHookPrograms, keyBlob, proxyOptionsFromConfig, readProxyHeader } from '../../core/index.js';
import type { RemoteInfo } from '../../core/types.js';
import { buildAlgorithms } from './algorithms.js';
import { maxAuthTries, type AuthSettings } from './auth.js';
import { SshClientSession } from './client-session.js';
import { enabledCommands } from './commands/registry.js';
import { loadHostKeys, type HostKey } from './host-keys.js';
import { SshEndpoint } from './ssh-endpoint.js';

/** Handshake plus authentication must finish in this time (INVENTORY §3.1). */
const LOGIN_TIMEOUT_MS = 2 * 60 * 1000;

/** The SFTP/SCP/SSH service of one app context. */
export class SftpServer {
  readonly name = 'SFTP';
  private readonly listeners: NetServer[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<SshClientSession>();
  private keys: HostKey[] = [];
  private endpoint?: SshEndpoint;
  private settings?: AuthSettings;
  private commands: ReadonlySet<string> = new Set();

  constructor(private readonly ctx: AppContext) {}

  async start(opts: { ephemeral?: boolean } = {}): Promise<void> {
    const cfg = this.ctx.config.sftpd;
    // Checked here, as SFTPGo does, not at the first keyboard-interactive login (core/hooks/check.ts).
    await checkHookPrograms({ 'sftpd.keyboard_interactive_auth_hook': cfg.keyboard_interactive_auth_hook });
    this.keys = await loadHostKeys(cfg.host_keys, this.ctx.configDir, this.ctx.logger);
    this.settings = await this.authSettings();
    const banner = cfg.login_banner_file ? await readFile(this.resolve(cfg.login_banner_file), 'utf8') : undefined;
    this.commands = enabledCommands(cfg.enabled_ssh_commands, (name) => this.ctx.logger.warn({ command: name }, 'unsupported SSH command dropped'));
    this.endpoint = new SshEndpoint({
      hostKeys: this.keys.map((k) => k.key),
      algorithms: buildAlgorithms(cfg, (msg) => this.ctx.logger.warn(msg)),
      ident: cfg.banner,
      banner,
    });
    for (const b of cfg.bindings.filter((x) => x.port > 0)) await this.listen(b, !!opts.ephemeral);
  }

  /** Stops accepting, closes every session (the registry already let transfers finish), drops sockets. */
  async stop(graceMs: number): Promise<void> {
    const closed = this.listeners.map((l) => new Promise<void>((r) => l.close(() => r())));
    this.listeners.length = 0;
    await Promise.all([...this.clients].map((c) => c.shutdown(graceMs)));
    for (const s of this.sockets) s.destroy();
    await Promise.all(closed);
  }

  addresses(): { address: string; port: number }[] {
    return this.listeners.map((l) => l.address() as AddressInfo).filter(Boolean).map((a) => ({ address: a.address, port: a.port }));
  }

  /** Host keys with their SHA256 fingerprints (status API). */
  hostKeys(): { path: string; fingerprint: string }[] {
    return this.keys.map((k) => ({ path: k.path, fingerprint: k.fingerprint }));
  }

  private resolve(p: string): string {
    return isAbsolute(p) ? p : join(this.ctx.configDir, p);
  }

  private async authSettings(): Promise<AuthSettings> {
    const cfg = this.ctx.config.sftpd;
    const trustedCAs: Buffer[] = [];
    for (const file of cfg.trusted_user_ca_keys) {
      for (const line of (await readFile(this.resolve(file), 'utf8')).split('\n')) {
        const blob = line.trim() && !line.trim().startsWith('#') ? keyBlob(line) : undefined;
        if (blob) trustedCAs.push(blob);
      }
    }
    return {
      maxTries: maxAuthTries(cfg.max_auth_tries), passwordAuth: cfg.password_authentication,
      keyboardInteractive: !!cfg.keyboard_interactive_auth_hook, trustedCAs,
    };
  }

  private listen(b: SftpdBinding, ephemeral: boolean): Promise<void> {
    const proxy = proxyOptionsFromConfig(this.ctx.config.common, b.apply_proxy_config);
    const srv = createServer((socket) => void this.admit(socket, proxy));
    this.listeners.push(srv);
    return new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(ephemeral ? 0 : b.port, b.address || undefined, () => {
        srv.off('error', reject);
        srv.on('error', (err) => this.ctx.logger.warn({ err }, 'sftp listener error'));
        resolve();
      });
    });
  }

  /** PROXY header, gate, Nagle off, login timer, then ssh2. A refused socket is just closed. */
  private async admit(socket: Socket, proxy: ReturnType<typeof proxyOptionsFromConfig>): Promise<void> {
    // With Nagle on, SFTP uploads ran 7× slower (LIBS.md performance facts).
    socket.setNoDelay(true);
    coalesceWrites(socket);
    socket.on('error', () => undefined);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    let release: (() => void) | undefined;
    try {
      const addr = await readProxyHeader(socket, proxy);
      release = await this.ctx.core.gate.accept(addr.ip, 'SSH');
      const timer = setTimeout(() => socket.destroy(), LOGIN_TIMEOUT_MS);
      socket.once('close', () => {
        clearTimeout(timer);
        release?.();
      });
      const remote: RemoteInfo = { ip: addr.ip, port: addr.port, localIp: socket.localAddress, localPort: socket.localPort };
      if (socket.destroyed) return;
      this.endpoint!.accept(socket, (client, info) => this.onClient(client, info, remote, () => clearTimeout(timer)));
    } catch (err) {
      this.ctx.logger.debug({ err: (err as Error).message, peer }, 'ssh connection refused');
      release?.();
      socket.destroy();
    }
  }

  private onClient(client: Ssh2Connection, info: ClientInfo, remote: RemoteInfo, loggedIn: () => void): void {
    const session = new SshClientSession({
      ctx: this.ctx, client, remote, clientVersion: info.header.identRaw, settings: this.settings!, commands: this.commands,
      onLoggedIn: loggedIn,
    });
    this.clients.add(session);
    client.once('close', () => this.clients.delete(session));
  }
}

/**
 * ssh2 writes every SSH packet with its own socket.write: a 255 KiB SFTP DATA reply becomes eight
 * 32 KiB channel packets, eight syscalls. Corking the socket until the end of the event-loop turn
 * sends what one turn produced in a single writev (Nagle stays off, so nothing waits longer).
 */
function coalesceWrites(socket: Socket): void {
  const write = socket.write.bind(socket);
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = ((...args: Parameters<Socket['write']>) => {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write(...(args as [Uint8Array]));
  }) as Socket['write'];
}

/** Factory for the protocol-server table. */
export function createSftpServer(ctx: AppContext): SftpServer {
  return new SftpServer(ctx);
}
