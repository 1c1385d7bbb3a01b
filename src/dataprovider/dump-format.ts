/**
 * Renders records the way SFTPGo v2.1.2 writes them in a dump: Go's `encoding/json` over its
 * structs. Field order is the struct order; `omitempty` fields vanish when zero; the others are
 * always present with their zero value. Every filesystem block is present with its secrets as `{}`
 * when empty (SFTPGo calls SetEmptySecretsIfNil when it reads a record). A dump made by SFTPGo
 * loads unchanged and our own dump of it compares equal to the original.
 */
import type { Admin, BackupData, BaseVirtualFolder, FilesystemConfig, Secret, User, VirtualFolder } from './models.js';

type Json = Record<string, unknown>;
/** `[name, zero]`: always written, `zero` when absent. `[name]`: omitempty. */
type Field = readonly [string, unknown?];

const isZero = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || v === 0 || v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** Copies `fields` from `src` in order, applying Go's zero values and omitempty. */
function shape(src: Json | undefined, fields: readonly Field[]): Json {
  const out: Json = {};
  for (const [name, ...zero] of fields) {
    const v = src?.[name];
    if (zero.length === 0) {
      if (!isZero(v)) out[name] = v;
    } else {
      out[name] = v === undefined || v === null ? zero[0] : v;
    }
  }
  return out;
}

const SECRET: readonly Field[] = [['status'], ['payload'], ['key'], ['additional_data'], ['mode']];

function secret(s: Secret | undefined): Json {
  return shape(s as Json | undefined, SECRET);
}

function block(src: unknown, fields: readonly Field[], secrets: readonly string[]): Json {
  const b = (src ?? {}) as Json;
  const out: Json = {};
  for (const f of fields) {
    if (secrets.includes(f[0])) out[f[0]] = secret(b[f[0]] as Secret | undefined);
    else Object.assign(out, shape(b, [f]));
  }
  return out;
}

const S3: readonly Field[] = [['bucket'], ['key_prefix'], ['region'], ['access_key'], ['access_secret'], ['endpoint'],
  ['storage_class'], ['upload_part_size'], ['upload_concurrency']];
const GCS: readonly Field[] = [['bucket'], ['key_prefix'], ['credentials'], ['automatic_credentials'], ['storage_class']];
const AZURE: readonly Field[] = [['container'], ['account_name'], ['account_key'], ['endpoint'], ['sas_url'], ['key_prefix'],
  ['upload_part_size'], ['upload_concurrency'], ['use_emulator'], ['access_tier']];
const SFTP: readonly Field[] = [['endpoint'], ['username'], ['password'], ['private_key'], ['fingerprints'], ['prefix'],
  ['disable_concurrent_reads'], ['buffer_size']];

/** A filesystem config with all five backend blocks, as v2.1.2 dumps it. */
export function formatFilesystem(fs: FilesystemConfig | undefined): Json {
  return {
    provider: fs?.provider ?? 0,
    s3config: block(fs?.s3config, S3, ['access_secret']),
    gcsconfig: block(fs?.gcsconfig, GCS, ['credentials']),
    azblobconfig: block(fs?.azblobconfig, AZURE, ['account_key', 'sas_url']),
    cryptconfig: block(fs?.cryptconfig, [['passphrase']], ['passphrase']),
    sftpconfig: block(fs?.sftpconfig, SFTP, ['password', 'private_key']),
  };
}

const FOLDER_HEAD: readonly Field[] = [['id', 0], ['name', ''], ['mapped_path'], ['description'], ['used_quota_size', 0],
  ['used_quota_files', 0], ['last_quota_update', 0], ['users']];

/** A BaseVirtualFolder as v2.1.2 dumps it. */
export function formatFolder(f: BaseVirtualFolder): Json {
  return { ...shape(f as unknown as Json, FOLDER_HEAD), filesystem: formatFilesystem(f.filesystem) };
}

/** A user's VirtualFolder: the base folder (without its users list) plus the mapping fields. */
export function formatVirtualFolder(vf: VirtualFolder): Json {
  const { users: _users, ...base } = vf;
  return {
    ...formatFolder(base),
    ...shape(vf as unknown as Json, [['virtual_path', ''], ['quota_size', 0], ['quota_files', 0]]),
  };
}

const HOOKS: readonly Field[] = [['external_auth_disabled', false], ['pre_login_disabled', false], ['check_password_disabled', false]];

function formatFilters(f: User['filters']): Json {
  const src = (f ?? {}) as Json;
  const patterns = (f?.file_patterns ?? []).map((p) => shape(p as unknown as Json, [['path', ''], ['allowed_patterns'], ['denied_patterns']]));
  return {
    ...shape(src, [['allowed_ip'], ['denied_ip'], ['denied_login_methods'], ['denied_protocols']]),
    ...(patterns.length ? { file_patterns: patterns } : {}),
    ...shape(src, [['max_upload_file_size'], ['tls_username']]),
    hooks: shape(src.hooks as Json | undefined, HOOKS),
    ...shape(src, [['disable_fs_checks'], ['web_client']]),
  };
}

const USER_HEAD: readonly Field[] = [['id', 0], ['status', 0], ['username', ''], ['expiration_date', 0], ['password'],
  ['public_keys'], ['home_dir', '']];
const USER_MIDDLE: readonly Field[] = [['uid', 0], ['gid', 0], ['max_sessions', 0], ['quota_size', 0], ['quota_files', 0],
  ['permissions', {}], ['used_quota_size', 0], ['used_quota_files', 0], ['last_quota_update', 0], ['upload_bandwidth', 0],
  ['download_bandwidth', 0], ['last_login', 0]];

/** A User as v2.1.2 dumps it (password hash included, secrets as stored). */
export function formatUser(u: User): Json {
  const src = u as unknown as Json;
  const folders = (u.virtual_folders ?? []).map(formatVirtualFolder);
  return {
    ...shape(src, USER_HEAD),
    ...(folders.length ? { virtual_folders: folders } : {}),
    ...shape(src, USER_MIDDLE),
    filters: formatFilters(u.filters),
    filesystem: formatFilesystem(u.filesystem),
    ...shape(src, [['additional_info'], ['description']]),
  };
}

/** An Admin as v2.1.2 dumps it. */
export function formatAdmin(a: Admin): Json {
  const src = a as unknown as Json;
  return {
    ...shape(src, [['id', 0], ['status', 0], ['username', ''], ['password'], ['email'], ['permissions', []]]),
    filters: shape(src.filters as Json | undefined, [['allow_list']]),
    ...shape(src, [['description'], ['additional_info']]),
  };
}

/** The whole backup document in v2.1.2's shape. */
export function formatBackup(data: BackupData): BackupData {
  return {
    users: data.users.map(formatUser),
    folders: data.folders.map(formatFolder),
    admins: data.admins.map(formatAdmin),
    version: data.version,
  } as unknown as BackupData;
}
