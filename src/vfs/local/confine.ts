/**
 * Confinement of backend paths under a local root (INVENTORY §4.16).
 *
 * Backend paths are POSIX, "/"-rooted and relative to the root. They are normalised with a leading
 * "/" so `..` can never climb above the root, NUL bytes are refused, and the bytes of each name are
 * kept as given (no Unicode normalisation: two names that differ only in NFC/NFD form are different
 * files on Linux, and normalising would make one of them unreachable). Symlinks are the remaining
 * escape: the real path of the first existing ancestor must stay inside the real root.
 */
import { readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { invalidInput, permissionDenied } from '../../util/errors.js';

/** Normalises a backend path to "/"-rooted POSIX form; refuses NUL bytes. */
export function cleanBackendPath(p: string): string {
  if (p.includes('\0')) throw invalidInput('invalid path: NUL byte');
  const out = path.posix.normalize(`/${p}`);
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
}

/** True when `child` is `parent` or below it (both absolute, normalised host paths). */
export function isInside(parent: string, child: string): boolean {
  if (child === parent) return true;
  const base = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child.startsWith(base);
}

/** Maps backend paths to host paths under `root` and checks symlink escapes. */
export class Confiner {
  private realRoot: string | undefined;

  constructor(readonly root: string) {}

  /** Host path for a backend path, lexically confined (no symlink check). */
  hostPath(p: string): string {
    const clean = cleanBackendPath(p);
    return clean === '/' ? this.root : path.join(this.root, clean.slice(1));
  }

  /** Backend path for a host path inside the root, or undefined when outside. */
  backendPath(host: string, realRoot = this.root): string | undefined {
    if (!isInside(realRoot, host)) return undefined;
    const rel = path.relative(realRoot, host);
    return rel === '' ? '/' : `/${rel.split(path.sep).join('/')}`;
  }

  /** The root's real path (cached once it exists). */
  async getRealRoot(): Promise<string> {
    if (this.realRoot) return this.realRoot;
    try {
      this.realRoot = await realpath(this.root);
      return this.realRoot;
    } catch {
      return this.root;
    }
  }

  /**
   * Host path for `p` after checking that following symlinks stays inside the root.
   * `followLast` false checks only the parent (lstat, remove, rename of a link itself).
   */
  async resolve(p: string, followLast = true): Promise<string> {
    const host = this.hostPath(p);
    if (host === this.root) return host;
    const probe = followLast ? host : path.dirname(host);
    const real = await this.realOfFirstExisting(probe);
    if (!isInside(await this.getRealRoot(), real)) throw permissionDenied('path is outside the root');
    return host;
  }

  /**
   * Real path of `host`, or of its first existing ancestor joined with the missing rest. A dangling
   * symlink is followed through its target (creating a file through it would land there).
   */
  private async realOfFirstExisting(host: string): Promise<string> {
    let cur = host;
    const rest: string[] = [];
    for (let hops = 0; ; hops++) {
      try {
        const real = await realpath(cur);
        return rest.length ? path.join(real, ...[...rest].reverse()) : real;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
        const target = hops < 40 ? await readlink(cur).catch(() => undefined) : undefined;
        if (target !== undefined) {
          cur = path.resolve(path.dirname(cur), target);
          continue;
        }
        const parent = path.dirname(cur);
        if (parent === cur) return host;
        rest.push(path.basename(cur));
        cur = parent;
      }
    }
  }
}
