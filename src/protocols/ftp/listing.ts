/**
 * Directory listing formats: LIST in `ls -l` style (what lftp, curl and Go clients parse), NLST
 * names, and RFC 3659 MLSD/MLST facts (type, size, modify, perm, unix.mode), with the set of facts
 * chosen by OPTS MLST. Times are UTC.
 */
import type { Permissions } from '../../core/permissions.js';
import type { FileInfo } from '../../vfs/types.js';
import { formatTimeVal } from './parse.js';

/** Facts we can give, as FEAT advertises them (all on by default). */
export const MLST_FACTS = ['type', 'size', 'modify', 'perm', 'unix.mode'] as const;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = 182 * 24 * 3600 * 1000;

/** `drwxr-xr-x` style mode string. */
export function modeString(info: Pick<FileInfo, 'type' | 'mode'>): string {
  const type = info.type === 'dir' ? 'd' : info.type === 'symlink' ? 'l' : info.type === 'other' ? '?' : '-';
  const m = info.mode;
  const bit = (mask: number, c: string) => (m & mask ? c : '-');
  const special = (x: boolean, s: boolean, lower: string, upper: string) => (s ? (x ? lower : upper) : x ? 'x' : '-');
  return type
    + bit(0o400, 'r') + bit(0o200, 'w') + special(!!(m & 0o100), !!(m & 0o4000), 's', 'S')
    + bit(0o40, 'r') + bit(0o20, 'w') + special(!!(m & 0o10), !!(m & 0o2000), 's', 'S')
    + bit(0o4, 'r') + bit(0o2, 'w') + special(!!(m & 0o1), !!(m & 0o1000), 't', 'T');
}

/** `Mmm dd HH:MM` for recent times, `Mmm dd  YYYY` otherwise (as `ls -l`). */
export function listDate(mtime: Date, now: Date): string {
  const day = String(mtime.getUTCDate()).padStart(2, ' ');
  const head = `${MONTHS[mtime.getUTCMonth()]} ${day}`;
  const age = now.getTime() - mtime.getTime();
  if (age < SIX_MONTHS_MS && age > -SIX_MONTHS_MS) {
    const hh = String(mtime.getUTCHours()).padStart(2, '0');
    const mm = String(mtime.getUTCMinutes()).padStart(2, '0');
    return `${head} ${hh}:${mm}`;
  }
  return `${head}  ${mtime.getUTCFullYear()}`;
}

/** One LIST line; `linkTarget` (a virtual path) is shown for symlinks. */
export function listLine(info: FileInfo, now: Date, linkTarget?: string): string {
  const size = String(info.size).padStart(13, ' ');
  const name = info.type === 'symlink' && linkTarget ? `${info.name} -> ${linkTarget}` : info.name;
  return `${modeString(info)}   1 ftp      ftp ${size} ${listDate(info.mtime, now)} ${name}`;
}

/**
 * RFC 3659 §7.5.5 `perm` fact from the user's permissions: files (a d f r w) use the permissions
 * of their directory, directories (c d e f l m p) their own for what happens inside them.
 */
export function permFact(perms: Permissions, parentDir: string, info: FileInfo, selfPath: string): string {
  const has = (dir: string, p: Parameters<Permissions['has']>[1]) => perms.has(dir, p);
  if (info.type === 'dir') {
    return (has(selfPath, 'upload') ? 'c' : '') + (has(parentDir, 'delete') ? 'd' : '') + (has(selfPath, 'list') ? 'el' : '')
      + (has(parentDir, 'rename') ? 'f' : '') + (has(selfPath, 'create_dirs') ? 'm' : '') + (has(selfPath, 'delete') ? 'p' : '');
  }
  return (has(parentDir, 'overwrite') ? 'a' : '') + (has(parentDir, 'delete') ? 'd' : '') + (has(parentDir, 'rename') ? 'f' : '')
    + (has(parentDir, 'download') ? 'r' : '') + (has(parentDir, 'overwrite') ? 'w' : '');
}

/** The `fact=value;` part of an MLSD/MLST entry, only the selected facts. */
export function mlsxFacts(info: FileInfo, selected: ReadonlySet<string>, perm: string): string {
  const out: string[] = [];
  if (selected.has('type')) out.push(`type=${info.type === 'dir' ? 'dir' : info.type === 'file' ? 'file' : 'OS.unix=slink'}`);
  if (selected.has('size') && info.type !== 'dir') out.push(`size=${info.size}`);
  if (selected.has('modify')) out.push(`modify=${formatTimeVal(info.mtime)}`);
  if (selected.has('perm')) out.push(`perm=${perm}`);
  if (selected.has('unix.mode')) out.push(`unix.mode=0${(info.mode & 0o7777).toString(8)}`);
  return out.map((f) => `${f};`).join('');
}

/** Parses `OPTS MLST fact;fact;` into the facts we know (case-insensitive, RFC 3659 §7.9). */
export function selectFacts(arg: string): Set<string> {
  const wanted = arg.split(';').map((f) => f.trim().toLowerCase()).filter(Boolean);
  return new Set(MLST_FACTS.filter((f) => wanted.includes(f)));
}

/** FEAT line for MLST: every fact, `*` marking the selected ones. */
export function mlstFeature(selected: ReadonlySet<string>): string {
  return `MLST ${MLST_FACTS.map((f) => `${f}${selected.has(f) ? '*' : ''};`).join('')}`;
}
