/**
 * Rules of the SSH commands that act on whole trees (INVENTORY §3.2): `sftpgo-copy`,
 * `sftpgo-remove`, the system commands (git, rsync) run on a real local directory, and the
 * `ssh_cmd` action. The protocol parses and runs; every rule is applied here.
 */
import { constants as fsc } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { storedSize, type FileInfo, type Fs } from '../vfs/types.js';
import type { Permission } from '../dataprovider/models.js';
import { exists, invalidInput, notSupported, permissionDenied, quotaExceeded, toSftpGoError } from '../util/errors.js';
import { actionInfo, firePost, type ConnCore } from './conn-core.js';
import { lstatOrUndefined } from './open.js';
import { nativePathOf } from './oplog.js';
import type { QuotaOwner } from './quota.js';
import type { SystemCommandTarget } from './types.js';
import type { Resolved } from './vfolders.js';
import { baseOf, cleanVirtualPath, isUnder, parentOf } from './vpath.js';

/** One entry of a walked tree, relative to its root ("" is the root itself). */
interface TreeEntry {
  rel: string;
  info: FileInfo;
}

/** Depth-first walk (parents before children) of a directory through its backend. */
async function walk(fs: Fs, root: string, signal: AbortSignal, rel = ''): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const dir = rel ? `${root === '/' ? '' : root}/${rel}` : root;
  for await (const info of fs.list(dir, { signal })) {
    const childRel = rel ? `${rel}/${info.name}` : info.name;
    out.push({ rel: childRel, info });
    if (info.type === 'dir') out.push(...(await walk(fs, root, signal, childRel)));
  }
  return out;
}

/** Files and bytes of regular files in a tree (symlinks do not count, as in quota). */
function totals(entries: TreeEntry[]): { files: number; size: number } {
  let files = 0;
  let size = 0;
  for (const e of entries) {
    if (e.info.type !== 'file') continue;
    files++;
    size += storedSize(e.info);
  }
  return { files, size };
}

function join(v: string, rel: string): string {
  return rel ? cleanVirtualPath(`${v}/${rel}`) : v;
}

/** Throws QuotaExceeded when adding `files`/`size` would pass a limit of `owners`. */
async function checkRoom(c: ConnCore, owners: QuotaOwner[], files: number, size: number): Promise<void> {
  await c.quota.refresh(owners);
  if (size > c.quota.remaining(owners)) throw quotaExceeded();
  for (const o of owners) {
    if (o.maxFiles > 0 && c.quota.used(o).files + files > o.maxFiles) throw quotaExceeded();
  }
}

/** sftpgo-copy: local storage only; dst must not exist; symlinks skipped; quota checked first. */
export async function copyTreeOp(c: ConnCore, src: string, dst: string): Promise<void> {
  if (!c.perms.has(parentOf(src), 'list')) throw permissionDenied();
  if (src === '/' || c.vfs.isMountPoint(src) || c.vfs.hasMountsBelow(src)) throw notSupported('copying a directory that contains virtual folders');
  if (dst === '/' || c.vfs.isMountPoint(dst) || isUnder(src, dst)) throw invalidInput(`invalid copy destination ${dst}`);
  const rs = await c.vfs.resolve(src);
  const rd = await c.vfs.resolve(dst);
  if (!rs.fs.features.localPath || !rd.fs.features.localPath) throw notSupported('sftpgo-copy works on local storage only');
  const info = await rs.fs.lstat(rs.fsPath, { signal: c.signal });
  if (info.type === 'symlink') throw notSupported('copying a symlink');
  if (await lstatOrUndefined(rd)) throw exists(`${dst} already exists`);
  const entries: TreeEntry[] = [{ rel: '', info }, ...(info.type === 'dir' ? await walk(rs.fs, rs.fsPath, c.signal) : [])];
  const copied = entries.filter((e) => e.info.type === 'file' || e.info.type === 'dir');
  for (const e of copied) checkCopyTarget(c, join(dst, e.rel), e.info);
  const { files, size } = totals(copied);
  const owners = c.quota.ownersFor(c.user, rd.mount.folder);
  await checkRoom(c, owners, files, size);
  for (const e of copied) await copyEntry(c, rs, rd, e);
  await c.quota.update(owners, size, files);
}

function checkCopyTarget(c: ConnCore, target: string, info: FileInfo): void {
  const perm: Permission = info.type === 'dir' ? 'create_dirs' : 'upload';
  if (!c.perms.has(parentOf(target), perm)) throw permissionDenied(`permission denied: ${perm} on ${parentOf(target)}`);
  if (info.type === 'file' && !c.filters.isAllowed(target)) throw permissionDenied(`${baseOf(target)} not allowed by pattern filters`);
}

async function copyEntry(c: ConnCore, rs: Resolved, rd: Resolved, e: TreeEntry): Promise<void> {
  const from = e.rel ? `${rs.fsPath === '/' ? '' : rs.fsPath}/${e.rel}` : rs.fsPath;
  const to = e.rel ? `${rd.fsPath}/${e.rel}` : rd.fsPath;
  if (e.info.type === 'dir') {
    await rd.fs.mkdir(to, { signal: c.signal, mode: e.info.mode });
    return;
  }
  const hostFrom = await rs.fs.localPath!(from);
  const hostTo = await rd.fs.localPath!(to);
  await copyFile(hostFrom, hostTo, fsc.COPYFILE_EXCL).catch((err: unknown) => { throw toSftpGoError(err); });
}

/** sftpgo-remove: recursive delete; `delete` on the parent; not the root or virtual folders. */
export async function removeTreeOp(c: ConnCore, v: string): Promise<void> {
  if (!c.perms.has(parentOf(v), 'delete')) throw permissionDenied();
  if (v === '/' || c.vfs.isMountPoint(v)) throw permissionDenied('cannot remove the root or a virtual folder');
  if (c.vfs.hasMountsBelow(v)) throw notSupported('removing a directory that contains virtual folders');
  const res = await c.vfs.resolve(v);
  const info = await res.fs.lstat(res.fsPath, { signal: c.signal });
  const entries: TreeEntry[] = info.type === 'dir' ? await walk(res.fs, res.fsPath, c.signal) : [];
  const owners = c.quota.ownersFor(c.user, res.mount.folder);
  let files = 0;
  let size = 0;
  for (const e of [...entries].reverse()) {
    const p = `${res.fsPath}/${e.rel}`;
    if (e.info.type === 'dir') await res.fs.rmdir(p, { signal: c.signal });
    else await res.fs.remove(p, { signal: c.signal });
    if (e.info.type === 'file') {
      files++;
      size += storedSize(e.info);
    }
  }
  if (info.type === 'dir') await res.fs.rmdir(res.fsPath, { signal: c.signal });
  else await res.fs.remove(res.fsPath, { signal: c.signal });
  if (info.type === 'file') {
    files++;
    size += storedSize(info);
  }
  // Stored sizes, as uploads were charged (an encrypted file's on-disk size).
  await c.quota.update(owners, -size, -files);
}

const SYSTEM_PERMS: Permission[] = ['list', 'download', 'upload', 'create_dirs', 'overwrite', 'delete'];

/**
 * A system command (git-*, rsync) may run on `v` only on local storage, outside virtual folders,
 * away from pattern filters, with every permission of SYSTEM_PERMS there and below, and quota left.
 */
export async function systemCommandOp(c: ConnCore, v: string): Promise<SystemCommandTarget> {
  const res = await c.vfs.resolve(v);
  if (!res.fs.features.localPath) throw notSupported('system commands work on local storage only');
  if (res.mount.folder || c.vfs.hasMountsBelow(v)) throw notSupported('system commands are not allowed on virtual folders');
  const patternDirs = (c.user.filters?.file_patterns ?? []).map((f) => cleanVirtualPath(f.path));
  if (patternDirs.some((d) => isUnder(d, v) || isUnder(v, d))) throw notSupported('system commands are not allowed where file patterns apply');
  for (const dir of [v, ...c.perms.dirsBelow(v)]) {
    if (!c.perms.hasAll(dir, ...SYSTEM_PERMS)) throw permissionDenied();
  }
  const owners = c.quota.ownersFor(c.user, undefined);
  await c.quota.refresh(owners);
  c.quota.checkOpen(owners, false);
  const before = await scanTotals(c, res);
  return {
    hostPath: await res.fs.localPath!(res.fsPath),
    canSymlink: c.perms.has(v, 'create_symlinks'),
    maxInputBytes: c.quota.remaining(owners),
    uid: c.user.uid ?? 0,
    gid: c.user.gid ?? 0,
    async finish(command, ok) {
      const after = await scanTotals(c, res);
      await c.quota.update(owners, after.size - before.size, after.files - before.files);
      if (!ok) return;
      c.oplog.command('SSHCommand', { filePath: nativePathOf(res), sshCommand: command });
      await firePost(c, 'ssh_cmd', actionInfo(c, 'ssh_cmd', res, { ssh_cmd: command }));
    },
  };
}

async function scanTotals(c: ConnCore, res: Resolved): Promise<{ files: number; size: number }> {
  const info = await lstatOrUndefined(res);
  if (!info) return { files: 0, size: 0 };
  if (info.type !== 'dir') return totals([{ rel: '', info }]);
  return totals(await walk(res.fs, res.fsPath, c.signal));
}

/**
 * A command that succeeded on `v` (and `target` for copies): its SSHCommand log line and the
 * `ssh_cmd` action. Without `v` (cd, pwd, a hash of stdin) both carry an empty path, as in SFTPGo;
 * the action still names the home's storage.
 */
export async function commandActionOp(c: ConnCore, command: string, v: string | undefined, target?: string): Promise<void> {
  const res = await c.vfs.resolve(v ?? '/');
  const t = target ? await c.vfs.resolve(target) : undefined;
  c.oplog.command('SSHCommand', { filePath: v === undefined ? '' : nativePathOf(res), targetPath: t ? nativePathOf(t) : '', sshCommand: command });
  const extra: { ssh_cmd: string; path?: string; target_path?: string } = { ssh_cmd: command };
  if (v === undefined) extra.path = '';
  if (t) extra.target_path = t.fs.localPath ? await t.fs.localPath(t.fsPath).catch(() => t.fsPath) : t.fsPath;
  await firePost(c, 'ssh_cmd', actionInfo(c, 'ssh_cmd', res, extra));
}
