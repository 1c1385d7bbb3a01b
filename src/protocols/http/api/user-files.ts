/**
 * User file access through a core Connection (protocol HTTP), so permissions, patterns, virtual
 * folders, bandwidth and the connections list apply: folder listing (DirEntry with Go FileMode
 * bits), single-file download with HTTP Range, and a zip of several paths streamed with yazl.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import yazl from 'yazl';
import type { Connection, DownloadTransfer, VirtualFileInfo } from '../../../core/types.js';
import { cleanVirtualPath } from '../../../core/vpath.js';
import { invalidInput } from '../../../util/errors.js';
import { readJson } from '../body.js';
import { optionalStr, requiredStr } from '../query.js';
import { parseRange, type ByteRange } from '../range.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';
import { userOf } from './user-api.js';

/** Go io/fs FileMode type bits (openapi DirEntry.mode). */
export const GoMode = { Dir: 2147483648, Symlink: 134217728, Irregular: 524288 } as const;

/** Go FileMode of an entry: type bits | permission bits. */
export function goFileMode(info: VirtualFileInfo): number {
  const perm = info.mode & 0o777;
  switch (info.type) {
    case 'dir': return GoMode.Dir + perm;
    case 'symlink': return GoMode.Symlink + perm;
    case 'other': return GoMode.Irregular + perm;
    default: return perm;
  }
}

/** DirEntry JSON of one listed item (openapi DirEntry). */
export function dirEntry(info: VirtualFileInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { name: info.name, mode: goFileMode(info), last_modified: info.mtime.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (info.type === 'file') out.size = info.size;
  return out;
}

/** Opens a per-request HTTP connection; closed when the response is done. */
export async function openConnection(deps: ApiDeps, ctx: ApiContext): Promise<Connection> {
  const conn = await deps.app.core.connections.open({
    protocol: 'HTTP', user: userOf(ctx), remote: { ip: ctx.state.ip, port: ctx.req.socket.remotePort ?? 0 },
    clientVersion: ctx.get('user-agent'),
  });
  ctx.res.once('close', () => void conn.close());
  return conn;
}

export function registerUserFileRoutes(router: Router<ApiState>, deps: ApiDeps, guard: Middleware<ApiState>[]): void {
  router.get('/user/folder', ...guard, async (ctx: ApiContext) => {
    const conn = await openConnection(deps, ctx);
    const path = optionalStr(ctx.query, 'path') || '/';
    conn.setCommand(`ListDir ${path}`);
    if ((await conn.stat(path)).type !== 'dir') throw invalidInput(`"${path}" is not a directory`);
    const entries = [];
    for await (const info of conn.list(path)) entries.push(dirEntry(info));
    ctx.body = entries;
  });
  router.get('/user/file', ...guard, async (ctx: ApiContext) => {
    const path = requiredStr(ctx.query, 'path');
    const conn = await openConnection(deps, ctx);
    await downloadFile(ctx, conn, path);
  });
  router.post('/user/streamzip', ...guard, async (ctx: ApiContext) => {
    const files = deps.schemas.checkSchema<string[]>('streamzip', { type: 'array', items: { type: 'string' }, minItems: 1 }, await readJson(ctx));
    const conn = await openConnection(deps, ctx);
    conn.setCommand('Download zip');
    ctx.set('Content-Disposition', 'attachment; filename="sftpgo-download.zip"');
    ctx.type = 'application/zip';
    ctx.body = streamZip(conn, files, (err) => ctx.state.log.warn({ err }, 'zip entry failed'));
  });
}

/** Sends one file with Range/If-Range support, as an attachment. */
export async function downloadFile(ctx: ApiContext, conn: Connection, path: string): Promise<void> {
  const info = await conn.stat(path);
  if (info.type !== 'file') throw invalidInput(`"${path}" is not a regular file`);
  const lastModified = info.mtime.toUTCString();
  let range: ByteRange | null = null;
  const header = ctx.get('range');
  const ifRange = ctx.get('if-range');
  if (header && (!ifRange || ifRange === lastModified)) range = parseRange(header, info.size);
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Last-Modified', lastModified);
  ctx.set('Content-Disposition', `attachment; filename="${encodeURIComponent(info.name)}"`);
  if (range && 'unsatisfiable' in range) {
    ctx.set('Content-Range', `bytes */${info.size}`);
    ctx.status = 416;
    ctx.body = { error: 'requested range not satisfiable', message: 'Requested Range Not Satisfiable' };
    return;
  }
  conn.setCommand(`Download ${path}`);
  const start = range ? range.start : 0;
  const end = range ? range.end + 1 : info.size;
  const transfer = await conn.openDownload(path, { offset: start, end, signal: conn.signal });
  ctx.type = 'application/octet-stream';
  ctx.length = end - start;
  if (range) {
    ctx.status = 206;
    ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
  }
  ctx.body = finishing(transfer);
}

/** The transfer's stream; closes the transfer at its end, aborts it on error or client gone. */
function finishing(transfer: DownloadTransfer): NodeJS.ReadableStream {
  const stream = transfer.stream();
  let done = false;
  stream.once('end', () => { done = true; void transfer.close(); });
  stream.once('error', (err) => { done = true; void transfer.abort(err); });
  stream.once('close', () => { if (!done) void transfer.abort(new Error('client disconnected')); });
  return stream;
}

/**
 * Zip of the paths, entries added while walking; file data read lazily, one entry at a time, so
 * the archive streams out as it is built. Paths are cleaned as SFTPGo does ("" and ".." stay
 * inside the home: "" is the root).
 */
export function streamZip(conn: Connection, paths: string[], onEntryError: (err: unknown) => void): NodeJS.ReadableStream {
  const zip = new yazl.ZipFile();
  const clean = paths.map((p) => cleanVirtualPath(p));
  const addAll = async () => {
    for (const p of clean) await addPath(zip, conn, p, onEntryError);
  };
  addAll().catch(onEntryError).finally(() => zip.end());
  return zip.outputStream;
}


async function addPath(zip: yazl.ZipFile, conn: Connection, vpath: string, onEntryError: (err: unknown) => void): Promise<void> {
  let info: VirtualFileInfo;
  try {
    info = await conn.stat(vpath);
  } catch (err) {
    onEntryError(err);
    return;
  }
  const entryName = vpath.replace(/^\/+/, '');
  if (info.type === 'file') {
    zip.addReadStreamLazy(entryName, { mtime: info.mtime, mode: 0o100000 | (info.mode & 0o777) }, (cb) => {
      conn.openDownload(vpath, { signal: conn.signal }).then((t) => cb(null, finishing(t)), (err: unknown) => cb(err, undefined as never));
    });
    return;
  }
  if (info.type !== 'dir') return;
  if (entryName) zip.addEmptyDirectory(entryName, { mtime: info.mtime });
  for await (const child of conn.list(vpath)) {
    await addPath(zip, conn, vpath === '/' ? `/${child.name}` : `${vpath}/${child.name}`, onEntryError);
  }
}
