/**
 * One SSH client connection: authentication, then `session` channels. Each channel running the
 * `sftp` subsystem or an `exec` command is a separate core connection (max_sessions and the
 * connections API count channels, INVENTORY §3.1). Every other request (shell, pty, forwarding)
 * is refused by leaving it unhandled, which ssh2 answers with a failure.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Connection as Ssh2Connection, ServerChannel, Session } from 'ssh2';
import type { AppContext } from '../../app/context.js';
import type { ConnectionProtocol } from '../../dataprovider/models.js';
import type { Connection, RemoteInfo } from '../../core/types.js';
import { SshAuthenticator, type AuthSettings } from './auth.js';
import { guardChannel } from './channel-guard.js';
import { runExec } from './commands/exec.js';
import { serveSftpChannel } from './sftp-channel.js';

/** One admitted, handshaking SSH client. */
export interface ClientSessionOptions {
  ctx: AppContext;
  client: Ssh2Connection;
  remote: RemoteInfo;
  /** The client's identification line ("SSH-2.0-OpenSSH_9.2p1 ..."). */
  clientVersion: string;
  settings: AuthSettings;
  commands: ReadonlySet<string>;
  onLoggedIn(): void;
}

/** What a channel handler gets: a way to open its core connection, tied to the channel. */
export interface ChannelHost {
  readonly logger: Logger;
  readonly ctx: AppContext;
  readonly commands: ReadonlySet<string>;
  /**
   * Opens the core connection of a channel; rejects when max_sessions is reached. `onClose` runs
   * when the connection closes (admin close, idle timeout, shutdown, or the channel's own end).
   */
  openConnection(protocol: ConnectionProtocol, onClose: (reason: string) => void): Promise<Connection>;
}

/** Serves one SSH connection: auth, then its session channels. */
export class SshClientSession implements ChannelHost {
  readonly logger: Logger;
  readonly ctx: AppContext;
  readonly commands: ReadonlySet<string>;
  /** SFTPGo builds connection ids from the SSH session id; a random id of the same size here. */
  private readonly sshId = randomBytes(32).toString('hex');
  private readonly auth: SshAuthenticator;
  private readonly live = new Set<Connection>();
  private channelSeq = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly o: ClientSessionOptions) {
    this.ctx = o.ctx;
    this.commands = o.commands;
    this.logger = o.ctx.logger.child({ protocol: 'SSH', remote_address: `${o.remote.ip}:${o.remote.port}` });
    this.auth = new SshAuthenticator({
      core: o.ctx.core, data: o.ctx.data, settings: o.settings, remote: o.remote, logger: this.logger,
      onTooManyFailures: () => o.client.end(),
    });
    const { client } = o;
    client.on('authentication', (actx) => void this.auth.handle(actx));
    client.on('ready', () => this.onReady());
    client.on('session', (accept) => this.onSession(accept()));
    client.on('error', (err: Error) => this.logger.debug({ err: err.message }, 'ssh client error'));
    client.once('close', () => void this.onClosed());
  }

  /** Server shutdown: waits up to `graceMs` for transfers (the registry does), then disconnects. */
  async shutdown(_graceMs: number): Promise<void> {
    await Promise.all([...this.live].map((c) => c.close('server shutdown')));
    this.o.client.end();
  }

  async openConnection(protocol: ConnectionProtocol, onClose: (reason: string) => void): Promise<Connection> {
    const user = this.auth.result?.user;
    if (!user) throw new Error('not authenticated');
    const conn = await this.ctx.core.connections.open({
      protocol, user, remote: this.o.remote, clientVersion: this.o.clientVersion,
      idHint: `${this.sshId}_${++this.channelSeq}`, onClose,
    });
    this.live.add(conn);
    this.stopIdleTimer();
    const forget = () => {
      this.live.delete(conn);
      if (this.live.size === 0) this.startIdleTimer();
    };
    void waitClosed(conn).then(forget);
    return conn;
  }

  private onReady(): void {
    this.o.onLoggedIn();
    this.startIdleTimer();
  }

  private onSession(session: Session): void {
    session.on('subsystem', (accept, reject, info) => {
      if (info.name !== 'sftp') return reject();
      void serveSftpChannel(this, this.guard(accept()));
    });
    session.on('exec', (accept, _reject, info) => void runExec(this, info.command, this.guard(accept())));
  }

  private guard(channel: ServerChannel | undefined): ServerChannel | undefined {
    return channel && guardChannel(channel, this.logger);
  }

  /**
   * An SSH connection without live channels is closed after `idle_timeout` (INVENTORY §4.11);
   * channels themselves are watched by the registry's idle checker.
   */
  private startIdleTimer(): void {
    const minutes = this.ctx.config.common.idle_timeout;
    if (minutes <= 0 || this.closed) return;
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => this.o.client.end(), minutes * 60_000);
    this.idleTimer.unref();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private async onClosed(): Promise<void> {
    this.closed = true;
    this.stopIdleTimer();
    this.auth.abort();
    if (!this.auth.attempted && !this.auth.result) this.ctx.core.auth.noAuthAttempt('SSH', this.o.remote);
    await Promise.all([...this.live].map((c) => c.close('client disconnected')));
  }
}

/** Resolves when a connection's signal aborts (it is closed). */
function waitClosed(conn: Connection): Promise<void> {
  if (conn.signal.aborted) return Promise.resolve();
  return new Promise((r) => conn.signal.addEventListener('abort', () => r(), { once: true }));
}
