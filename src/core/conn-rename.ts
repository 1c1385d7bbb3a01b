/**
 * RENAME rules (INVENTORY §4.3): permissions on both parents, no mount points, no directories
 * holding mounts, patterns for files, no overwriting of directories, and cross-folder renames only
 * between local backends, with quota moved between the owners.
 */
import { rename as hostRename } from 'node:fs/promises';
import { storedSize, type FileInfo, type Fs } from '../vfs/types.js';
import type { Permission } from '../dataprovider/models.js';
import { notSupported, permissionDenied, quotaExceeded, toSftpGoError } from '../util/errors.js';
import { actionInfo, firePost, type ConnCore } from './conn-core.js';
import { lstatOrUndefined } from './open.js';
import { nativePathOf } from './oplog.js';
import type { QuotaOwner } from './quota.js';
import type { Resolved } from './vfolders.js';
import { parentOf } from './vpath.js';

function createPerm(info: FileInfo): Permission {
  return info.type === 'dir' ? 'create_dirs' : info.type === 'symlink' ? 'create_symlinks' : 'upload';
}

const renameDenied = (src: string, dst: string) => permissionDenied(
  `permission denied: renaming ${src} to ${dst} needs "rename" in both directories, or "delete" in the source and the create permission in the target`);

/** rename on both parents, or delete on the source parent plus create on the target parent. */
function renameAllowed(c: ConnCore, src: string, dst: string, info: FileInfo): boolean {
  if (c.perms.has(parentOf(src), 'rename') && c.perms.has(parentOf(dst), 'rename')) return true;
  return c.perms.has(parentOf(src), 'delete') && c.perms.has(parentOf(dst), createPerm(info));
}

interface Usage {
  size: number;
  files: number;
}

const NONE: Usage = { size: 0, files: 0 };

/** Size and number of regular files under a path (a file counts itself). */
async function usage(fs: Fs, p: string, info: FileInfo): Promise<Usage> {
  if (info.type === 'file') return { size: storedSize(info), files: 1 };
  if (info.type !== 'dir') return { size: 0, files: 0 };
  let size = 0;
  let files = 0;
  for await (const e of fs.list(p)) {
    const u = await usage(fs, `${p === '/' ? '' : p}/${e.name}`, e);
    size += u.size;
    files += u.files;
  }
  return { size, files };
}

/** True when the directory has no entry (reads at most one). */
async function isEmptyDir(res: Resolved, signal: AbortSignal): Promise<boolean> {
  const it = res.fs.list(res.fsPath, { signal })[Symbol.asyncIterator]();
  try {
    return (await it.next()).done === true;
  } finally {
    await it.return?.();
  }
}

/** Directory renames re-check every sub path when specific permissions are configured below. */
async function checkTree(c: ConnCore, res: Resolved, src: string, dst: string): Promise<void> {
  if (c.perms.dirsBelow(src).length === 0 && c.perms.dirsBelow(dst).length === 0) return;
  const walk = async (fsPath: string, s: string, d: string): Promise<void> => {
    for await (const e of res.fs.list(fsPath)) {
      const ss = `${s}/${e.name}`;
      const dd = `${d}/${e.name}`;
      if (!renameAllowed(c, ss, dd, e)) throw renameDenied(ss, dd);
      if (e.type === 'dir') await walk(`${fsPath === '/' ? '' : fsPath}/${e.name}`, ss, dd);
    }
  };
  await walk(res.fsPath, src, dst);
}

/** Net quota change of one owner. */
interface OwnerDelta {
  owner: QuotaOwner;
  size: number;
  files: number;
}

/** Net changes per owner: what leaves the source owners, arrives at the target owners, and what an overwrite frees. */
function netDeltas(src: QuotaOwner[], dst: QuotaOwner[], moved: Usage, replaced: Usage): OwnerDelta[] {
  const byKey = new Map<string, OwnerDelta>();
  const add = (o: QuotaOwner, size: number, files: number) => {
    const key = `${o.kind}:${o.name}`;
    const d = byKey.get(key) ?? { owner: o, size: 0, files: 0 };
    d.size += size;
    d.files += files;
    byKey.set(key, d);
  };
  for (const o of src) add(o, -moved.size, -moved.files);
  for (const o of dst) add(o, moved.size - replaced.size, moved.files - replaced.files);
  return [...byKey.values()].filter((d) => d.size !== 0 || d.files !== 0);
}

/** Renames `src` to `dst` (both clean virtual paths). */
export async function renameOp(c: ConnCore, src: string, dst: string): Promise<void> {
  if (src === '/' || dst === '/') throw permissionDenied('cannot rename the root');
  if (c.vfs.isMountPoint(src) || c.vfs.isMountPoint(dst)) throw permissionDenied('cannot rename a virtual folder');
  if (src === dst) return;
  const from = await c.vfs.resolve(src);
  const to = await c.vfs.resolve(dst);
  const info = await from.fs.lstat(from.fsPath, { signal: c.signal });
  if (info.type === 'dir' && c.vfs.hasMountsBelow(src)) throw notSupported('directory contains virtual folders');
  if (!renameAllowed(c, src, dst, info)) throw renameDenied(src, dst);
  if (info.type === 'file' && (!c.filters.isAllowed(src) || !c.filters.isAllowed(dst))) {
    throw permissionDenied('file name not allowed by pattern filters');
  }
  const existing = await lstatOrUndefined(to);
  if (existing?.type === 'dir') throw notSupported('cannot overwrite a directory');
  if (existing) c.perms.require(parentOf(dst), 'overwrite');
  if (info.type === 'dir') {
    // Without dirRename only an empty directory can move (SFTPGo's rule for object stores).
    if (!from.fs.features.dirRename && !(await isEmptyDir(from, c.signal))) {
      throw notSupported('renaming a non-empty directory is not supported by this storage backend');
    }
    await checkTree(c, from, src, dst);
  }
  const crossed = from.mount !== to.mount;
  if (crossed && (from.mount.filesystem.provider !== 0 || to.mount.filesystem.provider !== 0)) {
    throw notSupported('rename across virtual folders is only supported between local folders');
  }
  const srcOwners = c.quota.ownersFor(c.user, from.mount.folder);
  const dstOwners = c.quota.ownersFor(c.user, to.mount.folder);
  // Within one mount nothing moves between owners (moved is empty); across mounts the whole tree does.
  const moved = crossed ? await usage(from.fs, from.fsPath, info) : NONE;
  const replaced = existing?.type === 'file' ? { size: storedSize(existing), files: 1 } : NONE;
  const deltas = netDeltas(srcOwners, dstOwners, moved, replaced);
  await checkRoom(c, deltas);
  await doRename(c, from, to, crossed);
  for (const d of deltas) await c.quota.update([d.owner], d.size, d.files);
  c.oplog.command('Rename', { filePath: nativePathOf(from), targetPath: nativePathOf(to) });
  await firePost(c, 'rename', actionInfo(c, 'rename', from, { target_path: await hostPath(to) }));
}

/** Refuses the rename when an owner that grows would go over its limits (SFTPGo's hasSpaceForRename). */
async function checkRoom(c: ConnCore, deltas: OwnerDelta[]): Promise<void> {
  const growing = deltas.filter((d) => d.size > 0 || d.files > 0);
  await c.quota.refresh(growing.map((d) => d.owner));
  for (const { owner: o, size, files } of growing) {
    const used = c.quota.used(o);
    if (o.maxSize > 0 && size > 0 && used.size + size > o.maxSize) throw quotaExceeded();
    if (o.maxFiles > 0 && files > 0 && used.files + files > o.maxFiles) throw quotaExceeded();
  }
}

async function hostPath(r: Resolved): Promise<string> {
  return r.fs.localPath ? r.fs.localPath(r.fsPath).catch(() => r.fsPath) : r.fsPath;
}

async function doRename(c: ConnCore, from: Resolved, to: Resolved, crossed: boolean): Promise<void> {
  if (!crossed) {
    await from.fs.rename(from.fsPath, to.fsPath, { signal: c.signal });
    return;
  }
  // Two local roots: the backends are confined separately, so the move happens between their host paths.
  if (!from.fs.localPath || !to.fs.localPath) throw notSupported('rename across virtual folders is not supported here');
  try {
    await hostRename(await from.fs.localPath(from.fsPath), await to.fs.localPath(to.fsPath));
  } catch (err) {
    throw toSftpGoError(err);
  }
}
