/**
 * `sftpgo portable` (INVENTORY §1.2): its flags turned into the throwaway user and the config
 * overrides. Pure functions, so every rule (random port range, generated password, pattern
 * merging, `*` expansion) is tested without starting anything.
 */
import { randomInt } from 'node:crypto';
import { posix, resolve } from 'node:path';
import type { FilesystemConfig, Permission, PatternsFilter, User } from '../../dataprovider/models.js';
import { invalidInput } from '../../util/errors.js';

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
  /** The storage block built from the --fs-provider and backend flags. */
  filesystem: FilesystemConfig;
}

/** SSH commands SFTPGo v2.1.2 supports (`*` expands to these). */
export const ALL_SSH_COMMANDS = [
  'md5sum', 'sha1sum', 'sha256sum', 'sha384sum', 'sha512sum', 'cd', 'pwd', 'scp', 'sftpgo-copy', 'sftpgo-remove',
  'git-receive-pack', 'git-upload-pack', 'git-upload-archive', 'rsync',
];
export const DEFAULT_SSH_COMMANDS = ['md5sum', 'sha1sum', 'cd', 'pwd', 'scp'];

const PORT_MIN = 49152;
const PORT_MAX = 64151;
const PASSWORD_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 0 → a random port in SFTPGo's range 49152–64151; < 0 → disabled (0 in the bindings); else as given. */
export function resolvePort(flag: number, random: (min: number, max: number) => number = randomInt): number {
  if (flag < 0) return 0;
  if (flag === 0) return random(PORT_MIN, PORT_MAX + 1);
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

/** `/dir::a,b` entries; allowed and denied for the same dir are merged into one filter. */
export function parsePatterns(allowed: string[], denied: string[]): PatternsFilter[] {
  const byDir = new Map<string, PatternsFilter>();
  const addAll = (entries: string[], key: 'allowed_patterns' | 'denied_patterns') => {
    for (const entry of entries) {
      const sep = entry.indexOf('::');
      if (sep < 0) throw invalidInput(`invalid pattern filter "${entry}": expected /dir::pattern1,pattern2`);
      const dir = posix.normalize(entry.slice(0, sep) || '/');
      const patterns = flatList([entry.slice(sep + 2)]).map((p) => p.toLowerCase());
      const f = byDir.get(dir) ?? { path: dir, allowed_patterns: [], denied_patterns: [] };
      f[key] = [...(f[key] ?? []), ...patterns];
      byDir.set(dir, f);
    }
  };
  addAll(allowed, 'allowed_patterns');
  addAll(denied, 'denied_patterns');
  return [...byDir.values()];
}

export function expandSshCommands(list: string[]): string[] {
  const flat = flatList(list);
  return flat.includes('*') ? [...ALL_SSH_COMMANDS] : flat;
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
    home_dir: resolve(flags.directory || '.'),
    permissions: { '/': (perms.includes('*') ? ['*'] : perms) as Permission[] },
    filters: patterns.length ? { file_patterns: patterns } : {},
    filesystem: flags.filesystem,
  };
}
