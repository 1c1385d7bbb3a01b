/**
 * PUT (RFC 4918 §9.7): the body is streamed into a core upload in bounded slices (never the whole
 * file in memory); the socket is paused while a slice is written, so a fast client cannot outrun
 * the storage. Uploads always replace the content (no partial PUT, RFC 9110 §14.5). The
 * Content-Length, when given, is checked against quota and max size before a byte is read.
 */
import { parentOf } from '../../../core/vpath.js';
import { checkWrite, etagOf, statOrUndefined } from '../conditions.js';
import { continueIfExpected, sendStatus } from '../respond.js';
import { DavError } from '../status-map.js';
import { writeAll } from '../tree.js';
import type { DavRequest } from '../types.js';
import { etagListMatches } from './get.js';

/** PUT: create or replace a file with the request body. */
export async function handlePut(r: DavRequest): Promise<void> {
  if (r.req.headers['content-range'] !== undefined) throw new DavError(400, 'partial PUT (Content-Range) is not supported');
  const existing = await statOrUndefined(r, r.path);
  if (existing?.type === 'dir' || (r.trailingSlash && !existing)) throw new DavError(405, 'cannot PUT to a collection');
  if (!existing) {
    const parent = await statOrUndefined(r, parentOf(r.path));
    if (parent?.type !== 'dir') throw new DavError(409, 'the parent collection does not exist');
  }
  checkHttpConditions(r, existing ? etagOf(existing) : undefined);
  await checkWrite(r, { covered: existing ? [r.path] : [r.path, parentOf(r.path)] });
  const length = r.req.headers['content-length'] !== undefined ? Number(r.req.headers['content-length']) : undefined;
  r.conn.setCommand(`PUT ${r.path}`);
  const upload = await r.conn.openUpload(r.path, { mode: 'truncate', expectedSize: length, signal: r.conn.signal });
  continueIfExpected(r.req, r.res);
  try {
    await writeAll(r.req as AsyncIterable<Buffer>, upload, () => r.req.complete);
  } catch (err) {
    await upload.abort(err);
    throw err;
  }
  await upload.close();
  const after = await statOrUndefined(r, r.path);
  sendStatus(r.res, existing ? 204 : 201, existing ? '' : 'created', after ? { ETag: etagOf(after) } : {});
}

/** If-Match / If-None-Match on the current version (RFC 9110 §13.1.1–2); `*` works as usual. */
function checkHttpConditions(r: DavRequest, etag: string | undefined): void {
  const ifMatch = r.req.headers['if-match'];
  const ifNoneMatch = r.req.headers['if-none-match'];
  if (ifMatch !== undefined && (etag === undefined || !etagListMatches(ifMatch, etag))) {
    throw new DavError(412, 'If-Match does not match the current version');
  }
  if (ifNoneMatch !== undefined && etag !== undefined && etagListMatches(ifNoneMatch, etag)) {
    throw new DavError(412, 'If-None-Match matches the current version');
  }
}
