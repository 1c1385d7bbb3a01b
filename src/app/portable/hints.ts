/**
 * What portable mode prints once ready: SFTPGo's summary line (user, password, keys, directory,
 * permissions, SSH commands, patterns, then "SFTP port: N FTP port: N WebDAV URL: ..."), followed
 * by the exact commands to connect, with the real ports and user.
 */
import type { PatternsFilter } from '../../dataprovider/models.js';

/** What the summary shows; `password` is what may be printed (generated, "[redacted]" or ""). */
export interface PortableSummary {
  username: string;
  printablePassword: string;
  publicKeys: string[];
  directory: string;
  permissions: string[];
  sshCommands: string[];
  patterns: PatternsFilter[];
  sftp: { port: number; address: string };
  ftp: { port: number; address: string; tls: boolean };
  webdav: { port: number; address: string; https: boolean };
}

/** Addresses meaning "every interface": clients connect to loopback here, to the host's IP elsewhere. */
const ANY = new Set(['', '0.0.0.0', '::', '[::]']);

function hostOf(address: string): string {
  if (ANY.has(address)) return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function patternsText(patterns: PatternsFilter[]): string {
  if (patterns.length === 0) return 'none';
  return patterns.map((p) => {
    const parts = [p.path];
    if (p.allowed_patterns?.length) parts.push(`allowed ${p.allowed_patterns.join(',')}`);
    if (p.denied_patterns?.length) parts.push(`denied ${p.denied_patterns.join(',')}`);
    return parts.join(' ');
  }).join('; ');
}

/** SFTPGo's one-line summary. */
export function summaryLine(s: PortableSummary): string {
  const ports: string[] = [];
  if (s.sftp.port) ports.push(`SFTP port: ${s.sftp.port}`);
  if (s.ftp.port) ports.push(`FTP port: ${s.ftp.port}`);
  if (s.webdav.port) ports.push(`WebDAV URL: ${s.webdav.https ? 'https' : 'http'}://${hostOf(s.webdav.address)}:${s.webdav.port}/`);
  return `Portable mode ready, user: "${s.username}", password: "${s.printablePassword}", public keys: [${s.publicKeys.join(', ')}], ` +
    `directory: "${s.directory}", permissions: ${s.permissions.join(',')}, enabled ssh commands: ${s.sshCommands.join(',')}, ` +
    `file patterns filters: ${patternsText(s.patterns)}, ${ports.join(' ')}`;
}

/** The commands to connect, one per line. */
export function connectCommands(s: PortableSummary): string[] {
  const user = shellWord(s.username);
  const lines: string[] = [];
  if (s.sftp.port) {
    const host = hostOf(s.sftp.address);
    lines.push(`sftp -P ${s.sftp.port} ${user}@${host}`, `scp -P ${s.sftp.port} FILE ${user}@${host}:/`);
  }
  if (s.ftp.port) {
    const host = hostOf(s.ftp.address);
    const lftpTls = s.ftp.tls ? ` -e 'set ftp:ssl-force true'` : '';
    lines.push(`lftp${lftpTls} -p ${s.ftp.port} -u ${user} ${host}`, `curl${s.ftp.tls ? ' --ssl-reqd' : ''} -u ${user} ftp://${host}:${s.ftp.port}/`);
  }
  if (s.webdav.port) {
    const url = `${s.webdav.https ? 'https' : 'http'}://${hostOf(s.webdav.address)}:${s.webdav.port}/`;
    lines.push(`WebDAV URL: ${url}`, `curl -u ${user} ${url}`);
  }
  return lines;
}

/** The whole start-up text. */
export function connectHints(s: PortableSummary): string {
  const lines = [summaryLine(s), 'Connect with:', ...connectCommands(s).map((l) => `  ${l}`)];
  const listensEverywhere = [s.sftp, s.ftp, s.webdav].some((b) => b.port && ANY.has(b.address));
  if (listensEverywhere) lines.push('  (from another machine, use this machine\'s address instead of 127.0.0.1)');
  return lines.join('\n');
}
