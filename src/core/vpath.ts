/**
 * Virtual path helpers. Virtual paths are cleaned POSIX paths rooted at "/" (INVENTORY §4.16);
 * nothing is decoded here (protocols decode their own escapes), so "%2e%2e" is a plain name.
 */
import path from 'node:path';
import { invalidInput } from '../util/errors.js';

/** Cleans a client path: rooted at "/", `.`/`..` resolved lexically, no trailing "/". Refuses NUL. */
export function cleanVirtualPath(p: string): string {
  if (p.includes('\0')) throw invalidInput('invalid path: NUL byte');
  const out = path.posix.normalize(`/${p}`);
  return out.length > 1 && out.endsWith('/') ? out.slice(0, -1) : out;
}

/** Parent of a clean virtual path ("/" for "/"). */
export function parentOf(vpath: string): string {
  return path.posix.dirname(vpath);
}

/** Base name of a clean virtual path. */
export function baseOf(vpath: string): string {
  return vpath === '/' ? '/' : path.posix.basename(vpath);
}

/** True when `child` is `dir` or below it. */
export function isUnder(dir: string, child: string): boolean {
  return child === dir || dir === '/' || child.startsWith(`${dir}/`);
}

/** Every ancestor of a clean path from itself up to "/". */
export function* selfAndAncestors(vpath: string): Generator<string> {
  let cur = vpath;
  for (;;) {
    yield cur;
    if (cur === '/') return;
    cur = parentOf(cur);
  }
}
