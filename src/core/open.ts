/**
 * Opening downloads and uploads, written once for every protocol (INVENTORY §3.1, §4.6, §4.7).
 */
import { storedSize, type FileInfo, type WriteHandle } from '../vfs/types.js';
import type { OpenDownloadOptions, OpenUploadOptions } from './types.js';
import { ErrorKind, isSftpGoError, notSupported, permissionDenied, quotaExceeded } from '../util/errors.js';
import { atomicSlot } from './atomic.js';
import { actionInfo, type ConnCore } from './conn-core.js';
import { Download, Upload, type UploadPlan } from './transfer.js';
import type { Resolved } from './vfolders.js';
import { cleanVirtualPath, parentOf } from './vpath.js';

/** Runs a pre-action hook; a veto becomes PermissionDenied with the hook's message. */
export async function runPre(
  c: ConnCore, event: 'pre-upload' | 'pre-download', res: Resolved, extra: { file_size?: number; open_flags?: number } = {},
): Promise<void> {
  if (!c.hooks) return;
  try {
    await c.hooks.pre(event, await actionInfo(c, event, res, extra));
  } catch (err) {
    if (isSftpGoError(err) && err.kind === ErrorKind.PermissionDenied) throw err;
    throw permissionDenied(`${event} hook refused: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

/**
 * pre-delete (INVENTORY §5): success means the hook handled the file itself, so the core must not
 * delete it nor fire `delete`; any failure (or no hook) means the core deletes as usual. A failing
 * pre-delete hook is therefore logged, never shown to the client.
 */
export async function runPreDelete(c: ConnCore, res: Resolved, size: number): Promise<boolean> {
  if (!c.hooks) return false;
  try {
    return (await c.hooks.pre('pre-delete', await actionInfo(c, 'pre-delete', res, { file_size: size }))) === 'handled';
  } catch (err) {
    c.logger.debug({ err, path: res.vpath }, 'pre-delete hook failed: deleting the file as usual');
    return false;
  }
}

/** lstat that maps NotFound to undefined. */
export async function lstatOrUndefined(res: Resolved): Promise<FileInfo | undefined> {
  try {
    return await res.fs.lstat(res.fsPath, { signal: undefined });
  } catch (err) {
    if (isSftpGoError(err) && err.kind === ErrorKind.NotFound) return undefined;
    throw err;
  }
}

/** Opens a download: `download` on the parent, patterns, pre-download hook. */
export async function openDownload(c: ConnCore, vpath: string, opts: OpenDownloadOptions = {}): Promise<Download> {
  const v = cleanVirtualPath(vpath);
  c.perms.require(parentOf(v), 'download');
  if (!c.filters.isAllowed(v)) throw permissionDenied('file name not allowed by pattern filters');
  if (v === '/' || c.vfs.isMountPoint(v)) throw notSupported('cannot open a directory');
  const res = await c.vfs.resolve(v);
  const openOpts = { offset: opts.offset, end: opts.end, signal: opts.signal ?? c.signal };
  // Without a pre-download hook (which must see the file before it is opened, and may change it)
  // a backend that stats what it opened saves looking the path up twice.
  if (res.fs.openReadInfo && !(c.hooks?.wants?.('pre-download') ?? !!c.hooks)) {
    const { handle, info } = await res.fs.openReadInfo(res.fsPath, openOpts);
    if (info.type === 'dir') {
      await handle.close();
      throw notSupported('cannot open a directory');
    }
    return new Download(c, v, info.size, handle, res, opts.signal);
  }
  const info = await res.fs.stat(res.fsPath, { signal: c.signal });
  if (info.type === 'dir') throw notSupported('cannot open a directory');
  await runPre(c, 'pre-download', res, { file_size: info.size });
  const handle = await res.fs.openRead(res.fsPath, openOpts);
  return new Download(c, v, info.size, handle, res, opts.signal);
}

/** Opens an upload: permissions, patterns, quota, max size, pre-upload hook, upload_mode. */
export async function openUpload(c: ConnCore, vpath: string, opts: OpenUploadOptions): Promise<Upload> {
  const v = cleanVirtualPath(vpath);
  if (v === '/' || c.vfs.isMountPoint(v)) throw notSupported('cannot open a directory for writing');
  if (!c.filters.isAllowed(v)) throw permissionDenied('file name not allowed by pattern filters');
  const res = await c.vfs.resolve(v);
  const st = await lstatOrUndefined(res);
  if (st?.type === 'dir') throw notSupported('cannot open a directory for writing');
  // A symlink counts as a new file (INVENTORY §3.1).
  const existing = st && st.type !== 'symlink' ? st : undefined;
  c.perms.require(parentOf(v), existing ? 'overwrite' : 'upload');
  const keepContent = !!existing && opts.mode !== 'truncate';
  if (keepContent && !res.fs.features.resume) throw notSupported('resume is not supported by this storage backend');
  // Bytes shared by hard links count once per name: growing them in place would grow the other
  // names too, uncounted (conn-links.ts). Resume/append is refused; a truncating write in place
  // unlinks the name first, so it gets fresh bytes and the other names keep theirs.
  const shared = (existing?.links ?? 1) > 1;
  if (keepContent && shared) throw notSupported('resume and append are not supported on a file with hard links');
  const maxFileSize = c.user.filters?.max_upload_file_size ?? 0;
  // Quota counts stored bytes (an encrypted file's on-disk size); only those differ from `size`.
  const oldSize = existing ? storedSize(existing) : 0;
  if (keepContent && maxFileSize > 0 && maxFileSize <= oldSize) throw quotaExceeded();

  const owners = c.quota.ownersFor(c.user, res.mount.folder);
  await c.quota.refresh(owners);
  const atomic = (c.config.common.upload_mode === 1 || c.config.common.upload_mode === 2) && res.fs.features.atomicUpload;
  // In place truncation frees the old bytes at once; atomic and resumed uploads keep them counted.
  const freedNow = !!existing && !keepContent && !atomic;
  const quotaBase = existing && !freedNow ? oldSize : 0;
  const credit = existing && !keepContent ? oldSize : 0;
  checkExpected(c, owners, opts.expectedSize, credit, maxFileSize);
  const reservation = c.quota.reserve(owners, !existing);
  try {
    await runPre(c, 'pre-upload', res, { file_size: oldSize, open_flags: opts.openFlags });
    if (freedNow && shared) await res.fs.remove(res.fsPath, { signal: c.signal });
    const plan = await openPlan(c, res, opts, existing, atomic);
    if (freedNow) await c.quota.update(owners, -oldSize, 0);
    return new Upload(c, v, {
      ...plan, res, append: opts.mode === 'append', isNew: !existing, quotaBase,
      size: keepContent ? oldSize : 0, initialSize: keepContent ? (opts.mode === 'resume' ? (opts.offset ?? oldSize) : oldSize) : 0,
      maxFileSize, reservation, keepOnError: c.config.common.upload_mode === 2, signal: opts.signal,
    });
  } catch (err) {
    await c.quota.settle(reservation, 0, 0);
    throw err;
  }
}

function checkExpected(c: ConnCore, owners: Parameters<ConnCore['quota']['remaining']>[0], expected: number | undefined, credit: number, maxFileSize: number): void {
  if (expected === undefined) return;
  if (maxFileSize > 0 && expected > maxFileSize) throw quotaExceeded();
  if (expected > c.quota.remaining(owners) + credit) throw quotaExceeded();
}

type OpenedPlan = Pick<UploadPlan, 'handle' | 'writeFs' | 'writePath' | 'atomic' | 'restoreSize' | 'commitMove'>;

/** Opens the target in place, or an atomic temp file (next to it or in temp_path). */
async function openPlan(
  c: ConnCore, res: Resolved, opts: OpenUploadOptions, existing: FileInfo | undefined, atomic: boolean,
): Promise<OpenedPlan> {
  const signal = opts.signal ?? c.signal;
  const base = { offset: opts.offset, read: opts.read && res.fs.features.readWrite, fileMode: opts.fileMode, signal };
  if (!atomic) {
    const handle = await res.fs.openWrite(res.fsPath, { ...base, mode: opts.mode });
    return { handle, writeFs: res.fs, writePath: res.fsPath, atomic: false, commitMove: async () => undefined };
  }
  const slot = await atomicSlot(c, res);
  const keep = !!existing && opts.mode !== 'truncate';
  // For resume/append the existing content moves to the temp name first (INVENTORY §4.7).
  if (keep) await slot.fromTarget();
  let handle: WriteHandle;
  try {
    handle = await slot.fs.openWrite(slot.path, { ...base, mode: keep ? opts.mode : 'truncate' });
  } catch (err) {
    if (keep) await slot.toTarget().catch(() => undefined);
    throw err;
  }
  return {
    handle, writeFs: slot.fs, writePath: slot.path, atomic: true, restoreSize: keep ? existing.size : undefined,
    commitMove: slot.toTarget,
  };
}
