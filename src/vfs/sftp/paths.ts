/**
 * The remote chroot (`prefix`): backend paths are "/"-rooted, cleaned (`..` cannot climb above
 * "/", NUL bytes refused) and joined to the prefix. With a prefix other than "/", remote symlinks
 * are the remaining escape: the server-side real path (SSH_FXP_REALPATH) of the first existing
 * ancestor, following dangling links, must stay inside the prefix's real path, as SFTPGo checks.
 */
import path from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { errorKindOf, ErrorKind, invalidInput, permissionDenied } from '../../util/errors.js';
import { readlink, realpath } from './ops.js';

const MAX_LINK_HOPS = 40;

/** Normalises a backend path to "/"-rooted POSIX form; refuses NUL bytes. */
export function cleanPath(p: string): string {
  if (p.includes('\0')) throw invalidInput('invalid path: NUL byte');
  const out = path.posix.normalize(`/${p}`);
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
}

function isInside(parent: string, child: string): boolean {
  return parent === '/' || child === parent || child.startsWith(`${parent}/`);
}

/** Maps backend paths to remote paths under the prefix and checks symlink escapes. */
export class RemotePaths {
  private realPrefix: string | undefined;

  constructor(readonly prefix: string) {}

  /** Remote path for a backend path, lexically confined (no symlink check). */
  remote(p: string): string {
    const clean = cleanPath(p);
    if (clean === '/') return this.prefix;
    return this.prefix === '/' ? clean : `${this.prefix}${clean}`;
  }

  /** Backend path of a remote absolute path inside the prefix (or its real path), else undefined. */
  backendOf(remote: string): string | undefined {
    for (const base of [this.prefix, this.realPrefix]) {
      if (base === undefined || !isInside(base, remote)) continue;
      const rel = base === '/' ? remote : remote.slice(base.length);
      return rel === '' ? '/' : rel;
    }
    return undefined;
  }

  /**
   * Remote path for `p` after checking that following symlinks stays inside the prefix.
   * `followLast` false checks only the parent (lstat, remove, rename or creation of a link itself).
   */
  async resolve(s: SFTPWrapper, p: string, followLast = true): Promise<string> {
    const remote = this.remote(p);
    if (this.prefix === '/' || remote === this.prefix) return remote;
    const probe = followLast ? remote : path.posix.dirname(remote);
    const real = await this.realOfFirstExisting(s, probe);
    if (!isInside(await this.getRealPrefix(s), real)) throw permissionDenied('path is outside the SFTP prefix');
    return remote;
  }

  /** Real path of the prefix (cached once it exists). */
  async getRealPrefix(s: SFTPWrapper): Promise<string> {
    if (this.realPrefix) return this.realPrefix;
    try {
      this.realPrefix = await realpath(s, this.prefix);
      return this.realPrefix;
    } catch {
      return this.prefix;
    }
  }

  private async realOfFirstExisting(s: SFTPWrapper, remote: string): Promise<string> {
    let cur = remote;
    const rest: string[] = [];
    for (let hops = 0; ; hops++) {
      try {
        const real = await realpath(s, cur);
        return rest.length ? path.posix.join(real, ...[...rest].reverse()) : real;
      } catch (err) {
        if (errorKindOf(err) !== ErrorKind.NotFound) throw err;
        const target = hops < MAX_LINK_HOPS ? await readlink(s, cur).catch(() => undefined) : undefined;
        if (target !== undefined) {
          cur = path.posix.resolve(path.posix.dirname(cur), target);
          continue;
        }
        const parent = path.posix.dirname(cur);
        if (parent === cur) return remote;
        rest.push(path.posix.basename(cur));
        cur = parent;
      }
    }
  }
}
