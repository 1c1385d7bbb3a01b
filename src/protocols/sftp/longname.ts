/** `ls -l` style long names for READDIR (OpenSSH's `ls -l` prints them verbatim). */
import type { FileInfo } from '../../vfs/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = 182 * 24 * 3600 * 1000;

/** `drwxr-xr-x` style permission string, with setuid/setgid/sticky letters. */
export function modeString(info: FileInfo): string {
  const t = info.type === 'dir' ? 'd' : info.type === 'symlink' ? 'l' : '-';
  const m = info.mode;
  const bit = (mask: number, ch: string) => (m & mask ? ch : '-');
  const special = (exec: boolean, set: boolean, on: string, off: string) => (set ? (exec ? on : off) : exec ? 'x' : '-');
  return t
    + bit(0o400, 'r') + bit(0o200, 'w') + special(!!(m & 0o100), !!(m & 0o4000), 's', 'S')
    + bit(0o040, 'r') + bit(0o020, 'w') + special(!!(m & 0o010), !!(m & 0o2000), 's', 'S')
    + bit(0o004, 'r') + bit(0o002, 'w') + special(!!(m & 0o001), !!(m & 0o1000), 't', 'T');
}

/** Date column: `Jan  2 15:04` for recent files, `Jan  2  2006` otherwise (as ls). */
export function lsDate(d: Date, now: Date): string {
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const mon = MONTHS[d.getUTCMonth()]!;
  const recent = Math.abs(now.getTime() - d.getTime()) < SIX_MONTHS_MS;
  if (recent) {
    const hh = String(d.getUTCHours()).padStart(2, '0');
    const mm = String(d.getUTCMinutes()).padStart(2, '0');
    return `${mon} ${day} ${hh}:${mm}`;
  }
  return `${mon} ${day}  ${d.getUTCFullYear()}`;
}

/** The full long name: mode, links, owner, group, size, date, name. */
export function longName(info: FileInfo, now = new Date()): string {
  const owner = String(info.uid ?? 0).padEnd(8, ' ');
  const group = String(info.gid ?? 0).padEnd(8, ' ');
  const size = String(info.size).padStart(8, ' ');
  return `${modeString(info)}    1 ${owner} ${group} ${size} ${lsDate(info.mtime, now)} ${info.name}`;
}
