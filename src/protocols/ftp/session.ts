/**
 * One FTP session: reads command lines from the control channel, runs them one at a time through
 * the command table, and owns the data channel, the login state and the core connection. ABOR is
 * the one command acted on out of turn: it stops the running transfer at once, then gets its
 * reply in order (RFC 959 §4.1.3). Unauthenticated clients are closed after 2 minutes without a
 * command (SFTPGo's no_auth_tryed).
 */
import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { CoreServices } from '../../app/context.js';
import type { Connection, RemoteInfo } from '../../core/index.js';
import { COMMANDS } from './commands/index.js';
import { ControlChannel } from './control.js';
import { DataChannel } from './data-channel.js';
import { MLST_FACTS } from './listing.js';
import { resolvePath } from './parse.js';
import { isSftpGoError } from '../../util/errors.js';
import { ftpErrorReply, Reply } from './replies.js';
import { verifiedPeerCertificate } from './tls.js';
import { Replied, type ActiveTransfer, type FtpSession, type FtpSettings, type SessionState } from './types.js';

/**
 * Unauthenticated clients idle this long are closed, counted as no_auth_tryed (INVENTORY §3.4,
 * §4.11: SFTPGo's idle checker closes FTP connections without a login after 2 minutes of no
 * command, whatever idle_timeout says, even 0). Not a config key in SFTPGo, so not one here.
 */
export const UNAUTH_IDLE_MS = 2 * 60_000;
/** Commands queued behind a running one before we stop reading the socket. */
const MAX_QUEUED = 64;

export interface SessionOptions {
  settings: FtpSettings;
  core: CoreServices;
  /** Raw socket, or a TLS socket already handshaken (implicit FTPS). */
  socket: Socket;
  remote: RemoteInfo;
  idHint: string;
  logger: Logger;
  /** Called once when the session is over. */
  onEnd: () => void;
}

export class Session implements FtpSession {
  readonly settings: FtpSettings;
  readonly core: CoreServices;
  readonly control: ControlChannel;
  readonly data: DataChannel;
  readonly remote: RemoteInfo;
  readonly logger: Logger;
  readonly idHint: string;
  readonly state: SessionState;
  activeTransfer: ActiveTransfer | undefined;
  private conn_: Connection | undefined;
  private readonly queue: string[] = [];
  private running = false;
  private paused = false;
  private ended = false;
  private unauthTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SessionOptions) {
    this.settings = opts.settings;
    this.core = opts.core;
    this.remote = opts.remote;
    this.idHint = opts.idHint;
    this.logger = opts.logger;
    const implicit = opts.settings.binding.tls_mode === 2;
    this.state = {
      cwd: '/', pendingUser: undefined, type: 'I', restOffset: 0, renameFrom: undefined,
      prot: implicit ? 'P' : 'C', pbsz: implicit, hashAlgo: 'SHA-256', facts: new Set(MLST_FACTS), clientVersion: '',
    };
    this.control = new ControlChannel(opts.socket, {
      holds: (text) => verbOf(text) === 'AUTH',
      line: (text) => this.onLine(text),
      overflow: () => this.reply(Reply.Syntax, 'Command line too long'),
      closed: () => void this.end('client closed the control connection'),
    });
    this.data = new DataChannel({
      localIp: opts.remote.localIp ?? '', peerIp: opts.remote.ip, proxy: opts.settings.proxy, logger: opts.logger,
      passiveRange: passiveRange(opts.settings), activeFromPort20: !opts.settings.ftpd.active_transfers_port_non_20,
    });
  }

  get connection(): Connection | undefined {
    return this.conn_;
  }

  /** Sends the greeting and starts reading commands. */
  start(): void {
    this.reply(Reply.ServiceReady, this.settings.greeting);
    this.armUnauthTimer();
    this.control.start();
  }

  reply(code: number, text: string | readonly string[]): void {
    this.control.reply(code, text);
  }

  conn(): Connection {
    if (!this.conn_) throw new Error('not logged in');
    return this.conn_;
  }

  path(arg: string): string {
    return resolvePath(this.state.cwd, arg);
  }

  loggedIn(conn: Connection, method: string): void {
    this.conn_ = conn;
    conn.clientVersion = this.state.clientVersion;
    clearTimeout(this.unauthTimer);
    this.logger.info({ username: conn.user.username, login_method: method }, 'FTP login');
  }

  async startTls(): Promise<void> {
    const tls = this.settings.tls!;
    try {
      await this.control.startTls((raw) => tls.upgrade(raw));
    } catch (err) {
      this.logger.debug({ err: (err as Error).message }, 'control TLS handshake failed');
      this.control.destroy();
      throw new Replied();
    }
  }

  peerCertificate(): X509Certificate | undefined {
    const sock = this.control.socket;
    const tls = this.settings.tls;
    return sock instanceof TLSSocket && tls ? verifiedPeerCertificate(sock, tls.clientAuth) : undefined;
  }

  quit(): void {
    this.control.end();
  }

  /** Server side close (shutdown, admin close, idle timeout). */
  async close(reason: string): Promise<void> {
    this.reply(Reply.ServiceUnavailable, `Closing connection: ${reason}`);
    this.control.end();
    await this.end(reason);
  }

  /** Line from the control channel, queued; ABOR also stops the running transfer at once. */
  private onLine(text: string): void {
    if (this.ended) return;
    const verb = verbOf(text);
    if (verb === 'ABOR' && this.activeTransfer) this.activeTransfer.abort();
    this.queue.push(text);
    if (this.queue.length > MAX_QUEUED && !this.paused) {
      this.paused = true;
      this.control.pause();
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let line = this.queue.shift(); line !== undefined && !this.ended; line = this.queue.shift()) {
        await this.execute(line);
        if (this.paused && this.queue.length <= MAX_QUEUED / 2) {
          this.paused = false;
          this.control.resume();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async execute(line: string): Promise<void> {
    const verb = verbOf(line);
    const sp = line.indexOf(' ');
    const arg = sp < 0 ? '' : line.slice(sp + 1);
    this.armUnauthTimer();
    try {
      await this.dispatch(verb, arg);
    } catch (err) {
      if (!(err instanceof Replied)) this.replyError(err);
    } finally {
      if (verb === 'AUTH') this.control.release();
    }
  }

  private async dispatch(verb: string, arg: string): Promise<void> {
    const cmd = Object.hasOwn(COMMANDS, verb) ? COMMANDS[verb] : undefined;
    if (!cmd) return this.reply(Reply.Syntax, `Command not understood: ${verb}`);
    if (!cmd.open && !this.conn_) return this.reply(Reply.NotLoggedIn, 'Please login with USER and PASS');
    if (cmd.needsArg && arg.trim() === '') return this.reply(Reply.SyntaxParams, `${verb} requires an argument`);
    if (this.conn_) this.conn_.setCommand(verb === 'PASS' ? 'PASS ***' : `${verb} ${arg}`.trim());
    if (verb !== 'RNTO' && verb !== 'RNFR') this.state.renameFrom = undefined;
    await cmd.run(this, arg);
  }

  private replyError(err: unknown): void {
    const { code, message } = ftpErrorReply(err);
    if (!isSftpGoError(err)) this.logger.debug({ err }, 'FTP command failed');
    this.reply(code, message);
  }

  private armUnauthTimer(): void {
    if (this.conn_) return;
    clearTimeout(this.unauthTimer);
    this.unauthTimer = setTimeout(() => {
      this.core.auth.noAuthAttempt('FTP', this.remote);
      void this.close('login timeout');
    }, this.settings.unauthIdleMs);
    this.unauthTimer.unref();
  }

  /** Ends once: aborts the transfer, closes the data channel and the core connection. */
  private async end(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.unauthTimer);
    this.activeTransfer?.abort();
    this.data.reset();
    this.control.end();
    try {
      await this.conn_?.close(reason);
    } catch (err) {
      this.logger.debug({ err }, 'FTP connection close');
    }
    this.opts.onEnd();
  }
}

/** The verb of a command line, upper-cased. */
function verbOf(line: string): string {
  const sp = line.indexOf(' ');
  return (sp < 0 ? line : line.slice(0, sp)).toUpperCase();
}

/** The configured range when usable (start > 0 and end > start), else any port (INVENTORY §2.3). */
function passiveRange(s: FtpSettings): { start: number; end: number } | undefined {
  const r = s.ftpd.passive_port_range;
  return r.start > 0 && r.end > r.start ? { start: r.start, end: r.end } : undefined;
}
