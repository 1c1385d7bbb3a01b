/**
 * COPY and MOVE (RFC 4918 §9.8, §9.9). The destination must be on this server under the same
 * prefix (502 otherwise), its parent must exist (409), and an existing destination is replaced
 * only with `Overwrite: T` (412 otherwise; 204 instead of 201 when replaced). COPY goes file by
 * file through core downloads and uploads; MOVE is a core rename. Dead properties follow the
 * resource; locks do not (§7.6, §9.9.1).
 */
import type { VirtualFileInfo } from '../../../core/types.js';
import { isUnder, parentOf } from '../../../core/vpath.js';
import { checkWrite, statOrUndefined } from '../conditions.js';
import { parseDepth, parseDestination, parseOverwrite } from '../headers.js';
import { decodePath, stripPrefix } from '../paths.js';
import { header, sendStatus } from '../respond.js';
import { DavError } from '../status-map.js';
import { assertTreeDeletable, copyTree, removeTree } from '../tree.js';
import type { DavRequest } from '../types.js';
import { forgetTree } from './delete.js';

/** The decoded destination path (RFC 4918 §10.3). */
export function destinationPath(r: DavRequest): string {
  const encoded = parseDestination(header(r.req, 'destination'), r.req.headers.host);
  const rest = stripPrefix(encoded, r.binding.prefix);
  if (rest === undefined) throw new DavError(502, 'the destination is outside this WebDAV server');
  return decodePath(rest);
}

interface Plan {
  from: string;
  to: string;
  info: VirtualFileInfo;
  /** What is at the destination now (replaced when Overwrite allows). */
  existing: VirtualFileInfo | undefined;
}

async function plan(r: DavRequest): Promise<Plan> {
  const info = await r.conn.lstat(r.path);
  const to = destinationPath(r);
  if (to === r.path) throw new DavError(403, 'source and destination are the same resource');
  if (r.path === '/' || to === '/') throw new DavError(403, 'the root collection cannot be copied or moved');
  if (info.type === 'dir' && isUnder(r.path, to)) throw new DavError(403, 'a collection cannot go inside itself');
  const parent = await statOrUndefined(r, parentOf(to));
  if (parent?.type !== 'dir') throw new DavError(409, 'the destination parent collection does not exist');
  const existing = await statOrUndefined(r, to);
  if (existing && !parseOverwrite(header(r.req, 'overwrite'))) throw new DavError(412, 'the destination exists and Overwrite is F');
  return { from: r.path, to, info, existing };
}

/** Replaces the destination: it goes first, with its properties and locks. */
async function clearDestination(r: DavRequest, p: Plan): Promise<void> {
  if (!p.existing) return;
  if (p.existing.type === 'dir') assertTreeDeletable(r.conn, p.to);
  await removeTree(r.conn, p.to, p.existing);
  await forgetTree(r, p.to);
}

/** COPY: Depth 0 (the resource alone) or infinity (the whole tree). */
export async function handleCopy(r: DavRequest): Promise<void> {
  const depth = parseDepth(header(r.req, 'depth'), 'infinity');
  if (depth === 1) throw new DavError(400, 'COPY takes Depth 0 or infinity');
  const p = await plan(r);
  await checkWrite(r, { covered: [p.to, parentOf(p.to)], trees: [p.to] });
  r.conn.setCommand(`COPY ${p.from} ${p.to}`);
  await clearDestination(r, p);
  const deep = depth === 'infinity';
  await copyTree(r.conn, p.from, p.to, p.info, deep);
  const user = r.conn.user.username;
  if (deep || p.info.type !== 'dir') await r.deps.props.copyTree(user, p.from, p.to, false);
  else await r.deps.props.copyOne(user, p.from, p.to);
  sendStatus(r.res, p.existing ? 204 : 201, p.existing ? '' : 'created');
}

/** MOVE: a core rename after clearing an overwritten destination. */
export async function handleMove(r: DavRequest): Promise<void> {
  if (parseDepth(header(r.req, 'depth'), 'infinity') !== 'infinity') throw new DavError(400, 'MOVE takes Depth infinity only');
  const p = await plan(r);
  await checkWrite(r, { covered: [parentOf(p.from), p.to, parentOf(p.to)], trees: [p.from, p.to] });
  r.conn.setCommand(`MOVE ${p.from} ${p.to}`);
  await clearDestination(r, p);
  await r.conn.rename(p.from, p.to);
  const user = r.conn.user.username;
  r.deps.locks.removeTree(user, p.from);
  await r.deps.props.copyTree(user, p.from, p.to, true);
  sendStatus(r.res, p.existing ? 204 : 201, p.existing ? '' : 'created');
}
