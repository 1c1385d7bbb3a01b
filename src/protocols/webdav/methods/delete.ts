/**
 * DELETE (RFC 4918 §9.6): a file, or a collection with everything in it (Depth must be infinity).
 * Every lock rooted in the tree, and a lock on the parent collection (its membership changes),
 * need their token. Dead properties and locks of the removed tree go with it.
 */
import { parentOf } from '../../../core/vpath.js';
import { checkWrite } from '../conditions.js';
import { parseDepth } from '../headers.js';
import { header, sendStatus } from '../respond.js';
import { DavError } from '../status-map.js';
import { assertTreeDeletable, removeTree } from '../tree.js';
import type { DavRequest } from '../types.js';

/** DELETE of a file or a whole collection. */
export async function handleDelete(r: DavRequest): Promise<void> {
  if (r.path === '/') throw new DavError(403, 'the root collection cannot be deleted');
  const info = await r.conn.lstat(r.path);
  if (info.type === 'dir') {
    if (parseDepth(header(r.req, 'depth'), 'infinity') !== 'infinity') throw new DavError(400, 'DELETE of a collection needs Depth infinity');
    assertTreeDeletable(r.conn, r.path);
  }
  await checkWrite(r, { covered: [parentOf(r.path)], trees: [r.path] });
  r.conn.setCommand(`DELETE ${r.path}`);
  await removeTree(r.conn, r.path, info);
  await forgetTree(r, r.path);
  sendStatus(r.res, 204);
}

/** Drops the dead properties and locks of a tree that no longer exists. */
export async function forgetTree(r: DavRequest, path: string): Promise<void> {
  const user = r.conn.user.username;
  r.deps.locks.removeTree(user, path);
  await r.deps.props.removeTree(user, path);
}
