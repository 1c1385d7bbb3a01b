/**
 * LOCK and UNLOCK (RFC 4918 §9.10, §9.11). A LOCK with a lockinfo body creates a write lock
 * (Depth 0 or infinity); one without a body refreshes the lock whose token the If header submits.
 * Locking an unmapped URL creates an empty file (201, §7.3). The Lock-Token header carries the
 * new token; UNLOCK removes the lock whose token it names, when that lock covers the URL.
 */
import { parentOf } from '../../../core/vpath.js';
import { checkWrite, statOrUndefined, submittedTokens } from '../conditions.js';
import { parseDepth, parseTimeout } from '../headers.js';
import type { Lock, LockScope } from '../locks.js';
import { hrefOf } from '../paths.js';
import { activeLockXml, ownerXml } from '../props.js';
import { header, readText, sendStatus, sendXml } from '../respond.js';
import { DavError } from '../status-map.js';
import type { DavRequest } from '../types.js';
import { child, DAV_NS, elements, parseXml } from '../xml.js';

interface LockInfo {
  scope: LockScope;
  ownerXml: string;
}

/** Parses a DAV:lockinfo body (§14.11): a write lock, exclusive or shared, with an optional owner. */
export function parseLockInfo(body: string): LockInfo {
  const root = parseXml(body);
  if (root.ns !== DAV_NS || root.local !== 'lockinfo') throw new DavError(400, 'expected a DAV:lockinfo body');
  const scope = elements(child(root, DAV_NS, 'lockscope') ?? root).find((e) => e.ns === DAV_NS && (e.local === 'exclusive' || e.local === 'shared'));
  if (!scope || !child(root, DAV_NS, 'lockscope')) throw new DavError(400, 'lockinfo needs lockscope exclusive or shared');
  const type = child(root, DAV_NS, 'locktype');
  if (!type || !child(type, DAV_NS, 'write')) throw new DavError(400, 'only write locks exist (locktype write)');
  return { scope: scope.local as LockScope, ownerXml: ownerXml(child(root, DAV_NS, 'owner')) };
}

function sendLock(r: DavRequest, lock: Lock, status: number): void {
  const root = hrefOf(r.binding.prefix, lock.root, lock.collection);
  const xml = `<D:prop xmlns:D="DAV:"><D:lockdiscovery>${activeLockXml(lock, root)}</D:lockdiscovery></D:prop>`;
  sendXml(r.res, status, xml, { 'Lock-Token': `<${lock.token}>` });
}

/** LOCK: create (with a body) or refresh (without). */
export async function handleLock(r: DavRequest): Promise<void> {
  const body = await readText(r.req, r.res);
  const timeoutS = parseTimeout(header(r.req, 'timeout'));
  if (body.trim() === '') return refresh(r, timeoutS);
  const info = parseLockInfo(body);
  const depth = parseDepth(header(r.req, 'depth'), 'infinity');
  if (depth === 1) throw new DavError(400, 'LOCK takes Depth 0 or infinity');
  const existing = await statOrUndefined(r, r.path);
  if (!existing) {
    const parent = await statOrUndefined(r, parentOf(r.path));
    if (parent?.type !== 'dir') throw new DavError(409, 'the parent collection does not exist');
  }
  await checkWrite(r, { covered: existing ? [] : [parentOf(r.path)] });
  r.conn.setCommand(`LOCK ${r.path}`);
  const lock = r.deps.locks.create({
    username: r.conn.user.username, root: r.path, collection: existing?.type === 'dir',
    depth: existing?.type === 'dir' ? depth : 0, scope: info.scope, ownerXml: info.ownerXml, timeoutS,
  });
  if (!existing) {
    try {
      const upload = await r.conn.openUpload(r.path, { mode: 'truncate', expectedSize: 0, signal: r.conn.signal });
      await upload.close();
    } catch (err) {
      r.deps.locks.unlock(lock.username, lock.token, lock.root);
      throw err;
    }
  }
  sendLock(r, lock, existing ? 200 : 201);
}

/** §9.10.2: the If header names the lock; its timeout starts again. */
async function refresh(r: DavRequest, timeoutS: number): Promise<void> {
  if (header(r.req, 'if') === undefined) throw new DavError(400, 'a LOCK refresh needs an If header with the lock token');
  const tokens = await submittedTokens(r);
  for (const token of tokens) {
    const lock = r.deps.locks.refresh(r.conn.user.username, token, r.path, timeoutS);
    if (lock) return sendLock(r, lock, 200);
  }
  throw new DavError(412, 'no lock of this resource was submitted', 'lock-token-matches-request-uri');
}

/** UNLOCK by the Lock-Token header. */
export async function handleUnlock(r: DavRequest): Promise<void> {
  const value = header(r.req, 'lock-token');
  const m = value ? /^\s*<([^>]+)>\s*$/.exec(value) : null;
  if (!m) throw new DavError(400, 'UNLOCK needs a Lock-Token header');
  if (!r.deps.locks.unlock(r.conn.user.username, m[1]!, r.path)) {
    throw new DavError(409, 'the token names no lock of this resource', 'lock-token-matches-request-uri');
  }
  sendStatus(r.res, 204);
}
