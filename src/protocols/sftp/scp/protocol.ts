/**
 * SCP protocol messages (the rcp protocol OpenSSH's `scp -O` speaks; there is no formal spec):
 * `C<mode> <size> <name>` a file follows, `D<mode> 0 <name>` enter a directory, `E` leave it,
 * `T<mtime> 0 <atime> 0` times of the next entry; replies are one byte, 0 = ok, 1 = warning
 * followed by a message line, 2 = fatal error followed by a message line.
 */
import { invalidInput } from '../../../util/errors.js';

/** A parsed control line. */
export type ScpMessage =
  | { kind: 'file' | 'dir'; mode: number; size: number; name: string }
  | { kind: 'end' }
  | { kind: 'times'; mtime: number; atime: number }
  | { kind: 'error'; fatal: boolean; message: string };

const ENTRY = /^([CD])([0-7]{4}) (\d+) (.+)$/;
const TIMES = /^T(\d+) (\d+) (\d+) (\d+)$/;

/** Parses one control line (without "\n"); throws InvalidInput on anything else. */
export function parseScpLine(line: string): ScpMessage {
  const code = line.charCodeAt(0);
  if (code === 1 || code === 2) return { kind: 'error', fatal: code === 2, message: line.slice(1) };
  if (line === 'E') return { kind: 'end' };
  const t = TIMES.exec(line);
  if (t) return { kind: 'times', mtime: Number(t[1]), atime: Number(t[3]) };
  const m = ENTRY.exec(line);
  if (!m) throw invalidInput(`scp: protocol error: unexpected ${JSON.stringify(line.slice(0, 64))}`);
  const name = m[4]!;
  // A name is one path element: anything else would let the source write outside the target.
  if (name.includes('/') || name === '.' || name === '..') throw invalidInput(`scp: invalid file name ${JSON.stringify(name)}`);
  return { kind: m[1] === 'C' ? 'file' : 'dir', mode: parseInt(m[2]!, 8), size: Number(m[3]), name };
}

/** `C0644 <size> <name>\n` or `D0755 0 <name>\n`. */
export function entryLine(kind: 'file' | 'dir', mode: number, size: number, name: string): string {
  const m = (mode & 0o7777).toString(8).padStart(4, '0');
  return `${kind === 'file' ? 'C' : 'D'}${m} ${kind === 'file' ? size : 0} ${name}\n`;
}

/** `T<mtime> 0 <atime> 0\n` (seconds). */
export function timesLine(mtime: Date, atime: Date): string {
  return `T${Math.floor(mtime.getTime() / 1000)} 0 ${Math.floor(atime.getTime() / 1000)} 0\n`;
}

/** A warning reply: the client prints it and goes on with the next file. */
export function warningReply(message: string): Buffer {
  return Buffer.from(`\x01scp: ${message.replace(/\n/g, ' ')}\n`);
}

/** The one-byte success reply. */
export const OK = Buffer.from([0]);

/** Parsed `scp` arguments: the last one is the path, the rest are flags (INVENTORY §3.3). */
export interface ScpArgs {
  mode: 'sink' | 'source';
  recursive: boolean;
  preserve: boolean;
  /** `-d`: the target must be a directory. */
  targetIsDir: boolean;
  path: string;
}

/** Parses `scp [-r] [-p] [-d] [-v] -t|-f [--] path`; unknown flag letters are ignored. */
export function parseScpArgs(args: string[]): ScpArgs {
  let mode: ScpArgs['mode'] | undefined;
  const flags = new Set<string>();
  let i = 0;
  for (; i < args.length - 1; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-')) throw invalidInput('scp: only one path is supported');
    for (const ch of a.slice(1)) flags.add(ch);
  }
  if (flags.has('t')) mode = 'sink';
  if (flags.has('f')) mode = mode ? undefined : 'source';
  if (!mode) throw invalidInput('scp: exactly one of -t or -f is required');
  if (i !== args.length - 1) throw invalidInput('scp: exactly one path is required');
  return { mode, recursive: flags.has('r'), preserve: flags.has('p'), targetIsDir: flags.has('d'), path: args[i]! };
}
