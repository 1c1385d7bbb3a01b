/**
 * Quota (INVENTORY §4.6). One tracker per node (owned by the connection registry) mirrors the used
 * quota of each user and folder and holds what running uploads have reserved. Reservations are
 * taken synchronously before a write is issued, so concurrent uploads of one user cannot together
 * overshoot a limit: the check and the reservation happen in one turn of the event loop.
 * With `data_provider.delayed_quota_update` > 0 the changes are kept in memory and written to the
 * provider every N seconds (and at shutdown); reads add what is still pending, as SFTPGo does.
 */
import type { DataProvider } from '../dataprovider/types.js';
import type { User, VirtualFolder } from '../dataprovider/models.js';
import { quotaExceeded } from '../util/errors.js';

/** Who is charged: a user or a folder. */
export interface QuotaOwner {
  kind: 'user' | 'folder';
  name: string;
  /** 0 = unlimited. */
  maxSize: number;
  maxFiles: number;
}

interface Entry {
  usedSize: number;
  usedFiles: number;
  reservedSize: number;
  reservedFiles: number;
  /** Provider updates in flight: a refresh would read a stale value. */
  pending: number;
  /** delayed_quota_update: changes not written to the provider yet. */
  deltaSize: number;
  deltaFiles: number;
}

/** How the tracker writes to the provider. */
export interface QuotaTrackerOptions {
  /** data_provider.delayed_quota_update in seconds; 0 writes every change at once. */
  delaySeconds?: number;
  /** Reports a delayed write that failed (it is retried at the next flush). */
  onError?: (err: unknown, owner: string) => void;
}

/** A reservation held by one upload; `size`/`files` are what it currently holds. */
export interface Reservation {
  owners: QuotaOwner[];
  size: number;
  files: number;
}

/** track_quota (0 off, 1 always, 2 only users with limits; folders always). */
export class QuotaTracker {
  private readonly entries = new Map<string, Entry>();
  private readonly owners = new Map<string, QuotaOwner>();
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly provider: DataProvider, readonly trackQuota: number, private readonly opts: QuotaTrackerOptions = {}) {
    const delay = opts.delaySeconds ?? 0;
    if (delay > 0 && trackQuota !== 0) {
      this.timer = setInterval(() => void this.flush(), delay * 1000);
      this.timer.unref();
    }
  }

  /** True when changes are buffered (delayed_quota_update). */
  get delayed(): boolean {
    return this.timer !== undefined;
  }

  /** Owners charged for a write under `folder` (undefined = the home). */
  ownersFor(user: User, folder?: VirtualFolder): QuotaOwner[] {
    if (this.trackQuota === 0) return [];
    const userOwner: QuotaOwner = { kind: 'user', name: user.username, maxSize: user.quota_size ?? 0, maxFiles: user.quota_files ?? 0 };
    const userTracked = this.trackQuota === 1 || userOwner.maxSize > 0 || userOwner.maxFiles > 0;
    if (!folder) return userTracked ? [userOwner] : [];
    const included = folder.quota_size === -1 && folder.quota_files === -1;
    const folderOwner: QuotaOwner = {
      kind: 'folder', name: folder.name,
      maxSize: included ? 0 : (folder.quota_size ?? 0), maxFiles: included ? 0 : (folder.quota_files ?? 0),
    };
    return included && userTracked ? [folderOwner, userOwner] : [folderOwner];
  }

  /**
   * Reloads used values from the provider (skipped while this node has updates in flight). Only
   * owners with a limit are read: nothing checks the usage of the others, and a provider query per
   * opened file would be wasted on them (their changes are sent as deltas).
   */
  async refresh(owners: QuotaOwner[]): Promise<void> {
    for (const o of owners) {
      if (o.maxSize <= 0 && o.maxFiles <= 0) continue;
      const e = this.entry(o);
      if (e.pending > 0) continue;
      const used = o.kind === 'user' ? await this.provider.users.getUsedQuota(o.name) : await this.provider.folders.getUsedQuota(o.name);
      if (e.pending > 0) continue;
      e.usedSize = used.usedSize + e.deltaSize;
      e.usedFiles = used.usedFiles + e.deltaFiles;
    }
  }

  /** Bytes still writable for these owners (Infinity when unlimited). */
  remaining(owners: QuotaOwner[]): number {
    let min = Infinity;
    for (const o of owners) {
      if (o.maxSize <= 0) continue;
      const e = this.entry(o);
      min = Math.min(min, o.maxSize - e.usedSize - e.reservedSize);
    }
    return Math.max(0, min);
  }

  /** Throws QuotaExceeded when any limit is reached (used >= limit), for `newFile` also the files limit. */
  checkOpen(owners: QuotaOwner[], newFile: boolean): void {
    for (const o of owners) {
      const e = this.entry(o);
      if (o.maxSize > 0 && e.usedSize + e.reservedSize >= o.maxSize) throw quotaExceeded();
      if (newFile && o.maxFiles > 0 && e.usedFiles + e.reservedFiles >= o.maxFiles) throw quotaExceeded();
    }
  }

  /** Starts a reservation; a new file reserves one file slot at once. */
  reserve(owners: QuotaOwner[], newFile: boolean): Reservation {
    this.checkOpen(owners, newFile);
    const r: Reservation = { owners, size: 0, files: newFile ? 1 : 0 };
    for (const o of owners) this.entry(o).reservedFiles += r.files;
    return r;
  }

  /** Grows or shrinks a reservation to `size` bytes; growth beyond a limit throws QuotaExceeded. */
  resize(r: Reservation, size: number): void {
    const delta = size - r.size;
    if (delta > 0) {
      for (const o of r.owners) {
        const e = this.entry(o);
        if (o.maxSize > 0 && e.usedSize + e.reservedSize + delta > o.maxSize) throw quotaExceeded();
      }
    }
    for (const o of r.owners) this.entry(o).reservedSize += delta;
    r.size = size;
  }

  /**
   * Gives a reservation back at once, synchronously (an upload refused for quota: its bytes will be
   * discarded, and racing uploads must see the room now, not after the cleanup).
   */
  release(r: Reservation): void {
    for (const o of r.owners) {
      const e = this.entry(o);
      e.reservedSize -= r.size;
      e.reservedFiles -= r.files;
    }
    r.size = 0;
    r.files = 0;
  }

  /** Releases a reservation and records the final change (also in the provider). */
  async settle(r: Reservation, sizeDelta: number, filesDelta: number): Promise<void> {
    this.release(r);
    await this.update(r.owners, sizeDelta, filesDelta);
  }

  /** Records a change outside uploads (delete, rename, truncate). */
  async update(owners: QuotaOwner[], sizeDelta: number, filesDelta: number): Promise<void> {
    if (sizeDelta === 0 && filesDelta === 0) return;
    await Promise.all(owners.map(async (o) => {
      const e = this.entry(o);
      e.usedSize += sizeDelta;
      e.usedFiles += filesDelta;
      if (this.delayed) {
        e.deltaSize += sizeDelta;
        e.deltaFiles += filesDelta;
        return;
      }
      await this.write(o, e, sizeDelta, filesDelta);
    }));
  }

  /** Writes every buffered change to the provider (timer, shutdown); a failed write stays buffered. */
  async flush(): Promise<void> {
    await Promise.all([...this.entries].map(async ([key, e]) => {
      const size = e.deltaSize;
      const files = e.deltaFiles;
      if (size === 0 && files === 0) return;
      e.deltaSize = 0;
      e.deltaFiles = 0;
      try {
        await this.write(this.owners.get(key)!, e, size, files);
      } catch (err) {
        e.deltaSize += size;
        e.deltaFiles += files;
        this.opts.onError?.(err, key);
      }
    }));
  }

  /**
   * Forgets buffered changes of an owner whose usage is being set to absolute values (quota scan,
   * REST quota reset), as SFTPGo's reset does; the next refresh reads the provider again.
   */
  resetPending(kind: QuotaOwner['kind'], name: string): void {
    const e = this.entries.get(`${kind}:${name}`);
    if (!e) return;
    e.deltaSize = 0;
    e.deltaFiles = 0;
  }

  /** Stops the flush timer and writes what is buffered. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async write(o: QuotaOwner, e: Entry, sizeDelta: number, filesDelta: number): Promise<void> {
    e.pending++;
    try {
      if (o.kind === 'user') await this.provider.users.updateQuota(o.name, sizeDelta, filesDelta, false);
      else await this.provider.folders.updateQuota(o.name, sizeDelta, filesDelta, false);
    } finally {
      e.pending--;
    }
  }

  /** Used values as this node sees them (tests, statvfs). */
  used(o: QuotaOwner): { size: number; files: number } {
    const e = this.entry(o);
    return { size: e.usedSize + e.reservedSize, files: e.usedFiles + e.reservedFiles };
  }

  private entry(o: QuotaOwner): Entry {
    const key = `${o.kind}:${o.name}`;
    let e = this.entries.get(key);
    if (!e) {
      e = { usedSize: 0, usedFiles: 0, reservedSize: 0, reservedFiles: 0, pending: 0, deltaSize: 0, deltaFiles: 0 };
      this.entries.set(key, e);
    }
    this.owners.set(key, o);
    return e;
  }
}
