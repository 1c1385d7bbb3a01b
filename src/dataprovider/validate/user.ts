/**
 * User validation (INVENTORY §4.1, §4.3–4.5): returns the normalized user or throws one
 * InvalidInput error listing every problem with its field name. Password hashing and secret
 * encryption happen later, in the service; here only shape and rules are checked.
 */
import { isAbsolute, posix } from 'node:path';
import {
  LOGIN_METHODS, PERMISSIONS, SUPPORTED_PROTOCOLS, WEB_CLIENT_OPTIONS,
  type DirPermissions, type Permission, type User, type UserFilters, type VirtualFolder,
} from '../models.js';
import { validationError } from '../../util/errors.js';
import {
  add, checkCidrs, checkEnum, checkName, checkNonNegativeInt, checkSubset, cleanPath, type Problems,
} from './common.js';
import { parsePublicKey } from './publickeys.js';
import { checkFilesystem } from './filesystem.js';
import { checkPatterns } from './patterns.js';

export interface UserValidationOptions {
  skipNaturalKeysValidation: boolean;
  /** data_provider.users_base_dir: default home = <base>/<username>. */
  usersBaseDir: string;
}

/** Validates and normalizes a user; throws InvalidInput naming every bad field. */
export function validateUser(input: User, opts: UserValidationOptions): User {
  const problems: Problems = [];
  const user: User = structuredClone(input);
  checkName(problems, 'username', user.username, opts.skipNaturalKeysValidation);
  if (!user.home_dir && opts.usersBaseDir && user.username) user.home_dir = posix.join(opts.usersBaseDir, user.username);
  if (!user.home_dir) add(problems, 'home_dir', 'is required');
  else if (!isAbsolute(user.home_dir)) add(problems, 'home_dir', `"${user.home_dir}" must be an absolute path`);
  else user.home_dir = cleanPath(user.home_dir);
  checkEnum(problems, 'status', user.status, [0, 1]);
  user.public_keys = checkKeys(problems, user.public_keys);
  if (!user.password && user.public_keys.length === 0) add(problems, 'password', 'a password or at least one public key is required');
  user.permissions = checkPermissions(problems, user.permissions);
  for (const f of ['expiration_date', 'uid', 'gid', 'max_sessions', 'quota_size', 'quota_files', 'upload_bandwidth', 'download_bandwidth'] as const) {
    checkNonNegativeInt(problems, f, user[f]);
  }
  user.filters = checkFilters(problems, user.filters ?? {});
  user.virtual_folders = checkVirtualFolders(problems, user.virtual_folders ?? [], user.home_dir);
  user.filesystem = checkFilesystem(problems, 'filesystem', user.filesystem);
  if (problems.length) throw validationError(problems);
  return user;
}

function checkKeys(problems: Problems, keys: unknown): string[] {
  if (keys === undefined || keys === null) return [];
  if (!Array.isArray(keys)) {
    add(problems, 'public_keys', 'must be a list');
    return [];
  }
  const seen = new Set<string>();
  const out: string[] = [];
  keys.forEach((k, i) => {
    const parsed = typeof k === 'string' ? parsePublicKey(k) : undefined;
    if (!parsed) return add(problems, `public_keys[${i}]`, 'is not a valid OpenSSH public key');
    const id = parsed.blob.toString('base64');
    if (!seen.has(id)) {
      seen.add(id);
      out.push(String(k).trim());
    }
  });
  return out;
}

function checkPermissions(problems: Problems, perms: unknown): DirPermissions {
  const out: DirPermissions = {};
  if (!perms || typeof perms !== 'object' || Array.isArray(perms)) {
    add(problems, 'permissions', 'is required and must map directories to permission lists');
    return out;
  }
  for (const [dir, list] of Object.entries(perms as Record<string, unknown>)) {
    const field = `permissions["${dir}"]`;
    const clean = dir.startsWith('/') ? posix.normalize(dir).replace(/(.)\/$/, '$1') : '';
    if (!clean) add(problems, field, 'directory must be an absolute path');
    const valid = checkSubset<Permission>(problems, field, list, PERMISSIONS) ?? [];
    if (clean === '/' && valid.length === 0) add(problems, field, 'permissions for "/" must not be empty');
    if (clean) out[clean] = valid.includes('*') ? ['*'] : valid;
  }
  if (!out['/']) add(problems, 'permissions', 'permissions for the root directory "/" are required');
  return out;
}

function checkFilters(problems: Problems, f: UserFilters): UserFilters {
  checkCidrs(problems, 'filters.allowed_ip', f.allowed_ip);
  checkCidrs(problems, 'filters.denied_ip', f.denied_ip);
  const methods = checkSubset(problems, 'filters.denied_login_methods', f.denied_login_methods, LOGIN_METHODS);
  if (methods && methods.length >= LOGIN_METHODS.length) add(problems, 'filters.denied_login_methods', 'cannot deny every login method');
  const protocols = checkSubset(problems, 'filters.denied_protocols', f.denied_protocols, SUPPORTED_PROTOCOLS);
  if (protocols && protocols.length >= SUPPORTED_PROTOCOLS.length) add(problems, 'filters.denied_protocols', 'cannot deny every protocol');
  checkNonNegativeInt(problems, 'filters.max_upload_file_size', f.max_upload_file_size);
  checkEnum(problems, 'filters.tls_username', f.tls_username, ['None', 'CommonName', '']);
  const webClient = checkSubset(problems, 'filters.web_client', f.web_client, WEB_CLIENT_OPTIONS);
  return {
    ...f,
    ...(methods ? { denied_login_methods: methods } : {}),
    ...(protocols ? { denied_protocols: protocols } : {}),
    ...(webClient ? { web_client: webClient } : {}),
    file_patterns: checkPatterns(problems, f.file_patterns),
  };
}

function checkVirtualFolders(problems: Problems, folders: VirtualFolder[], home: string): VirtualFolder[] {
  if (!Array.isArray(folders)) {
    add(problems, 'virtual_folders', 'must be a list');
    return [];
  }
  const paths = new Set<string>();
  const mapped = new Set<string>();
  return folders.map((vf, i) => {
    const field = `virtual_folders[${i}]`;
    checkName(problems, `${field}.name`, vf.name, true);
    const vp = typeof vf.virtual_path === 'string' ? posix.normalize(vf.virtual_path).replace(/(.)\/$/, '$1') : '';
    if (!vp.startsWith('/') || vp === '/') add(problems, `${field}.virtual_path`, 'must be an absolute path other than "/"');
    else if (paths.has(vp)) add(problems, `${field}.virtual_path`, `duplicated virtual path "${vp}"`);
    paths.add(vp);
    checkFolderQuota(problems, field, vf);
    checkMappedPath(problems, field, vf, home, mapped);
    return { ...vf, virtual_path: vp, quota_size: vf.quota_size ?? 0, quota_files: vf.quota_files ?? 0 };
  });
}

function checkFolderQuota(problems: Problems, field: string, vf: VirtualFolder): void {
  const size = vf.quota_size ?? 0;
  const files = vf.quota_files ?? 0;
  if ((size === -1) !== (files === -1)) {
    add(problems, `${field}.quota_size`, 'quota_size and quota_files must both be -1 (included in the user quota) or both >= 0');
  } else if (size < -1 || files < -1 || !Number.isInteger(size) || !Number.isInteger(files)) {
    add(problems, `${field}.quota_size`, 'quota values must be integers >= -1');
  }
}

/** Local mapped paths must not equal each other, nor be inside or contain the user's home. */
function checkMappedPath(problems: Problems, field: string, vf: VirtualFolder, home: string, seen: Set<string>): void {
  const provider = vf.filesystem?.provider ?? 0;
  if (!vf.mapped_path || (provider !== 0 && provider !== 4)) return;
  if (!isAbsolute(vf.mapped_path)) return add(problems, `${field}.mapped_path`, 'must be an absolute path');
  const p = cleanPath(vf.mapped_path);
  const within = (a: string, b: string) => a === b || a.startsWith(b.endsWith('/') ? b : `${b}/`);
  if (home && (within(p, home) || within(home, p))) add(problems, `${field}.mapped_path`, `"${p}" overlaps the home directory`);
  if (seen.has(p)) add(problems, `${field}.mapped_path`, `"${p}" is mapped by another folder`);
  seen.add(p);
}

