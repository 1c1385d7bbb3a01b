/**
 * Quota scans (INVENTORY §4.6): walk the user's home plus the folders included in the user quota
 * (or a folder's root) through the Fs port and store the totals with reset. At most one scan per
 * user and one per folder at a time (Conflict otherwise).
 */
import type { Logger } from 'pino';
import type { BaseVirtualFolder, User } from '../../dataprovider/models.js';
import type { DataProvider } from '../../dataprovider/types.js';
import { storedSize, type Fs } from '../../vfs/types.js';
import type { FsRegistry } from '../../vfs/registry.js';
import { conflict, permissionDenied } from '../../util/errors.js';
import type { QuotaScanRegistry, QuotaScanStatus } from '../types.js';
import { backendConfig, VirtualFs } from '../vfolders.js';

type Progress = (files: number, bytes: number) => void;
interface Totals { files: number; size: number }

/** Counts regular files and their bytes below `dir` (symlinks are not counted). */
export async function walkFs(fs: Fs, dir: string, totals: Totals, onProgress?: Progress): Promise<void> {
  for await (const entry of fs.list(dir)) {
    const p = dir === '/' ? `/${entry.name}` : `${dir}/${entry.name}`;
    if (entry.type === 'dir') await walkFs(fs, p, totals, onProgress);
    else if (entry.type === 'file') {
      totals.files++;
      totals.size += storedSize(entry);
      onProgress?.(totals.files, totals.size);
    }
  }
}

/** A folder mapping counts toward the user quota when both its limits are -1. */
function includedInUserQuota(f: { quota_size?: number; quota_files?: number }): boolean {
  return f.quota_size === -1 && f.quota_files === -1;
}

export interface QuotaScanDeps {
  provider: DataProvider;
  fsRegistry: FsRegistry;
  logger: Logger;
  /** data_provider.track_quota: 0 disables scans. */
  trackQuota: number;
  tempPath?: string;
  /** Called before absolute values are stored, so buffered (delayed) changes are dropped first. */
  onReset?: (kind: 'user' | 'folder', name: string) => void;
}

export class QuotaScans implements QuotaScanRegistry {
  private readonly users = new Map<string, number>();
  private readonly folders = new Map<string, number>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly deps: QuotaScanDeps) {}

  private claim(map: Map<string, number>, name: string, what: string): () => void {
    if (this.deps.trackQuota === 0) throw permissionDenied('quota tracking is disabled');
    if (map.has(name)) throw conflict(`another quota scan is already in progress for ${what} ${JSON.stringify(name)}`);
    map.set(name, Date.now());
    return () => map.delete(name);
  }

  async startUserScan(username: string): Promise<void> {
    const user = await this.deps.provider.users.get(username);
    const release = this.claim(this.users, username, 'user');
    this.background(this.scanUser(user).finally(release), `user ${username}`);
  }

  async startFolderScan(name: string): Promise<void> {
    const folder = await this.deps.provider.folders.get(name);
    const release = this.claim(this.folders, name, 'folder');
    this.background(this.scanFolder(folder).finally(release), `folder ${name}`);
  }

  private background(p: Promise<unknown>, what: string): void {
    const tracked = p.catch((err: unknown) => this.deps.logger.warn({ sender: 'quota_scan', err }, `quota scan for ${what} failed`));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  listUserScans(): QuotaScanStatus[] {
    return [...this.users].map(([name, start_time]) => ({ name, start_time }));
  }

  listFolderScans(): QuotaScanStatus[] {
    return [...this.folders].map(([name, start_time]) => ({ name, start_time }));
  }

  async scanUserNow(username: string, onProgress?: Progress): Promise<Totals> {
    const user = await this.deps.provider.users.get(username);
    const release = this.claim(this.users, username, 'user');
    try {
      return await this.scanUser(user, onProgress);
    } finally {
      release();
    }
  }

  async scanFolderNow(name: string, onProgress?: Progress): Promise<Totals> {
    const folder = await this.deps.provider.folders.get(name);
    const release = this.claim(this.folders, name, 'folder');
    try {
      return await this.scanFolder(folder, onProgress);
    } finally {
      release();
    }
  }

  private async scanUser(user: User, onProgress?: Progress): Promise<Totals> {
    const vfs = new VirtualFs(user, this.deps.fsRegistry, this.deps.tempPath);
    const totals = { files: 0, size: 0 };
    try {
      for (const mount of vfs.mounts) {
        if (mount.folder && !includedInUserQuota(mount.folder)) continue;
        await walkFs(await vfs.fsOf(mount), '/', totals, onProgress);
      }
    } finally {
      await vfs.close();
    }
    this.deps.onReset?.('user', user.username);
    await this.deps.provider.users.updateQuota(user.username, totals.size, totals.files, true);
    this.deps.logger.info({ sender: 'quota_scan', username: user.username, ...totals }, 'user quota scan completed');
    return totals;
  }

  private async scanFolder(folder: BaseVirtualFolder, onProgress?: Progress): Promise<Totals> {
    const fsc = folder.filesystem ?? { provider: 0 };
    const fs = await this.deps.fsRegistry.create(fsc.provider, { root: folder.mapped_path ?? '', config: backendConfig(fsc), tempPath: this.deps.tempPath });
    const totals = { files: 0, size: 0 };
    try {
      await walkFs(fs, '/', totals, onProgress);
    } finally {
      await fs.close();
    }
    this.deps.onReset?.('folder', folder.name);
    await this.deps.provider.folders.updateQuota(folder.name, totals.size, totals.files, true);
    this.deps.logger.info({ sender: 'quota_scan', folder: folder.name, ...totals }, 'folder quota scan completed');
    return totals;
  }

  /** Waits for background scans (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }
}
