/**
 * What FTP commands see of their session, and the settings each listener shares with its
 * sessions. Commands are small functions in `commands/`, registered in one table.
 */
import type { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import type { CoreServices } from '../../app/context.js';
import type { CommonConfig, FtpdBinding, FtpdConfig } from '../../config/types.js';
import type { Connection, HashAlgorithm, ProxyOptions, RemoteInfo } from '../../core/index.js';
import type { ControlChannel } from './control.js';
import { Reply } from './replies.js';
import type { DataChannel } from './data-channel.js';
import type { BindingTls } from './tls.js';

/** Settings of one listener (binding), shared by its sessions. */
export interface FtpSettings {
  ftpd: FtpdConfig;
  common: CommonConfig;
  binding: FtpdBinding;
  bindingIndex: number;
  /** TLS material for this binding (replaced on reload); undefined when no certificate is configured. */
  tls: BindingTls | undefined;
  /** Greeting lines (banner or banner_file content). */
  greeting: string[];
  /** `SFTPGo <version> FTP Server`, shown by STAT. */
  statusBanner: string;
  proxy: ProxyOptions;
  /** Unauthenticated clients idle this long are closed (UNAUTH_IDLE_MS unless the server was built with another). */
  unauthIdleMs: number;
}

/** HASH algorithm names (draft-bryan-ftpext-hash) and the core algorithm behind each. */
export const HASH_NAMES: Readonly<Record<string, HashAlgorithm>> = {
  'SHA-256': 'sha256', 'SHA-512': 'sha512', 'SHA-1': 'sha1', MD5: 'md5', CRC32: 'crc32',
};

/** Per-session protocol state. */
export interface SessionState {
  cwd: string;
  /** Name given by USER, waiting for PASS. */
  pendingUser: string | undefined;
  /** Transfer type: ASCII converts line endings, Image (binary) is the default. */
  type: 'A' | 'I';
  /** Offset set by REST for the next RETR/STOR. */
  restOffset: number;
  /** Source given by RNFR for the next RNTO. */
  renameFrom: string | undefined;
  /** PROT: C clear, P private (TLS on data connections). */
  prot: 'C' | 'P';
  pbsz: boolean;
  hashAlgo: string;
  /** MLST facts chosen with OPTS MLST. */
  facts: Set<string>;
  /** CLNT value, copied into the connection. */
  clientVersion: string;
}

/** A running data transfer that ABOR can stop. */
export interface ActiveTransfer {
  abort(): void;
  readonly aborted: boolean;
}

/** The session API the commands use. */
export interface FtpSession {
  readonly settings: FtpSettings;
  readonly core: CoreServices;
  readonly state: SessionState;
  readonly control: ControlChannel;
  readonly data: DataChannel;
  readonly remote: RemoteInfo;
  readonly logger: Logger;
  /** Session id part of the connection id (`<binding>_<client>`). */
  readonly idHint: string;
  /** The logged-in connection, undefined before login. */
  readonly connection: Connection | undefined;
  /** The transfer in progress (for ABOR). */
  activeTransfer: ActiveTransfer | undefined;
  reply(code: number, text: string | readonly string[]): void;
  /** The logged-in connection (commands that need login run only after it). */
  conn(): Connection;
  /** The virtual path of an argument, relative to the working directory. */
  path(arg: string): string;
  /** Records the login (and the method that succeeded); the session now belongs to `conn`. */
  loggedIn(conn: Connection, method: string): void;
  /** Upgrades the control channel (AUTH TLS); call right after replying 234. */
  startTls(): Promise<void>;
  /** The verified client certificate of the control connection (mutual TLS only). */
  peerCertificate(): X509Certificate | undefined;
  /** Ends the session after the replies written so far (QUIT). */
  quit(): void;
  /** Server-side close (admin close, idle timeout, shutdown): 421 with the reason, then close. */
  close(reason: string): Promise<void>;
}

/** One command of the table. */
export interface FtpCommand {
  run(s: FtpSession, arg: string): Promise<void> | void;
  /** Allowed before login. */
  open?: boolean;
  /** Answered 501 when the argument is missing. */
  needsArg?: boolean;
}

/** A group of commands by verb. */
export type CommandGroup = Readonly<Record<string, FtpCommand>>;

/** Thrown by helpers that already sent the reply (nothing more to send). */
export class Replied extends Error {
  constructor() {
    super('reply already sent');
  }
}

/** Answers 502 for a command turned off in the config, with the key that turns it on. */
export function refuseDisabled(s: FtpSession, text: string): never {
  s.reply(Reply.NotImplemented, `not supported: ${text}`);
  throw new Replied();
}
