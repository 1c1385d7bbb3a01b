/**
 * In-memory write locks (RFC 4918 §6–7), one manager per WebDAV server, as SFTPGo keeps them.
 * A lock is held by whoever submits its token, not by the user: a second client of the same user
 * without the token is refused (litmus `notowner_modify`). Virtual paths are per user, so locks of
 * one user never cover another user's paths. Expired locks are purged lazily on every call, so no
 * timer keeps the process alive.
 */
import { randomUUID } from 'node:crypto';
import { DavError } from './status-map.js';

/** Locks one user may hold at once, so a client cannot grow the table without bound. */
export const MAX_LOCKS_PER_USER = 10_000;

/** RFC 4918 §6.2 lock scopes (only write locks exist). */
export type LockScope = 'exclusive' | 'shared';

/** A granted lock. */
export interface Lock {
  token: string;
  username: string;
  /** Clean virtual path of the lock root. */
  root: string;
  /** The root is a collection (its href ends with "/"). */
  collection: boolean;
  depth: 0 | 'infinity';
  scope: LockScope;
  /** Serialized DAV:owner element content as the client sent it (may be ""). */
  ownerXml: string;
  timeoutS: number;
  expiresAt: number;
}

/** What a LOCK request asks for. */
export interface LockRequest {
  username: string;
  root: string;
  collection: boolean;
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

/** Every lock of one server. */
export class LockManager {
  private readonly locks = new Map<string, Lock>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Creates a lock or throws 423 when an incompatible lock exists. */
  create(req: LockRequest): Lock {
    this.purge();
    const clash = this.conflicting(req.username, req.root, req.depth, req.scope);
    if (clash) throw new DavError(423, `resource locked: ${clash.root}`, 'no-conflicting-lock');
    if (this.count(req.username) >= MAX_LOCKS_PER_USER) throw new DavError(503, 'too many locks held');
    const lock: Lock = { ...req, token: `urn:uuid:${randomUUID()}`, expiresAt: this.now() + req.timeoutS * 1000 };
    this.locks.set(lock.token, lock);
    return lock;
  }

  private count(username: string): number {
    let n = 0;
    for (const l of this.locks.values()) if (l.username === username) n++;
    return n;
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

  /** The lock with that token, if alive. */
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
