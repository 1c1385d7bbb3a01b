/**
 * GET/HEAD/POST on a file: ETag and Last-Modified validators, one byte range (RFC 9110 §14),
 * the body streamed from a core download (throttled, counted, hooks). On a collection, as SFTPGo
 * does, GET answers like PROPFIND (Depth 1 unless the client asked for 0) and HEAD with an empty 207.
 */
import { pipeline } from 'node:stream/promises';
import type { VirtualFileInfo } from '../../../core/types.js';
import { etagOf, submittedTokens } from '../conditions.js';
import { parseDepth, parseRange, type RangeResult } from '../headers.js';
import { header, sendStatus, XML_TYPE } from '../respond.js';
import type { DavRequest } from '../types.js';
import { writePropfind } from './propfind.js';

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
    await pipeline(transfer.stream(), r.res);
  } catch (err) {
    await transfer.abort(err);
    throw err;
  }
  await transfer.close();
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
