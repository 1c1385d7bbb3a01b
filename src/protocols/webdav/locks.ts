/**
 * In-memory write locks (RFC 4918 §6–7), one manager per WebDAV server. Locks are held per token;
 * each belongs to a user and covers a virtual path (and its descendants for Depth infinity).
 * Expired locks are purged lazily on every call, so no timer keeps the process alive.
 */
import { randomUUID } from 'node:crypto';
import { conflict } from '../../util/errors.js';

export type LockScope = 'exclusive' | 'shared';

export interface Lock {
  token: string;
  username: string;
  /** Clean virtual path of the lock root. */
  root: string;
  depth: 0 | 'infinity';
  scope: LockScope;
  /** Serialized DAV:owner element content as the client sent it (may be ""). */
  ownerXml: string;
  timeoutS: number;
  expiresAt: number;
}

export interface LockRequest {
  username: string;
  root: string;
  depth: 0 | 'infinity';
  scope: LockScope;
  ownerXml: string;
  timeoutS: number;
}

/** True when `p` equals `root` or lies below it. */
export function isWithin(p: string, root: string): boolean {
  if (p === root) return true;
  const base = root.endsWith('/') ? root : `${root}/`;
  return p.startsWith(base);
}

export class LockManager {
  private readonly locks = new Map<string, Lock>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Creates a lock or throws Conflict (→ 423) when an incompatible lock exists. */
  create(req: LockRequest): Lock {
    this.purge();
    const clash = this.conflicting(req.username, req.root, req.depth, req.scope);
    if (clash) throw conflict(`resource locked: ${clash.root}`);
    const lock: Lock = { ...req, token: `urn:uuid:${randomUUID()}`, expiresAt: this.now() + req.timeoutS * 1000 };
    this.locks.set(lock.token, lock);
    return lock;
  }

  private conflicting(username: string, root: string, depth: 0 | 'infinity', scope: LockScope): Lock | undefined {
    for (const l of this.locks.values()) {
      if (l.username !== username) continue;
      const overlaps = covers(l, root) || (depth === 'infinity' && isWithin(l.root, root));
      if (overlaps && (scope === 'exclusive' || l.scope === 'exclusive')) return l;
    }
    return undefined;
  }

  /** Refreshes a lock; undefined when the token is unknown or does not cover `path`. */
  refresh(username: string, token: string, path: string, timeoutS: number): Lock | undefined {
    this.purge();
    const l = this.locks.get(token);
    if (!l || l.username !== username || !covers(l, path)) return undefined;
    l.timeoutS = timeoutS;
    l.expiresAt = this.now() + timeoutS * 1000;
    return l;
  }

  /** Removes a lock; false when unknown or not covering `path`. */
  unlock(username: string, token: string, path: string): boolean {
    this.purge();
    const l = this.locks.get(token);
    if (!l || l.username !== username || !covers(l, path)) return false;
    return this.locks.delete(token);
  }

  /** Locks covering `path` (the root or an infinite ancestor). */
  covering(username: string, path: string): Lock[] {
    this.purge();
    return [...this.locks.values()].filter((l) => l.username === username && covers(l, path));
  }

  /** Locks whose root lies at or below `path` (a whole subtree is about to change). */
  within(username: string, path: string): Lock[] {
    this.purge();
    return [...this.locks.values()].filter((l) => l.username === username && isWithin(l.root, path));
  }

  /** Drops every lock rooted at or below `path` (resource deleted or moved away). */
  removeTree(username: string, path: string): void {
    for (const l of this.within(username, path)) this.locks.delete(l.token);
  }

  get(token: string): Lock | undefined {
    this.purge();
    return this.locks.get(token);
  }

  private purge(): void {
    const t = this.now();
    for (const [k, l] of this.locks) if (l.expiresAt <= t) this.locks.delete(k);
  }
}

function covers(l: Lock, path: string): boolean {
  return l.root === path || (l.depth === 'infinity' && isWithin(path, l.root));
}
