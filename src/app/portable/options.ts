/**
 * `sftpgo portable` (INVENTORY §1.2): its flags turned into the throwaway user. Pure functions,
 * so every rule (random port range, generated password, pattern merging, `*` expansion, home dir
 * per storage, flag problems) is tested without starting anything.
 */
import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { isAbsolute, posix, resolve } from 'node:path';
import { FsProvider, type FilesystemConfig, type Permission, type PatternsFilter, type User } from '../../dataprovider/models.js';
import { invalidInput } from '../../util/errors.js';

/** Everything `portable` takes from its flags (paths as given; {@link absolutePaths} resolves them). */
export interface PortableFlags {
  directory: string;
  username: string;
  password: string;
  publicKeys: string[];
  permissions: string[];
  allowedPatterns: string[];
  deniedPatterns: string[];
  sftpdPort: number;
  ftpdPort: number;
  webdavPort: number;
  sshCommands: string[];
  ftpdCert: string;
  ftpdKey: string;
  webdavCert: string;
  webdavKey: string;
  logFilePath: string;
  logVerbose: boolean;
  advertiseService: boolean;
  advertiseCredentials: boolean;
  /** The storage block built from --fs-provider and the backend flags. */
  filesystem: FilesystemConfig;
}

/** SSH commands SFTPGo v2.1.2 supports (`*` expands to these). */
export const ALL_SSH_COMMANDS = [
  'md5sum', 'sha1sum', 'sha256sum', 'sha384sum', 'sha512sum', 'cd', 'pwd', 'scp', 'sftpgo-copy', 'sftpgo-remove',
  'git-receive-pack', 'git-upload-pack', 'git-upload-archive', 'rsync',
];
export const DEFAULT_SSH_COMMANDS = ['md5sum', 'sha1sum', 'cd', 'pwd', 'scp'];
export const DEFAULT_PERMISSIONS = ['list', 'download'];

/** SFTPGo's range for a random port: the dynamic ports from 49152, 15000 of them. */
export const RANDOM_PORT_MIN = 49152;
export const RANDOM_PORT_MAX = 64151;
const PASSWORD_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 0 → a random port in 49152–64151; < 0 → disabled (0 in the bindings); else as given. */
export function resolvePort(flag: number, random: (min: number, max: number) => number = randomInt): number {
  if (flag < 0) return 0;
  if (flag === 0) return random(RANDOM_PORT_MIN, RANDOM_PORT_MAX + 1);
  return flag;
}

/** 8 random characters [A-Za-z0-9], as SFTPGo generates. */
export function randomPassword(): string {
  return Array.from({ length: 8 }, () => PASSWORD_CHARS[randomInt(PASSWORD_CHARS.length)]).join('');
}

/** Splits comma lists and repeated flags into one trimmed list. */
export function flatList(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** Go's path.Clean for the dirs of pattern flags: `/sub/` and `/sub/.` are `/sub`. */
function cleanPath(dir: string): string {
  const p = posix.normalize(dir);
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/**
 * `/dir::a,b` entries (case-insensitive patterns); allowed and denied for the same dir are merged
 * into one filter. An entry without a dir or a pattern is refused (SFTPGo drops it silently).
 */
export function parsePatterns(allowed: string[], denied: string[]): PatternsFilter[] {
  const byDir = new Map<string, PatternsFilter>();
  const addAll = (entries: string[], key: 'allowed_patterns' | 'denied_patterns') => {
    for (const entry of entries) {
      const sep = entry.indexOf('::');
      const dir = sep < 0 ? '' : entry.slice(0, sep).trim();
      const patterns = sep < 0 ? [] : flatList([entry.slice(sep + 2)]).map((p) => p.toLowerCase());
      if (!dir || patterns.length === 0) throw invalidInput(`invalid pattern filter "${entry}": expected /dir::pattern1,pattern2`);
      const path = cleanPath(dir);
      const f = byDir.get(path) ?? { path, allowed_patterns: [], denied_patterns: [] };
      f[key] = [...(f[key] ?? []), ...patterns];
      byDir.set(path, f);
    }
  };
  addAll(allowed, 'allowed_patterns');
  addAll(denied, 'denied_patterns');
  return [...byDir.values()];
}

/** The SSH commands to enable; `*` means every supported one. */
export function expandSshCommands(list: string[]): string[] {
  const flat = flatList(list);
  return flat.includes('*') ? [...ALL_SSH_COMMANDS] : flat;
}

/** Storage kept on this machine's disk: the shared directory is its root. */
const isLocalStorage = (provider: number) => provider === FsProvider.Local || provider === FsProvider.Crypt;

/**
 * The user's home: the shared directory made absolute for local storage; for remote storage a
 * relative value is replaced by the OS temp dir (there it only holds temporary files).
 */
export function portableHomeDir(directory: string, provider: number, cwd = process.cwd()): string {
  const dir = directory || '.';
  if (isAbsolute(dir)) return resolve(dir);
  return isLocalStorage(provider) ? resolve(cwd, dir) : tmpdir();
}

/** Paths given relative to where `portable` was started (SFTPGo's config dir there is "."). */
export function absolutePaths(flags: PortableFlags, cwd = process.cwd()): PortableFlags {
  const abs = (p: string) => (p ? resolve(cwd, p) : p);
  return {
    ...flags,
    directory: portableHomeDir(flags.directory, flags.filesystem.provider, cwd),
    ftpdCert: abs(flags.ftpdCert), ftpdKey: abs(flags.ftpdKey),
    webdavCert: abs(flags.webdavCert), webdavKey: abs(flags.webdavKey),
    logFilePath: abs(flags.logFilePath),
  };
}

/** Every problem of the flags that SFTPGo would only find later (or never): empty when fine. */
export function flagProblems(flags: PortableFlags): string[] {
  const problems: string[] = [];
  const ports: [string, number][] = [['--sftpd-port', flags.sftpdPort], ['--ftpd-port', flags.ftpdPort], ['--webdav-port', flags.webdavPort]];
  for (const [name, port] of ports) if (port > 65535) problems.push(`${name} ${port} is not a TCP port (0..65535, < 0 disables)`);
  const pair = (what: string, cert: string, key: string) => {
    if (!!cert !== !!key) problems.push(`${what} needs both a certificate and a key file`);
  };
  pair('--ftpd-cert/--ftpd-key', flags.ftpdCert, flags.ftpdKey);
  pair('--webdav-cert/--webdav-key', flags.webdavCert, flags.webdavKey);
  return problems;
}

/** The portable user: home is the shared directory, permissions apply to "/". */
export function buildPortableUser(flags: PortableFlags, password: string): User {
  const perms = flatList(flags.permissions);
  const patterns = parsePatterns(flags.allowedPatterns, flags.deniedPatterns);
  return {
    status: 1,
    username: flags.username || 'user',
    password: password || undefined,
    public_keys: flatList(flags.publicKeys),
    home_dir: portableHomeDir(flags.directory, flags.filesystem.provider),
    permissions: { '/': (perms.includes('*') ? ['*'] : perms) as Permission[] },
    filters: patterns.length ? { file_patterns: patterns } : {},
    filesystem: flags.filesystem,
  };
}
