/**
 * The core's contract with the protocols. A protocol adapter only ever:
 *  1. asks `ConnectionGate.accept()` when a TCP client (or an HTTP/WebDAV request) arrives,
 *  2. logs the user in through `AuthService.login()`,
 *  3. opens a `Connection` in the registry and translates its library's callbacks into calls on it,
 *  4. maps thrown `SftpGoError` kinds to its own status codes in one module.
 * Every rule (permissions, patterns, quota, virtual folders, hooks, bandwidth) lives behind these calls.
 */
import type { Logger } from 'pino';
import type { ConnectionProtocol, ConnectionStatus, LoginMethod, SupportedProtocol, User } from '../dataprovider/models.js';
import type { FileInfo, ObjectStoreMetrics, SetStatAttrs, StatFs } from '../vfs/types.js';

/** Who is on the other end of a socket. */
export interface RemoteInfo {
  /** Client IP (after PROXY protocol / trusted proxy headers). */
  ip: string;
  port: number;
  /** Local address/port the client reached (for PASV replies, status). */
  localIp?: string;
  localPort?: number;
}

/** Credentials presented by a client. A login may combine steps (publickey then password). */
export type Credentials =
  | { method: 'password'; password: string }
  /**
   * `publicKey`: OpenSSH authorized_keys line or wire blob; the protocol verified the signature
   * already. `certificate`: a user certificate the protocol checked against the trusted CAs.
   */
  | { method: 'publickey'; publicKey: string | Buffer; certificate?: Buffer }
  | { method: 'keyboard-interactive'; answers: KeyboardInteractiveIO }
  | { method: 'TLSCertificate'; certificate: import('node:crypto').X509Certificate; password?: string }
  /**
   * Second step after a publickey partial success. `certificate`: the key was an SSH user
   * certificate the protocol already checked against the trusted CAs (principal, validity,
   * source-address), so it need not be one of the user's keys.
   */
  | { method: 'publickey+password'; publicKey: string | Buffer; password: string; certificate?: Buffer }
  | { method: 'publickey+keyboard-interactive'; publicKey: string | Buffer; answers: KeyboardInteractiveIO; certificate?: Buffer };

/** Lets the keyboard-interactive hook ask questions through the protocol. */
export interface KeyboardInteractiveIO {
  prompt(instruction: string, questions: { prompt: string; echo: boolean }[]): Promise<string[]>;
}

export interface LoginRequest {
  protocol: ConnectionProtocol;
  username: string;
  credentials: Credentials;
  remote: RemoteInfo;
}

export interface LoginResult {
  user: User;
  loginMethod: LoginMethod;
}

export interface AcceptOptions {
  /**
   * Run the post-connect hook (default true). SFTPGo's HTTP server admits every request without it
   * and runs the hook only on user logins (web client form, user token), see `postConnect`.
   */
  postConnect?: boolean;
}

/** Pre-auth checks for a new TCP client: ban, connection limits, rate limit, post-connect hook. */
export interface ConnectionGate {
  /**
   * Admits a client or throws (PermissionDenied when banned or refused by the post-connect hook,
   * Unavailable when over the connection limits, RateLimitedError when a rate limiter refuses).
   * The returned release function must be called once when the socket closes.
   */
  accept(ip: string, protocol: SupportedProtocol, opts?: AcceptOptions): Promise<() => void>;
  /** The post-connect hook alone; throws PermissionDenied when it rejects the client. */
  postConnect(ip: string, protocol: SupportedProtocol): Promise<void>;
}

export interface AuthService {
  /**
   * Runs the whole login pipeline (defender, rate limit, external auth / pre-login hooks, lookup,
   * status/expiration, credential check, protocol/method/IP filters, max_sessions, fs root checks,
   * last_login, post-login hook, metrics). Throws AuthFailed with a client-safe message.
   */
  login(req: LoginRequest): Promise<LoginResult>;
  /**
   * For SSH publickey: true when the key belongs to the user and the user is allowed to use it.
   * Used to answer the "is this key acceptable" query before the signature arrives; does not log in.
   */
  checkPublicKey(protocol: ConnectionProtocol, username: string, publicKey: string | Buffer, remote: RemoteInfo): Promise<boolean>;
  /**
   * For FTP client certificates: true when the user exists, is enabled, has `tls_username`
   * CommonName matching the (already verified) certificate and may use the `TLSCertificate` method,
   * so the login can happen at USER time without a password. Does not log in, records nothing.
   */
  checkTlsCertificate(protocol: ConnectionProtocol, username: string, certificate: import('node:crypto').X509Certificate, remote: RemoteInfo): Promise<boolean>;
  /** True when every SSH method allowed for the user is multi-step (partial success needed after the key). */
  requiresSecondFactor(user: User): { password: boolean; keyboardInteractive: boolean } | null;
  /**
   * SSH multi-step logins, once a key's signature is verified: null when the key alone may log in
   * (call `login` with `publickey`), else the second factors allowed — answer partial success and
   * finish with `publickey+password` or `publickey+keyboard-interactive`. Null too when the key is not
   * the user's (the `login` call then fails and is scored). Optional so that test doubles need not
   * implement it; the core's AuthService always does.
   */
  secondFactorFor?(protocol: ConnectionProtocol, username: string, publicKey: string | Buffer, remote: RemoteInfo):
    Promise<{ password: boolean; keyboardInteractive: boolean } | null>;
  /** Record a connection closed without any auth attempt (no_auth_tryed). */
  noAuthAttempt(protocol: ConnectionProtocol, remote: RemoteInfo): void;
  /**
   * A session whose user was authenticated outside SFTPGo (`startsubsys` under OpenSSH sshd):
   * the provider user must exist; status, expiration, home and protocol rules apply and the fs
   * roots are created, but no credential is checked and no hook resolves the user.
   */
  loginAuthenticated(protocol: ConnectionProtocol, username: string): Promise<User>;
}

/** A real local directory prepared for a system command (INVENTORY §3.2). */
export interface SystemCommandTarget {
  /** Real path substituted for the command's last argument. */
  hostPath: string;
  /** `create_symlinks` granted (rsync then gets --safe-links, else --munge-links). */
  canSymlink: boolean;
  /** Bytes the client may still send (remaining quota); Infinity when unlimited. */
  maxInputBytes: number;
  /** Owner to run the process as when the server runs as root (0 = unchanged). */
  uid: number;
  gid: number;
  /** Re-scans the directory and records the quota change; fires `ssh_cmd` when `ok`. */
  finish(command: string, ok: boolean): Promise<void>;
}

/** A file entry seen through a connection: virtual name, already filtered for hidden paths. */
export type VirtualFileInfo = FileInfo;

export interface OpenDownloadOptions {
  offset?: number;
  /** Exclusive end (for HTTP Range); undefined = EOF. */
  end?: number;
  signal?: AbortSignal;
}

export type UploadMode = 'truncate' | 'resume' | 'append';

export interface OpenUploadOptions {
  /** truncate: new content; resume: continue at `offset` (REST/reput); append: writes go to the end (SFTP APPEND, FTP APPE). */
  mode: UploadMode;
  offset?: number;
  /** OS open flags as the client asked (for the pre-upload hook's open_flags). */
  openFlags?: number;
  /** Also allow reads on the handle (SFTP read+write opens). */
  read?: boolean;
  signal?: AbortSignal;
  /** File mode for new files. */
  fileMode?: number;
  /** Size announced by the client (SCP), checked against quota and max size up front. */
  expectedSize?: number;
}

/** A running download: throttled, counted, listed in the connections API. */
export interface DownloadTransfer {
  readonly virtualPath: string;
  /** Size of the file at open time. */
  readonly size: number;
  read(buf: Buffer, position: number): Promise<number>;
  /** Sequential stream from the open offset; counts bytes and throttles. */
  stream(): NodeJS.ReadableStream;
  /** Completes the transfer (metrics, download action). */
  close(): Promise<void>;
  /** Ends with an error (client gone, admin close). */
  abort(reason?: unknown): Promise<void>;
}

/** A running upload: quota and max-size enforced on every write, settled on close. */
export interface UploadTransfer {
  readonly virtualPath: string;
  /** Bytes already in the file when the upload started (resume/append offset). */
  readonly initialSize: number;
  /** Writes at `position`; several buffers are written back to back (no copy where the backend can). */
  write(data: Buffer | readonly Buffer[], position: number): Promise<void>;
  read?(buf: Buffer, position: number): Promise<number>;
  truncate(size: number): Promise<void>;
  /** Flushes written data to stable storage (SFTP fsync@openssh.com); absent when the backend cannot. */
  sync?(): Promise<void>;
  /** Commits: atomic rename, quota update, upload action, metrics. */
  close(): Promise<void>;
  /** Discards per upload_mode (atomic: nothing visible; mode 2 keeps what arrived for resume). */
  abort(reason?: unknown): Promise<void>;
}

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha384' | 'sha512' | 'crc32';

/**
 * Which permission a hash needs. `download` (default): FTP hash commands read the file as a
 * download (`download` on its directory). `list`: SFTPGo's SSH hash commands (md5sum, sha*sum)
 * check only `list` on the path itself, so a user who may list but not download can still
 * verify a file's checksum.
 */
export type HashAccess = 'download' | 'list';

export interface HashOptions {
  range?: { start: number; end?: number };
  access?: HashAccess;
}

/**
 * One logged-in session (an SFTP channel, an FTP control connection, a WebDAV request, an HTTP
 * user-API request). Every path argument is a virtual path as the client sent it; the
 * connection cleans it, resolves virtual folders and applies every rule.
 */
export interface Connection {
  readonly id: string;
  readonly protocol: ConnectionProtocol;
  readonly user: User;
  readonly remote: RemoteInfo;
  clientVersion: string;
  readonly connectedAt: number;
  /** Aborted when the connection is closed (admin close, idle timeout, shutdown). */
  readonly signal: AbortSignal;
  /** Logger with SFTPGo's connection fields bound once: sender and protocol, connection_id. */
  readonly logger: Logger;

  /** Record the last command (shown in the connections API) and refresh idle time. */
  setCommand(command: string): void;
  /** Refresh idle time without changing the command. */
  touch(): void;

  stat(vpath: string): Promise<VirtualFileInfo>;
  lstat(vpath: string): Promise<VirtualFileInfo>;
  /** Streams a directory listing (virtual folders injected as dirs). Needs `list`. */
  list(vpath: string): AsyncIterable<VirtualFileInfo>;
  mkdir(vpath: string): Promise<void>;
  remove(vpath: string): Promise<void>;
  rmdir(vpath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  symlink(target: string, linkPath: string): Promise<void>;
  readlink(vpath: string): Promise<string>;
  /** Hard link (SFTP hardlink@openssh.com), when the backend has a local path. */
  link(existing: string, newPath: string): Promise<void>;
  setStat(vpath: string, attrs: SetStatAttrs): Promise<void>;
  statfs(vpath: string): Promise<StatFs>;
  openDownload(vpath: string, opts?: OpenDownloadOptions): Promise<DownloadTransfer>;
  openUpload(vpath: string, opts: OpenUploadOptions): Promise<UploadTransfer>;
  /**
   * Hash of a file or a byte range (SSH hash commands, FTP HASH/XMD5...). File patterns always
   * apply; the permission checked is `opts.access` (see HashAccess).
   */
  hashFile(vpath: string, algo: HashAlgorithm, opts?: HashOptions): Promise<string>;
  /** Available bytes for uploads (FTP AVBL): min(max upload size, remaining quota) or free space. */
  availableSpace(vpath: string): Promise<number>;
  /** Server-side recursive copy (SSH `sftpgo-copy`): local storage, `dst` must not exist, quota checked first. */
  copy(src: string, dst: string): Promise<void>;
  /** Recursive delete (SSH `sftpgo-remove`) with the quota update. */
  removeAll(vpath: string): Promise<void>;
  /** Checks and prepares a local directory for a system command (git, rsync); see SystemCommandTarget. */
  systemCommandTarget(vpath: string): Promise<SystemCommandTarget>;
  /**
   * A command that succeeded on `vpath` (and `target` for copies): writes its SSHCommand log line
   * and fires the `ssh_cmd` action. `vpath` undefined: a command without a path (cd, pwd, a hash of
   * stdin), logged and notified with an empty path as SFTPGo does.
   */
  commandAction(command: string, vpath: string | undefined, target?: string): Promise<void>;

  /** Ends the session: aborts transfers, leaves the registry. Idempotent. */
  close(reason?: string): Promise<void>;
  /** Status for the connections API. */
  status(): ConnectionStatus;
}

export interface OpenConnectionRequest {
  protocol: ConnectionProtocol;
  user: User;
  remote: RemoteInfo;
  clientVersion?: string;
  /** Protocol-specific id part (e.g. SSH session id + channel number); a unique id is generated when absent. */
  idHint?: string;
  /** Called by the registry to close the protocol side (admin close, idle timeout). */
  onClose?: (reason: string) => void;
  /** The session is busy (an FTP data transfer in progress...) even without a core transfer. */
  isBusy?: () => boolean;
}

/** Live connections on this node. An instance, never a global. */
export interface ConnectionRegistry {
  /** Checks max_sessions and opens the connection (rules applied from here on). */
  open(req: OpenConnectionRequest): Promise<Connection>;
  list(): ConnectionStatus[];
  get(id: string): Connection | undefined;
  /** Admin close; false when no such id. */
  close(id: string): Promise<boolean>;
  /** Closes every connection of a user (user update with disconnect=1, delete). */
  closeUser(username: string): Promise<number>;
  /**
   * The used quota of a user or folder was set to absolute values from outside the transfers (REST
   * quota reset): forget what this node buffered for it (delayed_quota_update), so the buffered
   * changes are not written on top of the new values.
   */
  quotaReset(kind: 'user' | 'folder', name: string): void;
  countUser(username: string): number;
  /** Waits up to `graceMs` for active transfers, then closes everything. */
  shutdown(graceMs: number): Promise<void>;
}

/** In-memory per-node defender (INVENTORY §4.13). */
export interface DefenderEntry {
  id: string;
  ip: string;
  score?: number;
  /** Ban expiry; undefined when only scored. */
  banTime?: Date;
}

export type DefenderEvent = 'login_failed' | 'no_login_tried' | 'user_not_found' | 'limit_exceeded';

export interface Defender {
  readonly enabled: boolean;
  /**
   * True when `ip` is banned. A connection attempt from a banned host extends its ban (§4.13):
   * callers that only re-check an already admitted client pass `{ extend: false }`.
   */
  isBanned(ip: string, opts?: { extend?: boolean }): boolean;
  addEvent(ip: string, event: DefenderEvent): void;
  list(): DefenderEntry[];
  /** Entry by id (hex of the IP) or undefined. */
  get(id: string): DefenderEntry | undefined;
  /** Removes ban and score; false when unknown. */
  unban(ip: string): boolean;
  score(ip: string): number;
  banTime(ip: string): Date | undefined;
  /** SIGHUP: reload safelist/blocklist files. */
  reload(): Promise<void>;
}

export interface QuotaScanStatus {
  /** Username or folder name. */
  name: string;
  start_time: number;
}

/** Background quota scans, at most one per user and one per folder. */
export interface QuotaScanRegistry {
  /** Starts a scan; throws Conflict when one is already running for that user. Resolves when the scan is started. */
  startUserScan(username: string): Promise<void>;
  startFolderScan(name: string): Promise<void>;
  listUserScans(): QuotaScanStatus[];
  listFolderScans(): QuotaScanStatus[];
  /** Runs a user scan to completion (CLI `quota scan`); onProgress gets files/bytes counted so far. */
  scanUserNow(username: string, onProgress?: (files: number, bytes: number) => void): Promise<{ files: number; size: number }>;
  scanFolderNow(name: string, onProgress?: (files: number, bytes: number) => void): Promise<{ files: number; size: number }>;
}

/** Counters the core reports (and object stores, through the Fs registry); telemetry implements it with prom-client, tests with a recorder. */
export interface Metrics extends ObjectStoreMetrics {
  transferCompleted(kind: 'upload' | 'download', bytes: number, ok: boolean): void;
  sshCommand(ok: boolean): void;
  loginAttempt(method: LoginMethod | 'no_auth'): void;
  loginResult(method: LoginMethod | 'no_auth', ok: boolean): void;
  connectionsChanged(active: number): void;
  providerAvailability(ok: boolean): void;
  httpRequest(status: number): void;
}

export const noopMetrics: Metrics = {
  transferCompleted() {},
  sshCommand() {},
  loginAttempt() {},
  loginResult() {},
  connectionsChanged() {},
  providerAvailability() {},
  httpRequest() {},
  objectStoreCall() {},
};

/** Custom-action event names the core raises (INVENTORY §5). */
export type PreActionEvent = 'pre-upload' | 'pre-download' | 'pre-delete';
export type PostActionEvent = 'upload' | 'download' | 'delete' | 'rename' | 'ssh_cmd';

/** Fields of a custom action (INVENTORY §5 custom actions), named as the HTTP JSON body. */
export interface ActionInfo {
  action: PreActionEvent | PostActionEvent;
  username: string;
  /** Real filesystem path (or object key for cloud backends). */
  path: string;
  target_path?: string;
  ssh_cmd?: string;
  file_size?: number;
  fs_provider: number;
  bucket?: string;
  endpoint?: string;
  /** 1 ok, 0 generic error, 2 quota exceeded. */
  status: 0 | 1 | 2;
  protocol: ConnectionProtocol;
  open_flags?: number;
}

/** Runs `common.actions` hooks. The connection calls it; the hooks module implements it. */
export interface ActionHooks {
  /** False when no hook runs for `event`: callers then skip building its ActionInfo (real paths cost a realpath). */
  wants?(event: PreActionEvent | PostActionEvent): boolean;
  /**
   * Synchronous pre-action. Throws PermissionDenied to veto. For `pre-delete`, resolving
   * 'handled' means the hook deleted the file itself: the core must not delete it nor fire `delete`;
   * a rejection of `pre-delete` is no veto: it means "not handled" and the core deletes (SFTPGo §5).
   */
  pre(event: PreActionEvent, info: ActionInfo): Promise<void | 'handled'>;
  /**
   * Post-action: never throws/rejects. For events listed in `execute_sync` it returns a promise that
   * resolves when the hook finished (await it before replying to the client); otherwise fire and forget.
   */
  post(event: PostActionEvent, info: ActionInfo): void | Promise<void>;
}
