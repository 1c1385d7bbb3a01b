/** Symlinks, hard links, readlink and file hashing for a connection. */
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { HashAlgorithm, HashOptions } from './types.js';
import { exists, notSupported, permissionDenied, quotaExceeded } from '../util/errors.js';
import { storedSize } from '../vfs/types.js';
import type { ConnCore } from './conn-core.js';
import { lstatOrUndefined } from './open.js';
import { nativePathOf } from './oplog.js';
import { cleanVirtualPath, parentOf } from './vpath.js';

/** SYMLINK: `create_symlinks` on the link's parent; no cross-folder links; not the root. */
export async function symlinkResolved(c: ConnCore, target: string, link: string): Promise<void> {
  c.perms.require(parentOf(link), 'create_symlinks');
  if (link === '/' || target === '/' || c.vfs.isMountPoint(link)) throw permissionDenied('invalid symlink');
  const l = await c.vfs.resolve(link);
  const t = await c.vfs.resolve(target);
  if (l.mount !== t.mount) throw notSupported('symlinks across virtual folders are not supported');
  if (!l.fs.features.symlinks) throw notSupported('symlinks are not supported by this storage backend');
  await l.fs.symlink(t.fsPath, l.fsPath, { signal: c.signal });
  // SFTPGo's order: the link's target is file_path, the link itself target_path.
  c.oplog.command('Symlink', { filePath: nativePathOf(t), targetPath: nativePathOf(l) });
}

/** READLINK: `list` on the link's parent and on the target's directory; returns a virtual path. */
export async function readlinkResolved(c: ConnCore, v: string): Promise<string> {
  c.perms.require(parentOf(v), 'list');
  const res = await c.vfs.resolve(v);
  if (!res.fs.features.symlinks) throw notSupported('symlinks are not supported by this storage backend');
  const target = await res.fs.readlink(res.fsPath, { signal: c.signal });
  const vt = cleanVirtualPath(res.mount.vpath === '/' ? target : `${res.mount.vpath}${target}`);
  c.perms.require(parentOf(vt), 'list');
  return vt;
}

/**
 * Hard link (hardlink@openssh.com) inside one mount, only where a real local path exists.
 *
 * A hard link is a second name for the same bytes, and each name counts in quota on its own (a
 * delete gives back the size of the name deleted). So the link is charged as an upload of a new
 * file of the source's size would be: checked against the user's (or folder's) size and files limits
 * and max_upload_file_size before linking, then recorded. Without that, upload A, link B to A and
 * delete A would give A's size back while B keeps the bytes uncounted, as often as the user likes.
 * Writes that would change both names at once are handled in open.ts and conn-setstat.ts.
 */
export async function linkResolved(c: ConnCore, existing: string, newPath: string): Promise<void> {
  c.perms.require(parentOf(newPath), 'upload');
  c.perms.require(parentOf(existing), 'download');
  if (!c.filters.isAllowed(existing) || !c.filters.isAllowed(newPath)) throw permissionDenied('file name not allowed by pattern filters');
  if (newPath === '/' || c.vfs.isMountPoint(newPath)) throw exists(`${newPath} already exists`);
  const a = await c.vfs.resolve(existing);
  const b = await c.vfs.resolve(newPath);
  if (a.mount !== b.mount || !a.fs.link) throw notSupported('hard links are not supported here');
  const info = await a.fs.lstat(a.fsPath, { signal: c.signal });
  if (info.type !== 'file') throw notSupported('hard links can only be made to regular files');
  if (await lstatOrUndefined(b)) throw exists(`${newPath} already exists`);
  const size = storedSize(info);
  const owners = c.quota.ownersFor(c.user, b.mount.folder);
  await c.quota.refresh(owners);
  const maxFileSize = c.user.filters?.max_upload_file_size ?? 0;
  if (maxFileSize > 0 && size > maxFileSize) throw quotaExceeded();
  // reserve checks the files limit and resize the size limit, in the same turn as the refresh
  // above, so racing uploads cannot take the room meanwhile.
  const reservation = c.quota.reserve(owners, true);
  try {
    c.quota.resize(reservation, size);
    await a.fs.link(a.fsPath, b.fsPath, { signal: c.signal });
  } catch (err) {
    await c.quota.settle(reservation, 0, 0);
    throw err;
  }
  await c.quota.settle(reservation, size, 1);
}

function hasher(algo: HashAlgorithm): { update(b: Buffer): void; digest(): string } {
  if (algo !== 'crc32') {
    const h = createHash(algo);
    return { update: (b) => h.update(b), digest: () => h.digest('hex') };
  }
  let crc = 0;
  const z = zlib as unknown as { crc32(b: Buffer, v: number): number };
  return { update: (b) => (crc = z.crc32(b, crc)), digest: () => crc.toString(16).padStart(8, '0') };
}

/** Hash of a file (or a byte range): `download` on the parent and pattern filters apply. */
export async function hashResolved(c: ConnCore, v: string, algo: HashAlgorithm, opts: HashOptions = {}): Promise<string> {
  const { range, access = 'download' } = opts;
  if (!c.filters.isAllowed(v)) throw permissionDenied('file name not allowed by pattern filters');
  if (access === 'list') c.perms.require(v, 'list');
  else c.perms.require(parentOf(v), 'download');
  const res = await c.vfs.resolve(v);
  const info = await res.fs.stat(res.fsPath, { signal: c.signal });
  if (info.type !== 'file') throw notSupported('can only hash regular files');
  const h = hasher(algo);
  const rh = await res.fs.openRead(res.fsPath, { offset: range?.start ?? 0, end: range?.end, signal: c.signal });
  try {
    for await (const chunk of rh.stream() as AsyncIterable<Buffer>) h.update(chunk);
  } finally {
    await rh.close();
  }
  return h.digest();
}
