/**
 * A logged-in session: every file operation on a virtual path, with permissions, patterns,
 * virtual folders, quota and hooks applied here once (DESIGN "Connection").
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { ConnectionProtocol, ConnectionStatus, User } from '../dataprovider/models.js';
import { storedSize, type FileInfo, type SetStatAttrs, type StatFs } from '../vfs/types.js';
import type { FsRegistry } from '../vfs/registry.js';
import type {
  ActionHooks, Connection, DownloadTransfer, HashAlgorithm, HashOptions, Metrics, OpenDownloadOptions, OpenUploadOptions,
  RemoteInfo, SystemCommandTarget, UploadTransfer, VirtualFileInfo,
} from './types.js';
import { aborted, failure, notSupported, permissionDenied } from '../util/errors.js';
import { actionInfo, activeUpload, firePost, type ActiveTransfer, type ConnCore } from './conn-core.js';
import { commandActionOp, copyTreeOp, removeTreeOp, systemCommandOp } from './conn-commands.js';
import { FileFilters } from './filters.js';
import { hashResolved, readlinkResolved, symlinkResolved, linkResolved } from './conn-links.js';
import { openDownload, openUpload, runPreDelete } from './open.js';
import { Permissions } from './permissions.js';
import type { QuotaTracker } from './quota.js';
import { nativePathOf, OpLog } from './oplog.js';
import { renameOp } from './conn-rename.js';
import type { ThrottleClock } from './throttle.js';
import { setStatOp, statfsOp, availableSpaceOp } from './conn-setstat.js';
import { VirtualFs } from './vfolders.js';
import { baseOf, cleanVirtualPath, parentOf } from './vpath.js';

/** Everything a connection needs from the node. */
export interface ConnectionInit {
  id: string;
  protocol: ConnectionProtocol;
  user: User;
  remote: RemoteInfo;
  clientVersion: string;
  config: Config;
  /** The connection's logger (protocol and connection_id bound). */
  logger: Logger;
  /** Unbound logger of the transfer and command lines, which carry those fields themselves. */
  opLogger: Logger;
  metrics: Metrics;
  hooks?: ActionHooks;
  fsRegistry: FsRegistry;
  quota: QuotaTracker;
  onClose?: (reason: string) => void;
  isBusy?: () => boolean;
  /** Called once when closed (the registry forgets it). */
  onClosed?: (conn: ConnectionImpl) => void;
  /** Clock of the bandwidth throttles (tests). */
  clock?: ThrottleClock;
}

const mountInfo = (name: string): FileInfo => ({ name, type: 'dir', size: 0, mode: 0o755, mtime: new Date() });

/** "ip:port", IPv6 in brackets (as Go prints a TCP address). */
function hostPort(r: RemoteInfo): string {
  return r.ip.includes(':') ? `[${r.ip}]:${r.port}` : `${r.ip}:${r.port}`;
}

/** The Connection implementation every protocol drives. */
export class ConnectionImpl implements Connection, ConnCore {
  readonly id: string;
  readonly protocol: ConnectionProtocol;
  readonly user: User;
  readonly remote: RemoteInfo;
  clientVersion: string;
  readonly connectedAt = Date.now();
  readonly config: Config;
  readonly logger: Logger;
  readonly oplog: OpLog;
  readonly metrics: Metrics;
  readonly hooks?: ActionHooks;
  readonly perms: Permissions;
  readonly filters: FileFilters;
  readonly vfs: VirtualFs;
  readonly quota: QuotaTracker;
  readonly transfers = new Set<ActiveTransfer>();
  readonly clock?: ThrottleClock;
  lastActivity = Date.now();
  private command = '';
  private closed = false;
  private readonly ac = new AbortController();

  constructor(private readonly init: ConnectionInit) {
    this.id = init.id;
    this.protocol = init.protocol;
    this.user = init.user;
    this.remote = init.remote;
    this.clientVersion = init.clientVersion;
    this.config = init.config;
    this.logger = init.logger;
    this.oplog = new OpLog(init.opLogger, {
      connectionId: init.id, protocol: init.protocol, username: init.user.username, remoteAddr: hostPort(init.remote),
    });
    this.metrics = init.metrics;
    this.hooks = init.hooks;
    this.quota = init.quota;
    this.clock = init.clock;
    this.perms = new Permissions(init.user);
    this.filters = new FileFilters(init.user);
    this.vfs = new VirtualFs(init.user, init.fsRegistry, init.config.common.temp_path || undefined);
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  setCommand(command: string): void {
    this.command = command;
    this.touch();
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  /** True when a transfer runs or the protocol says it is busy (the idle checker spares it). */
  isBusy(): boolean {
    return this.transfers.size > 0 || (this.init.isBusy?.() ?? false);
  }

  async stat(vpath: string): Promise<VirtualFileInfo> {
    return this.statWith(vpath, true);
  }

  async lstat(vpath: string): Promise<VirtualFileInfo> {
    return this.statWith(vpath, false);
  }

  async *list(vpath: string): AsyncIterable<VirtualFileInfo> {
    const v = this.begin(vpath);
    this.perms.require(v, 'list');
    const mounts = new Set(this.vfs.childMounts(v));
    const res = await this.vfs.resolve(v);
    // A real entry named like a mount point is hidden: the mount replaces it (INVENTORY §4.5).
    for await (const e of res.fs.list(res.fsPath, { signal: this.signal })) {
      if (!mounts.has(e.name)) yield e;
    }
    // As SFTPGo, mount points are listed as directories without asking their backends.
    for (const m of mounts) yield mountInfo(m);
  }

  async mkdir(vpath: string): Promise<void> {
    const v = this.begin(vpath);
    this.perms.require(parentOf(v), 'create_dirs');
    if (v === '/' || this.vfs.isMountPoint(v)) throw permissionDenied('cannot create a virtual folder mount point');
    const res = await this.vfs.resolve(v);
    await res.fs.mkdir(res.fsPath, { signal: this.signal });
    this.oplog.command('Mkdir', { filePath: nativePathOf(res) });
  }

  async remove(vpath: string): Promise<void> {
    const v = this.begin(vpath);
    this.perms.require(parentOf(v), 'delete');
    if (v === '/' || this.vfs.isMountPoint(v)) throw permissionDenied('cannot remove a virtual folder');
    if (!this.filters.isAllowed(v)) throw permissionDenied('file name not allowed by pattern filters');
    const res = await this.vfs.resolve(v);
    const info = await res.fs.lstat(res.fsPath, { signal: this.signal });
    if (info.type === 'dir') throw failure(`cannot remove a directory with remove: ${baseOf(v)}`);
    const size = storedSize(info);
    const handled = await runPreDelete(this, res, size);
    if (!handled) await res.fs.remove(res.fsPath, { signal: this.signal });
    // Quota is given back in both cases: a handled file is gone as far as the user is concerned.
    if (info.type !== 'symlink') {
      await this.quota.update(this.quota.ownersFor(this.user, res.mount.folder), -size, -1);
    }
    // Logged as SFTPGo does, also when the pre-delete hook handled the file.
    this.oplog.command('Remove', { filePath: nativePathOf(res) });
    if (!handled) await firePost(this, 'delete', actionInfo(this, 'delete', res, { file_size: size }));
  }

  async rmdir(vpath: string): Promise<void> {
    const v = this.begin(vpath);
    this.perms.require(parentOf(v), 'delete');
    if (v === '/' || this.vfs.isMountPoint(v)) throw permissionDenied('cannot remove the root or a virtual folder');
    if (this.vfs.hasMountsBelow(v)) throw notSupported('directory contains virtual folders');
    const res = await this.vfs.resolve(v);
    const info = await res.fs.lstat(res.fsPath, { signal: this.signal });
    if (info.type !== 'dir') throw failure(`not a directory: ${baseOf(v)}`);
    await res.fs.rmdir(res.fsPath, { signal: this.signal });
    this.oplog.command('Rmdir', { filePath: nativePathOf(res) });
  }

  async rename(from: string, to: string): Promise<void> {
    const src = this.begin(from);
    await renameOp(this, src, cleanVirtualPath(to));
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    const link = this.begin(linkPath);
    const t = cleanVirtualPath(target.startsWith('/') ? target : `${parentOf(link)}/${target}`);
    await symlinkResolved(this, t, link);
  }

  async readlink(vpath: string): Promise<string> {
    return readlinkResolved(this, this.begin(vpath));
  }

  async link(existing: string, newPath: string): Promise<void> {
    await linkResolved(this, this.begin(existing), cleanVirtualPath(newPath));
  }

  async setStat(vpath: string, attrs: SetStatAttrs): Promise<void> {
    await setStatOp(this, this.begin(vpath), attrs);
  }

  async statfs(vpath: string): Promise<StatFs> {
    return statfsOp(this, this.begin(vpath));
  }

  async openDownload(vpath: string, opts?: OpenDownloadOptions): Promise<DownloadTransfer> {
    this.begin(vpath);
    return openDownload(this, vpath, opts);
  }

  async openUpload(vpath: string, opts: OpenUploadOptions): Promise<UploadTransfer> {
    this.begin(vpath);
    return openUpload(this, vpath, opts);
  }

  async hashFile(vpath: string, algo: HashAlgorithm, opts?: HashOptions): Promise<string> {
    return hashResolved(this, this.begin(vpath), algo, opts);
  }

  async availableSpace(vpath: string): Promise<number> {
    return availableSpaceOp(this, this.begin(vpath));
  }

  async copy(src: string, dst: string): Promise<void> {
    await copyTreeOp(this, this.begin(src), cleanVirtualPath(dst));
  }

  async removeAll(vpath: string): Promise<void> {
    await removeTreeOp(this, this.begin(vpath));
  }

  async systemCommandTarget(vpath: string): Promise<SystemCommandTarget> {
    return systemCommandOp(this, this.begin(vpath));
  }

  async commandAction(command: string, vpath: string | undefined, target?: string): Promise<void> {
    const v = this.begin(vpath ?? '/');
    await commandActionOp(this, command, vpath === undefined ? undefined : v, target === undefined ? undefined : cleanVirtualPath(target));
  }

  async close(reason = 'closed'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ac.abort(aborted(`connection closed: ${reason}`));
    await Promise.all([...this.transfers].map((t) => t.abort(aborted(reason)).catch(() => undefined)));
    await this.vfs.close();
    try {
      this.init.onClose?.(reason);
    } finally {
      this.init.onClosed?.(this);
    }
  }

  status(): ConnectionStatus {
    return {
      username: this.user.username, connection_id: this.id, client_version: this.clientVersion,
      remote_address: hostPort(this.remote), connection_time: this.connectedAt,
      command: this.command, last_activity: this.lastActivity, protocol: this.protocol,
      active_transfers: [...this.transfers].map((t) => t.status()),
    };
  }

  /** Cleans a path, refreshes activity, refuses calls on a closed connection. */
  private begin(vpath: string): string {
    if (this.closed) throw aborted('connection closed');
    this.touch();
    return cleanVirtualPath(vpath);
  }

  private async statWith(vpath: string, follow: boolean): Promise<FileInfo> {
    const v = this.begin(vpath);
    this.perms.require(parentOf(v), 'list');
    if (this.vfs.isMountPoint(v)) return this.mountStat(v, baseOf(v));
    const opts = { signal: this.signal };
    // A file being uploaded is seen as it is being written (its atomic temp file), as SFTPGo does.
    const up = activeUpload(this, v);
    if (up) return { ...(await up.fs.stat(up.path, opts)), name: baseOf(v) };
    const res = await this.vfs.resolve(v);
    const info = follow ? await res.fs.stat(res.fsPath, opts) : await res.fs.lstat(res.fsPath, opts);
    return { ...info, name: baseOf(v) };
  }

  /** Mount points always stat as directories (their root may not exist yet). */
  private async mountStat(v: string, name: string): Promise<FileInfo> {
    const res = await this.vfs.resolve(v);
    const info = await res.fs.stat('/', { signal: this.signal }).catch(() => undefined);
    return info && info.type === 'dir' ? { ...info, name } : mountInfo(name);
  }
}
