/**
 * The WebDAV users cache (`webdavd.cache.users`, INVENTORY §3.5). Every WebDAV request logs in
 * again, and a password hash check costs milliseconds of CPU, so a successful login is kept:
 * the user, a digest of the secret that proved it, and a fingerprint of the stored user record.
 * A later request with the same secret skips hooks, the hash check and last_login; the record is
 * re-read (a cheap lookup) and any change to it (password, permissions, filesystem, status...)
 * drops the entry, which is how updates on this or another node invalidate it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { LoginMethod, User } from '../../dataprovider/models.js';

/** One cached login. */
export interface CachedLogin {
  user: User;
  method: LoginMethod;
  /** sha256 of the password and certificate fingerprint that proved the login. */
  secret: Buffer;
  /** Fingerprint of the stored record when the login happened. */
  record: string;
  /** ms epoch; 0 = never expires. */
  expiresAt: number;
}

/** Digest of the presented secrets (never kept in clear). */
export function secretDigest(password: string | undefined, certFingerprint: string | undefined): Buffer {
  return createHash('sha256').update(`${password ?? ''}\0${certFingerprint ?? ''}`).digest();
}

/** Fields that change on every transfer or login; they do not invalidate a cached login. */
const VOLATILE = new Set(['used_quota_size', 'used_quota_files', 'last_quota_update', 'last_login', 'updated_at']);

/** Stable fingerprint of a stored user record, ignoring volatile counters. */
export function recordFingerprint(user: User): string {
  const json = JSON.stringify(user, (k, v: unknown) => (VOLATILE.has(k) ? undefined : v));
  return createHash('sha256').update(json).digest('base64');
}

/** The cache of successful logins, by username. */
export class UserCache {
  private readonly entries = new Map<string, CachedLogin>();

  /**
   * @param expirationMin minutes an entry lives; 0 = until invalidated
   * @param maxSize entries at most; 0 = unlimited. When full, the entry expiring first goes.
   */
  constructor(private readonly expirationMin: number, private readonly maxSize: number, private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.entries.size;
  }

  /** The live entry whose secret matches, or undefined (a mismatch is a normal login). */
  lookup(username: string, secret: Buffer): CachedLogin | undefined {
    const e = this.entries.get(username);
    if (!e) return undefined;
    if (e.expiresAt > 0 && e.expiresAt <= this.now()) {
      this.entries.delete(username);
      return undefined;
    }
    return timingSafeEqual(e.secret, secret) ? e : undefined;
  }

  put(username: string, entry: Omit<CachedLogin, 'expiresAt'>): void {
    this.entries.delete(username);
    if (this.maxSize > 0 && this.entries.size >= this.maxSize) this.evict();
    const expiresAt = this.expirationMin > 0 ? this.now() + this.expirationMin * 60_000 : 0;
    this.entries.set(username, { ...entry, expiresAt });
  }

  delete(username: string): void {
    this.entries.delete(username);
  }

  /** Drops the entry with the oldest expiration (insertion order breaks ties: Map keeps it). */
  private evict(): void {
    let victim: string | undefined;
    let oldest = Infinity;
    for (const [name, e] of this.entries) {
      const at = e.expiresAt === 0 ? Number.MAX_SAFE_INTEGER : e.expiresAt;
      if (at < oldest) {
        oldest = at;
        victim = name;
      }
    }
    if (victim !== undefined) this.entries.delete(victim);
  }
}
