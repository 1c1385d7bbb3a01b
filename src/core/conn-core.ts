/** What the connection's helpers (open, transfers, rename, setstat) share. */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { TransferStatus, User } from '../dataprovider/models.js';
import type { Fs } from '../vfs/types.js';
import type { ActionHooks, ActionInfo, Metrics, PostActionEvent, PreActionEvent } from './types.js';
import type { ConnectionProtocol } from '../dataprovider/models.js';
import type { FileFilters } from './filters.js';
import type { OpLog } from './oplog.js';
import type { Permissions } from './permissions.js';
import type { QuotaTracker } from './quota.js';
import type { ThrottleClock } from './throttle.js';
import type { Resolved, VirtualFs } from './vfolders.js';

/** Where a running upload writes now: the target, or its atomic temp file. */
export interface UploadTarget {
  virtualPath: string;
  fs: Fs;
  path: string;
  /** Truncates the open file (quota and limits applied). */
  truncate(size: number): Promise<void>;
}

/** A running transfer as the connection tracks it. */
export interface ActiveTransfer {
  status(): TransferStatus;
  abort(reason?: unknown): Promise<void>;
  /** Set on uploads: stat/setstat/truncate by path reach the file being written (SFTPGo's getRealFsPath). */
  readonly writing?: UploadTarget;
}

/** The running upload of `vpath` on this connection, if any. */
export function activeUpload(c: ConnCore, vpath: string): UploadTarget | undefined {
  for (const t of c.transfers) if (t.writing?.virtualPath === vpath) return t.writing;
  return undefined;
}

/** The state of one connection, passed to its helpers. */
export interface ConnCore {
  readonly id: string;
  readonly protocol: ConnectionProtocol;
  readonly user: User;
  readonly signal: AbortSignal;
  readonly config: Config;
  readonly logger: Logger;
  /** SFTPGo's transfer and command log lines of this connection. */
  readonly oplog: OpLog;
  readonly metrics: Metrics;
  readonly hooks?: ActionHooks;
  readonly perms: Permissions;
  readonly filters: FileFilters;
  readonly vfs: VirtualFs;
  readonly quota: QuotaTracker;
  readonly transfers: Set<ActiveTransfer>;
  /** Clock of the bandwidth throttles (tests inject one; the wall clock otherwise). */
  readonly clock?: ThrottleClock;
  touch(): void;
}

/** Fields of a custom action for a resolved path. */
export async function actionInfo(
  c: ConnCore, action: PreActionEvent | PostActionEvent, res: Resolved, extra: Partial<ActionInfo> = {},
): Promise<ActionInfo> {
  const fsc = res.mount.filesystem;
  // The real path is only worth its realpath when a hook will read it.
  const wanted = c.hooks?.wants?.(action) ?? true;
  const path = wanted && res.fs.localPath ? await res.fs.localPath(res.fsPath).catch(() => res.fsPath) : res.fsPath;
  const info: ActionInfo = {
    action, username: c.user.username, path, fs_provider: fsc.provider, status: 1, protocol: c.protocol, ...extra,
  };
  const bucket = fsc.s3config?.bucket ?? fsc.gcsconfig?.bucket ?? fsc.azblobconfig?.container;
  const endpoint = fsc.s3config?.endpoint ?? fsc.sftpconfig?.endpoint ?? fsc.azblobconfig?.endpoint;
  if (bucket) info.bucket = bucket;
  if (endpoint) info.endpoint = endpoint;
  return info;
}

/**
 * Runs a post action. Resolves when the hook is done for `execute_sync` events (the hook returns a
 * promise then); a hook failure is logged, never reported to the client.
 */
export async function firePost(c: ConnCore, event: PostActionEvent, info: Promise<ActionInfo>): Promise<void> {
  if (!c.hooks) return;
  try {
    await c.hooks.post(event, await info);
  } catch (err) {
    c.logger.warn({ err, event }, 'post action failed');
  }
}
