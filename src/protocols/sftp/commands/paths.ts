/** Command arguments to virtual paths (INVENTORY §3.2: last argument, cleaned, trailing "/" kept). */
import { posix } from 'node:path';

/** The cleaned virtual path of an argument; relative paths start at the home ("/"). */
export function argPath(arg: string): string {
  return posix.resolve('/', arg || '.');
}

/** True when the argument names a directory explicitly (trailing "/"). */
export function hasTrailingSlash(arg: string): boolean {
  return arg.length > 1 && arg.endsWith('/');
}
