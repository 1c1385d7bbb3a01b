/**
 * GET/HEAD/POST on a file: ETag and Last-Modified validators, one byte range (RFC 9110 §14),
 * the body streamed from a core download (throttled, counted, hooks). On a collection, as SFTPGo
 * does, GET answers like PROPFIND (Depth 1 unless the client asked for 0) and HEAD with an empty 207.
 */
import type { ServerResponse } from 'node:http';
import type { DownloadTransfer, VirtualFileInfo } from '../../../core/types.js';
import { aborted, failure } from '../../../util/errors.js';
import { etagOf, submittedTokens } from '../conditions.js';
import { parseDepth, parseRange, type RangeResult } from '../headers.js';
import { header, sendStatus, XML_TYPE } from '../respond.js';
import type { DavRequest } from '../types.js';
import { writePropfind } from './propfind.js';

/** GET, HEAD and POST. */
export async function handleGet(r: DavRequest): Promise<void> {
  await submittedTokens(r);
  const info = await r.conn.stat(r.path);
  if (info.type === 'dir') return getCollection(r);
  const validators = { ETag: etagOf(info), 'Last-Modified': info.mtime.toUTCString() };
  const cond = checkConditional(r, info);
  if (cond) return sendStatus(r.res, cond, cond === 412 ? 'precondition failed' : '', validators);
  const range = rangeFor(r, info);
  const headers: Record<string, string | number> = {
    ...validators, 'Content-Type': r.deps.mime.typeOf(info.name), 'Accept-Ranges': 'bytes',
  };
  if (range.kind === 'unsatisfiable') {
    return sendStatus(r.res, 416, 'range not satisfiable', { ...validators, 'Content-Range': `bytes */${info.size}` });
  }
  const { start, end } = range.kind === 'range' ? range.range : { start: 0, end: info.size };
  if (range.kind === 'range') headers['Content-Range'] = `bytes ${start}-${end - 1}/${info.size}`;
  const status = range.kind === 'range' ? 206 : 200;
  if (r.req.method === 'HEAD' || end === start) {
    r.res.writeHead(status, { ...headers, 'Content-Length': end - start });
    r.res.end();
    return;
  }
  r.conn.setCommand(`GET ${r.path}`);
  const transfer = await r.conn.openDownload(r.path, { offset: start, end, signal: r.conn.signal });
  r.res.writeHead(status, { ...headers, 'Content-Length': end - start });
  try {
    await sendBody(transfer, r.res, start, end);
  } catch (err) {
    await transfer.abort(err);
    throw err;
  }
  await transfer.close();
}

/** Bytes read from storage per chunk sent: large reads keep per-chunk overhead low. */
export const READ_CHUNK = 1024 * 1024;

/**
 * Streams [start, end) of the download to the response in large positional reads. The next chunk
 * is read while the current one goes out (storage and socket overlap); a full socket is waited
 * for, so memory stays bounded by about two chunks per request.
 */
async function sendBody(transfer: DownloadTransfer, res: ServerResponse, start: number, end: number): Promise<void> {
  // Buffers come back once the socket has taken their bytes: a few are reused for the whole file.
  const free: Buffer[] = [];
  const readAt = async (position: number): Promise<{ whole: Buffer; data: Buffer }> => {
    const whole = free.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK);
    const n = await transfer.read(whole.subarray(0, Math.min(READ_CHUNK, end - position)), position);
    if (n === 0) throw failure('the file is shorter than announced');
    return { whole, data: whole.subarray(0, n) };
  };
  let next: Promise<{ whole: Buffer; data: Buffer }> | undefined = readAt(start);
  let position = start;
  while (next) {
    const { whole, data } = await next;
    position += data.length;
    next = position < end ? readAt(position) : undefined;
    // A rejected prefetch is awaited in the next turn; keep it from being reported as unhandled.
    next?.catch(() => undefined);
    if (res.destroyed) throw aborted('the client went away');
    if (!res.write(data, () => free.push(whole))) await drained(res);
  }
  await new Promise<void>((resolve, reject) => res.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      res.off('drain', done);
      res.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onClose = () => done(aborted('the client went away'));
    res.on('drain', done);
    res.on('close', onClose);
  });
}

async function getCollection(r: DavRequest): Promise<void> {
  if (r.req.method === 'HEAD') {
    r.res.writeHead(207, { 'Content-Type': XML_TYPE, 'Content-Length': 0 });
    r.res.end();
    return;
  }
  const depth = parseDepth(header(r.req, 'depth'), 1) === 0 ? 0 : 1;
  await writePropfind(r, r.path, depth, { kind: 'allprop', include: [] });
}

/** RFC 9110 §13: If-Match (412), If-None-Match / If-Modified-Since (304). */
function checkConditional(r: DavRequest, info: VirtualFileInfo): number | undefined {
  const etag = etagOf(info);
  const h = r.req.headers;
  if (h['if-match'] !== undefined && !etagListMatches(h['if-match'], etag)) return 412;
  if (h['if-none-match'] !== undefined) return etagListMatches(h['if-none-match'], etag) ? 304 : undefined;
  const since = h['if-modified-since'] ? Date.parse(h['if-modified-since']) : NaN;
  if (!Number.isNaN(since) && Math.floor(info.mtime.getTime() / 1000) * 1000 <= since) return 304;
  return undefined;
}

/** True when a comma list of entity tags (or `*`) names `etag` (weak comparison). */
export function etagListMatches(list: string, etag: string): boolean {
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return list.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}

/** The Range to serve; If-Range with a stale validator means the whole body. */
function rangeFor(r: DavRequest, info: VirtualFileInfo): RangeResult {
  const ifRange = r.req.headers['if-range'];
  if (ifRange !== undefined && ifRange !== etagOf(info) && ifRange !== info.mtime.toUTCString()) return { kind: 'none' };
  return parseRange(r.req.headers.range, info.size);
}
