/**
 * Whole-tree operations built from single core calls, so every file still passes the core's rules
 * (permissions, patterns, quota, hooks): recursive delete (DELETE, overwriting COPY/MOVE) and
 * recursive copy (COPY reads through a download and writes through an upload).
 */
import type { Connection, UploadTransfer, VirtualFileInfo } from '../../core/types.js';
import { Permissions } from '../../core/permissions.js';
import { parentOf } from '../../core/vpath.js';
import { aborted, permissionDenied } from '../../util/errors.js';

/** Bytes gathered before one storage write: few calls per GiB, little memory per upload. */
export const WRITE_SLICE = 1024 * 1024;

/** Joins a directory and an entry name. */
export const joinPath = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/**
 * As SFTPGo, a tree delete first makes sure the permissions allow removing everything in it
 * (`delete` in the parent and in every directory of the tree that has its own permissions), so a
 * refusal does not leave half a tree behind.
 */
export function assertTreeDeletable(conn: Connection, path: string): void {
  const perms = new Permissions(conn.user);
  for (const dir of [parentOf(path), path, ...perms.dirsBelow(path)]) {
    if (!perms.has(dir, 'delete')) throw permissionDenied(`permission denied: delete in ${dir}`);
  }
}

/** Removes a file, or a directory with everything in it (deepest first). */
export async function removeTree(conn: Connection, path: string, info: VirtualFileInfo): Promise<void> {
  if (info.type !== 'dir') return conn.remove(path);
  const children: VirtualFileInfo[] = [];
  for await (const e of conn.list(path)) children.push(e);
  for (const e of children) await removeTree(conn, joinPath(path, e.name), e);
  await conn.rmdir(path);
}

/** Copies a file through the core, or a directory (with its content when `deep`). */
export async function copyTree(conn: Connection, from: string, to: string, info: VirtualFileInfo, deep: boolean): Promise<void> {
  if (info.type !== 'dir') return copyFile(conn, from, to);
  await conn.mkdir(to);
  if (!deep) return;
  const children: VirtualFileInfo[] = [];
  for await (const e of conn.list(from)) children.push(e);
  for (const e of children) {
    const src = joinPath(from, e.name);
    const st = e.type === 'symlink' ? await conn.stat(src) : e;
    await copyTree(conn, src, joinPath(to, e.name), st, true);
  }
}

async function copyFile(conn: Connection, from: string, to: string): Promise<void> {
  const download = await conn.openDownload(from, { signal: conn.signal });
  let upload: UploadTransfer;
  try {
    upload = await conn.openUpload(to, { mode: 'truncate', expectedSize: download.size, signal: conn.signal });
  } catch (err) {
    await download.abort(err);
    throw err;
  }
  try {
    await writeAll(download.stream() as AsyncIterable<Buffer>, upload);
  } catch (err) {
    await Promise.all([upload.abort(err), download.abort(err)]);
    throw err;
  }
  await download.close();
  await upload.close();
}

/**
 * Copies a byte stream into an upload in slices. While one slice is being written the next one is
 * gathered (socket and storage overlap); the source is not read further until that write is done,
 * so at most two slices are in memory. `complete` says whether the source really ended (a client
 * that disconnects ends an HTTP body early).
 */
export async function writeAll(source: AsyncIterable<Buffer>, upload: UploadTransfer, complete: () => boolean = () => true): Promise<void> {
  let parts: Buffer[] = [];
  let pending = 0;
  let position = 0;
  let inflight: Promise<void> = Promise.resolve();
  const flush = async () => {
    // The gathered chunks go to storage as one vectored write: no copy into a joined buffer.
    const batch = parts;
    const size = pending;
    parts = [];
    pending = 0;
    await inflight;
    const at = position;
    position += size;
    inflight = upload.write(batch.length === 1 ? batch[0]! : batch, at);
    inflight.catch(() => undefined);
  };
  try {
    for await (const chunk of source) {
      parts.push(chunk);
      pending += chunk.length;
      if (pending >= WRITE_SLICE) await flush();
    }
    if (pending > 0) await flush();
  } finally {
    await inflight;
  }
  if (!complete()) throw aborted('the client closed the upload before its end');
}
