/**
 * SFTPGo's transfer and command log lines (INVENTORY §9.1), which fail2ban filters, log shippers
 * and admins parse. Field names, order, the -1/"" placeholders and the formats are SFTPGo's:
 * - transfer: `sender` Upload|Download, remote_addr, elapsed_ms, size_bytes, username, file_path,
 *   connection_id, protocol;
 * - command: `sender` Rename|Rmdir|Mkdir|Symlink|Remove|Chmod|Chown|Chtimes|Truncate|SSHCommand,
 *   remote_addr, username, file_path, target_path, filemode, uid, gid, access_time,
 *   modification_time, size, ssh_command, connection_id, protocol.
 * Like SFTPGo's they have no `message`. `file_path` is the backend's own path (host path, object
 * key), as SFTPGo logs its resolved fsPath, not the virtual path.
 *
 * The lines go to an unbound logger: they carry `connection_id` and `protocol` as their own fields
 * (a connection's child logger already has both bound, and pino would write them twice).
 */
import type { Logger } from 'pino';
import type { ConnectionProtocol } from '../dataprovider/models.js';
import type { Resolved } from './vfolders.js';

/** Senders of the command log. */
export type CommandSender =
  | 'Rename' | 'Rmdir' | 'Mkdir' | 'Symlink' | 'Remove' | 'Chmod' | 'Chown' | 'Chtimes' | 'Truncate' | 'SSHCommand';

/** What a command line says beyond the connection; absent numbers are -1, absent strings "". */
export interface CommandFields {
  filePath: string;
  targetPath?: string;
  /** Already formatted as Go's FileMode.String() ({@link goFileMode}). */
  fileMode?: string;
  uid?: number;
  gid?: number;
  atime?: Date;
  mtime?: Date;
  size?: number;
  sshCommand?: string;
}

/** Who the lines are about. */
export interface OpLogIdentity {
  connectionId: string;
  protocol: ConnectionProtocol;
  username: string;
  /** "ip:port", as Go prints a TCP address. */
  remoteAddr: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** SFTPGo's chtimes format, local time: `2006-01-02T15:04:05`. */
export function formatChtime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** POSIX file type bits to Go's mode letters (`d`, `L`, `D`, `p`, `S`, `Dc`), in Go's order. */
const TYPE_LETTERS: Readonly<Record<number, string>> = {
  0o040000: 'd', 0o120000: 'L', 0o060000: 'D', 0o010000: 'p', 0o140000: 'S', 0o020000: 'D',
};

/**
 * Go's `os.FileMode.String()` of a POSIX mode: the letters of the set type/special bits in Go's
 * order ("dalTLDpSugct?": u = setuid, g = setgid, c = char device, t = sticky), or "-" when none,
 * then rwxrwxrwx. SFTPGo logs chmod modes this way.
 */
export function goFileMode(mode: number): string {
  const type = mode & 0o170000;
  let head = TYPE_LETTERS[type] ?? '';
  if (mode & 0o4000) head += 'u';
  if (mode & 0o2000) head += 'g';
  if (type === 0o020000) head += 'c';
  if (mode & 0o1000) head += 't';
  const rwx = 'rwxrwxrwx';
  let perms = '';
  for (let i = 0; i < 9; i++) perms += mode & (1 << (8 - i)) ? rwx[i] : '-';
  return (head || '-') + perms;
}

/** The path a log line shows for a resolved virtual path (no I/O; falls back to the backend path). */
export function nativePathOf(res: Resolved): string {
  try {
    return res.fs.nativePath?.(res.fsPath) ?? res.fsPath;
  } catch {
    return res.fsPath;
  }
}

/** Writes one connection's transfer and command lines. */
export class OpLog {
  constructor(private readonly logger: Logger, private readonly who: OpLogIdentity) {}

  /** One line per finished transfer, success or failure. */
  transfer(sender: 'Upload' | 'Download', filePath: string, elapsedMs: number, sizeBytes: number): void {
    const w = this.who;
    this.logger.info({
      sender, remote_addr: w.remoteAddr, elapsed_ms: elapsedMs, size_bytes: sizeBytes, username: w.username,
      file_path: filePath, connection_id: w.connectionId, protocol: w.protocol,
    });
  }

  /** One line per successful command. */
  command(sender: CommandSender, f: CommandFields): void {
    const w = this.who;
    this.logger.info({
      sender, remote_addr: w.remoteAddr, username: w.username, file_path: f.filePath, target_path: f.targetPath ?? '',
      filemode: f.fileMode ?? '', uid: f.uid ?? -1, gid: f.gid ?? -1,
      access_time: f.atime ? formatChtime(f.atime) : '', modification_time: f.mtime ? formatChtime(f.mtime) : '',
      size: f.size ?? -1, ssh_command: f.sshCommand ?? '', connection_id: w.connectionId, protocol: w.protocol,
    });
  }
}
