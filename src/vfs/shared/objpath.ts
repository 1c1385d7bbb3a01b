/**
 * Object-key mapping shared by the object stores (INVENTORY §7.3–7.5). A backend path ("/a/b",
 * already cleaned) maps to the key "<key_prefix>a/b"; a directory "/a" is the prefix "<key_prefix>a/".
 * The key prefix acts like a chroot: every key the backend touches starts with it, and `..` cannot
 * climb above it because paths are normalised to "/"-rooted form first.
 */
import path from 'node:path';
import { invalidInput } from '../../util/errors.js';

/** Normalises a backend path to "/"-rooted POSIX form; refuses NUL bytes. */
export function cleanObjectPath(p: string): string {
  if (p.includes('\0')) throw invalidInput('invalid path: NUL byte');
  const out = path.posix.normalize(`/${p}`);
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
}

/**
 * SFTPGo's rule for `key_prefix`: no leading "/", normalised to end with "/"; empty means the
 * whole bucket. A prefix that tries to climb (`../x`) is refused.
 */
export function normaliseKeyPrefix(prefix: string | undefined): string {
  const raw = (prefix ?? '').trim();
  if (raw === '' || raw === '/') return '';
  if (raw.includes('\0')) throw invalidInput('key_prefix: NUL byte');
  if (raw.split('/').some((seg) => seg === '..' || seg === '.')) throw invalidInput(`key_prefix: invalid value "${raw}"`);
  const clean = path.posix.normalize(`/${raw}`).slice(1).replace(/\/+$/, '');
  return `${clean}/`;
}

/** Maps backend paths to object keys under one key prefix. */
export class ObjectPaths {
  readonly prefix: string;

  /** @param refused characters the service would silently rewrite, with why (names holding one are refused). */
  constructor(keyPrefix: string | undefined, private readonly refused?: { chars: string; why: string }) {
    this.prefix = normaliseKeyPrefix(keyPrefix);
  }

  /** Object key of a file path ("/" has none: it is the prefix itself). */
  key(p: string): string {
    const clean = this.checked(p);
    return this.prefix + clean.slice(1);
  }

  /** Listing prefix of a directory path: "<prefix>a/" ("/" gives the key prefix itself). */
  dirPrefix(p: string): string {
    const clean = this.checked(p);
    return clean === '/' ? this.prefix : `${this.prefix}${clean.slice(1)}/`;
  }

  private checked(p: string): string {
    const clean = cleanObjectPath(p);
    const bad = this.refused && [...this.refused.chars].find((c) => clean.includes(c));
    if (bad) throw invalidInput(`invalid file name: ${JSON.stringify(bad)} is not allowed on this storage backend (${this.refused!.why})`);
    return clean;
  }

  /** True when `p` is the root of the backend. */
  isRoot(p: string): boolean {
    return cleanObjectPath(p) === '/';
  }

  /** Base name of a backend path ("/" for the root). */
  baseName(p: string): string {
    const clean = cleanObjectPath(p);
    return clean === '/' ? '/' : path.posix.basename(clean);
  }

  /** Parent directory of a backend path. */
  parent(p: string): string {
    return path.posix.dirname(cleanObjectPath(p));
  }
}
