/**
 * MKCOL (RFC 4918 §9.3): a body is refused (415, we define no MKCOL body), an existing resource
 * gives 405, a missing parent 409. A lock on the parent collection needs its token.
 */
import { parentOf } from '../../../core/vpath.js';
import { checkWrite, statOrUndefined } from '../conditions.js';
import { hasBody, sendStatus } from '../respond.js';
import { DavError } from '../status-map.js';
import type { DavRequest } from '../types.js';

/** MKCOL: one new collection. */
export async function handleMkcol(r: DavRequest): Promise<void> {
  if (hasBody(r.req)) throw new DavError(415, 'MKCOL with a body is not supported');
  if (await statOrUndefined(r, r.path)) throw new DavError(405, 'the resource already exists');
  const parent = await statOrUndefined(r, parentOf(r.path));
  if (parent?.type !== 'dir') throw new DavError(409, 'the parent collection does not exist');
  await checkWrite(r, { covered: [r.path, parentOf(r.path)] });
  r.conn.setCommand(`MKCOL ${r.path}`);
  await r.conn.mkdir(r.path);
  await r.deps.props.removeTree(r.conn.user.username, r.path);
  sendStatus(r.res, 201, 'created');
}
