/**
 * Login-time filesystem checks (INVENTORY §4.2 step 5): the home root, every virtual folder root,
 * and the intermediate directories of each virtual folder mount inside its parent mount are
 * created when missing (owned by the user's uid/gid). `filters.disable_fs_checks` skips it all.
 */
import type { User } from '../../dataprovider/models.js';
import type { FsRegistry } from '../../vfs/registry.js';
import { errorKindOf, ErrorKind } from '../../util/errors.js';
import { VirtualFs } from '../vfolders.js';
import { parentOf } from '../vpath.js';

/** Creates the user's roots; throws when a root cannot be created. */
export async function ensureUserRoots(user: User, registry: FsRegistry, tempPath?: string): Promise<void> {
  if (user.filters?.disable_fs_checks) return;
  const vfs = new VirtualFs(user, registry, tempPath);
  const owner = { uid: user.uid, gid: user.gid };
  try {
    // Shallow mounts first so parents exist before children.
    for (const mount of [...vfs.mounts].reverse()) {
      await (await vfs.fsOf(mount)).ensureRoot(owner);
    }
    for (const mount of vfs.mounts) {
      if (mount.vpath === '/') continue;
      await mkdirParents(vfs, parentOf(mount.vpath));
    }
  } finally {
    await vfs.close();
  }
}

/** mkdir -p of a virtual directory inside whatever mount owns it. */
async function mkdirParents(vfs: VirtualFs, vdir: string): Promise<void> {
  if (vdir === '/' || vfs.isMountPoint(vdir)) return;
  await mkdirParents(vfs, parentOf(vdir));
  const r = await vfs.resolve(vdir);
  try {
    await r.fs.mkdir(r.fsPath);
  } catch (err) {
    if (errorKindOf(err) !== ErrorKind.Exists) throw err;
  }
}
