/** Command arguments to virtual paths (INVENTORY §3.2: last argument, cleaned, trailing "/" kept). */
import { posix } from 'node:path';

/**
 * The cleaned virtual path of a client path (an SFTP request, an SSH command or SCP argument):
 * relative paths start at the home ("/") and `..` never climbs above it.
 */
export function argPath(arg: string): string {
  return posix.resolve('/', arg || '.');
}

/** True when the argument names a directory explicitly (trailing "/"). */
export function hasTrailingSlash(arg: string): boolean {
  return arg.length > 1 && arg.endsWith('/');
}
