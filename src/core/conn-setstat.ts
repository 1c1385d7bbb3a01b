/**
 * SETSTAT (INVENTORY §3.1, §4.8), statvfs and available space for a connection.
 * Only one attribute group is applied per request: perms > uid/gid > times > size.
 */
import type { Permission } from '../dataprovider/models.js';
import type { FsFeatures, SetStatAttrs, StatFs } from '../vfs/types.js';
import { notSupported, permissionDenied, quotaExceeded } from '../util/errors.js';
import { activeUpload, type ConnCore } from './conn-core.js';
import { lstatOrUndefined } from './open.js';
import { goFileMode, nativePathOf } from './oplog.js';
import type { QuotaOwner } from './quota.js';
import type { Resolved } from './vfolders.js';
import { parentOf } from './vpath.js';

interface Group {
  perm: Permission;
  feature: keyof FsFeatures;
  attrs: SetStatAttrs;
}

/** The first attribute group present, in SFTPGo's priority order. */
export function firstGroup(a: SetStatAttrs): Group | undefined {
  if (a.mode !== undefined) return { perm: 'chmod', feature: 'chmod', attrs: { mode: a.mode } };
  if (a.uid !== undefined || a.gid !== undefined) return { perm: 'chown', feature: 'chown', attrs: { uid: a.uid, gid: a.gid } };
  if (a.atime || a.mtime) return { perm: 'chtimes', feature: 'chtimes', attrs: { atime: a.atime, mtime: a.mtime } };
  if (a.size !== undefined) return { perm: 'overwrite', feature: 'truncate', attrs: { size: a.size } };
  return undefined;
}

/** Applies one attribute group to `v` (clean virtual path). */
export async function setStatOp(c: ConnCore, v: string, attrs: SetStatAttrs): Promise<void> {
  const group = firstGroup(attrs);
  if (!group) return;
  const res = await c.vfs.resolve(v);
  // A directory is checked on its parent, a file on itself: the type only needs a lookup when
  // the two places do not both grant the permission.
  const both = c.perms.has(v, group.perm) && c.perms.has(parentOf(v), group.perm);
  if (!both) {
    const info = await lstatOrUndefined(res);
    const permPath = info?.type === 'dir' || c.vfs.isMountPoint(v) || v === '/' ? parentOf(v) : v;
    c.perms.require(permPath, group.perm);
  }
  if (group.attrs.size !== undefined) {
    await truncateOp(c, v, res, group.attrs.size);
    c.oplog.command('Truncate', { filePath: nativePathOf(res), size: group.attrs.size });
    return;
  }
  const mode = c.config.common.setstat_mode;
  if (mode === 1) return;
  if (!res.fs.features[group.feature]) {
    if (mode === 2) return;
    throw notSupported(`${group.perm} is not supported by this storage backend`);
  }
  // During an upload the attributes go to the file being written (its atomic temp file).
  const up = activeUpload(c, v);
  const target = up ? { fs: up.fs, path: up.path } : { fs: res.fs, path: res.fsPath };
  await target.fs.setStat(target.path, group.attrs, { signal: c.signal });
  logSetStat(c, nativePathOf(res), group.attrs);
}

/** The command line of an applied chmod, chown or chtimes (SFTPGo's senders and fields). */
function logSetStat(c: ConnCore, filePath: string, a: SetStatAttrs): void {
  if (a.mode !== undefined) c.oplog.command('Chmod', { filePath, fileMode: goFileMode(a.mode) });
  else if (a.uid !== undefined || a.gid !== undefined) c.oplog.command('Chown', { filePath, uid: a.uid, gid: a.gid });
  else c.oplog.command('Chtimes', { filePath, atime: a.atime, mtime: a.mtime });
}

async function truncateOp(c: ConnCore, v: string, res: Resolved, size: number): Promise<void> {
  if (!c.filters.isAllowed(v)) throw permissionDenied('file name not allowed by pattern filters');
  // A file being uploaded is truncated through its open handle, which keeps its quota reservation.
  const up = activeUpload(c, v);
  if (up) return up.truncate(size);
  const info = await res.fs.stat(res.fsPath, { signal: c.signal });
  if (info.type === 'dir') throw notSupported('cannot truncate a directory');
  if (!res.fs.features.truncate && size !== 0) throw notSupported('truncate is not supported by this storage backend');
  // Truncating bytes shared by hard links would resize every name while only this one is counted.
  if ((info.links ?? 1) > 1) throw notSupported('truncate is not supported on a file with hard links');
  const owners = c.quota.ownersFor(c.user, res.mount.folder);
  const delta = size - info.size;
  if (delta > 0) {
    await c.quota.refresh(owners);
    if (delta > c.quota.remaining(owners)) throw quotaExceeded();
  }
  await res.fs.setStat(res.fsPath, { size }, { signal: c.signal });
  await c.quota.update(owners, delta, 0);
}

/** The owner whose limits shape statvfs and AVBL: the first with a limit. */
function limitedOwner(owners: QuotaOwner[]): QuotaOwner | undefined {
  return owners.find((o) => o.maxSize > 0 || o.maxFiles > 0);
}

/** statvfs: real values, or synthetic ones derived from quota when a limit applies. */
export async function statfsOp(c: ConnCore, v: string): Promise<StatFs> {
  const res = await c.vfs.resolve(v);
  const owners = c.quota.ownersFor(c.user, res.mount.folder);
  const owner = limitedOwner(owners);
  const real = res.fs.features.statfs ? await res.fs.statfs(res.fsPath, { signal: c.signal }) : undefined;
  if (!owner) {
    if (real) return real;
    return synthetic({ maxSize: 0, maxFiles: 0, usedSize: 0, usedFiles: 0 }, undefined);
  }
  await c.quota.refresh(owners);
  const used = c.quota.used(owner);
  return synthetic({ maxSize: owner.maxSize, maxFiles: owner.maxFiles, usedSize: used.size, usedFiles: used.files }, real);
}

interface QuotaView {
  maxSize: number;
  maxFiles: number;
  usedSize: number;
  usedFiles: number;
}

/** Synthetic statvfs (block size 4096 shrunk ÷4 until ≤ quota; unknown limits: real fs or +8 TB / +1M files). */
export function synthetic(q: QuotaView, real: StatFs | undefined): StatFs {
  let maxSize = q.maxSize;
  let maxFiles = q.maxFiles;
  if (maxSize <= 0) maxSize = real ? real.blocks * real.blockSize : q.usedSize + 8 * 1024 ** 4;
  if (maxFiles <= 0) maxFiles = real ? real.files : q.usedFiles + 1_000_000;
  let bsize = 4096;
  while (bsize > maxSize && bsize > 1) bsize = Math.floor(bsize / 4) || 1;
  const hasSpace = q.usedSize < maxSize && q.usedFiles < maxFiles;
  const bfree = hasSpace ? Math.floor(Math.max(0, maxSize - q.usedSize) / bsize) : 0;
  const ffree = hasSpace ? Math.max(0, maxFiles - q.usedFiles) : 0;
  return {
    blockSize: bsize, fragmentSize: bsize, blocks: Math.floor(maxSize / bsize), blocksFree: bfree, blocksAvailable: bfree,
    files: maxFiles, filesFree: ffree, filesAvailable: ffree, nameMax: 255,
  };
}

/** FTP AVBL: min(max upload size, remaining quota), else free space on the backend. */
export async function availableSpaceOp(c: ConnCore, v: string): Promise<number> {
  const res = await c.vfs.resolve(v);
  const owners = c.quota.ownersFor(c.user, res.mount.folder);
  await c.quota.refresh(owners);
  const maxUpload = c.user.filters?.max_upload_file_size ?? 0;
  let avail = c.quota.remaining(owners);
  if (maxUpload > 0) avail = Math.min(avail, maxUpload);
  if (Number.isFinite(avail)) return avail;
  if (!res.fs.features.statfs) return 0;
  const s = await res.fs.statfs(res.fsPath, { signal: c.signal });
  return s.blocksAvailable * s.blockSize;
}
