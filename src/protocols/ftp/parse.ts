/**
 * Parsing and formatting of FTP arguments: paths relative to the working directory, PORT/EPRT
 * host-ports (RFC 959 §4.1.2, RFC 2428), time values (RFC 3659 §2.3, fractions allowed), LIST
 * options and quoted COMB arguments.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { cleanVirtualPath } from '../../core/vpath.js';
import { invalidInput } from '../../util/errors.js';

/** The clean virtual path an argument names, from the working directory. */
export function resolvePath(cwd: string, arg: string): string {
  return cleanVirtualPath(arg.startsWith('/') ? arg : `${cwd}/${arg}`);
}

/** `h1,h2,h3,h4,p1,p2` of PORT. */
export function parsePortArg(arg: string): { host: string; port: number } {
  const parts = arg.trim().split(',');
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (nums.length !== 6 || nums.some((n) => Number.isNaN(n) || n > 255)) throw invalidInput(`invalid PORT argument: ${arg}`);
  const port = nums[4]! * 256 + nums[5]!;
  if (port === 0) throw invalidInput('invalid PORT argument: port 0');
  return { host: nums.slice(0, 4).join('.'), port };
}

/** `<d><proto><d><addr><d><port><d>` of EPRT (RFC 2428 §2); proto 1 = IPv4, 2 = IPv6. */
export function parseEprtArg(arg: string): { host: string; port: number } {
  const d = arg[0];
  const parts = d ? arg.split(d) : [];
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') throw invalidInput(`invalid EPRT argument: ${arg}`);
  const [, proto, host, portText] = parts as [string, string, string, string, string];
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port > 0 && port < 65536)) throw invalidInput(`invalid EPRT port: ${portText}`);
  if ((proto === '1' && isIPv4(host)) || (proto === '2' && isIPv6(host))) return { host, port };
  throw invalidInput(`invalid EPRT address: ${arg}`);
}

/** `(h1,h2,h3,h4,p1,p2)` of a 227 reply. */
export function pasvAddress(ipv4: string, port: number): string {
  return `(${ipv4.split('.').join(',')},${Math.floor(port / 256)},${port % 256})`;
}

const TIME_VAL = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?$/;

/** RFC 3659 time-val (UTC, optional fraction) to a Date; undefined when malformed. */
export function parseTimeVal(text: string): Date | undefined {
  const m = TIME_VAL.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 60) return undefined;
  return date;
}

/** Date to `YYYYMMDDHHMMSS` (UTC), as MDTM and MLSD `modify` use. */
export function formatTimeVal(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/**
 * Splits `MDTM <time> <path>` / `MFMT <time> <path>`; undefined when the argument has no leading
 * time-val (then MDTM is the query form).
 */
export function splitTimeAndPath(arg: string): { time: Date; path: string } | undefined {
  const sp = arg.indexOf(' ');
  if (sp < 0) return undefined;
  const time = parseTimeVal(arg.slice(0, sp));
  const p = arg.slice(sp + 1);
  return time && p ? { time, path: p } : undefined;
}

const LIST_OPTIONS = /^-[a-zA-Z]+$/;

/** LIST/NLST/STAT arguments: leading `ls` options (`-a`, `-la`...) clients add are dropped. */
export function listTarget(arg: string): { target: string; stripped: string | undefined } {
  const parts = arg.split(' ');
  let i = 0;
  while (i < parts.length && LIST_OPTIONS.test(parts[i]!)) i++;
  if (i === 0) return { target: arg, stripped: undefined };
  return { target: arg, stripped: parts.slice(i).join(' ') };
}

/** Space-separated arguments where double quotes group a name with spaces (COMB). */
export function quotedArgs(arg: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"]|"")*)"|(\S+)/g;
  for (let m; (m = re.exec(arg)); ) out.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
  return out;
}
