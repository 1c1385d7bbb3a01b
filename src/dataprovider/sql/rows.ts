/** Row ↔ record mapping for the SQL stores (JSON blobs stored as text, as SFTPGo does). */
import type { Admin, BaseVirtualFolder, User } from '../models.js';
import type { SqlRow, SqlValue } from './db.js';

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
const parse = <T>(v: SqlValue | undefined, fallback: T): T => (typeof v === 'string' && v !== '' ? (JSON.parse(v) as T) : fallback);
const num = (v: SqlValue | undefined): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: SqlValue | undefined): string => (v === null || v === undefined ? '' : String(v));

export const USER_COLUMNS = [
  'username', 'password', 'public_keys', 'home_dir', 'uid', 'gid', 'max_sessions', 'quota_size', 'quota_files',
  'permissions', 'used_quota_size', 'used_quota_files', 'last_quota_update', 'upload_bandwidth', 'download_bandwidth',
  'expiration_date', 'last_login', 'status', 'filters', 'filesystem', 'additional_info', 'description',
] as const;

export function userToRow(u: User): SqlValue[] {
  return [
    u.username, u.password ?? null, json(u.public_keys ?? []), u.home_dir, u.uid ?? 0, u.gid ?? 0, u.max_sessions ?? 0,
    u.quota_size ?? 0, u.quota_files ?? 0, json(u.permissions), u.used_quota_size ?? 0, u.used_quota_files ?? 0,
    u.last_quota_update ?? 0, u.upload_bandwidth ?? 0, u.download_bandwidth ?? 0, u.expiration_date ?? 0,
    u.last_login ?? 0, u.status, json(u.filters ?? {}), json(u.filesystem ?? { provider: 0 }), u.additional_info ?? '',
    u.description ?? '',
  ];
}

export function rowToUser(r: SqlRow): User {
  return {
    id: num(r.id), status: num(r.status) as 0 | 1, username: str(r.username), description: str(r.description),
    expiration_date: num(r.expiration_date), password: str(r.password), public_keys: parse(r.public_keys, []),
    home_dir: str(r.home_dir), uid: num(r.uid), gid: num(r.gid), max_sessions: num(r.max_sessions),
    quota_size: num(r.quota_size), quota_files: num(r.quota_files), permissions: parse(r.permissions, {}),
    used_quota_size: num(r.used_quota_size), used_quota_files: num(r.used_quota_files),
    last_quota_update: num(r.last_quota_update), upload_bandwidth: num(r.upload_bandwidth),
    download_bandwidth: num(r.download_bandwidth), last_login: num(r.last_login), filters: parse(r.filters, {}),
    filesystem: parse(r.filesystem, { provider: 0 }), additional_info: str(r.additional_info), virtual_folders: [],
  };
}

export function rowToFolder(r: SqlRow): BaseVirtualFolder {
  return {
    id: num(r.id), name: str(r.name), mapped_path: str(r.path), description: str(r.description),
    used_quota_size: num(r.used_quota_size), used_quota_files: num(r.used_quota_files),
    last_quota_update: num(r.last_quota_update), filesystem: parse(r.filesystem, { provider: 0 }),
  };
}

export function folderToRow(f: BaseVirtualFolder): SqlValue[] {
  return [f.name, f.mapped_path ?? '', f.used_quota_size ?? 0, f.used_quota_files ?? 0, f.last_quota_update ?? 0, f.description ?? '', json(f.filesystem ?? { provider: 0 })];
}

export function rowToAdmin(r: SqlRow): Admin {
  return {
    id: num(r.id), status: num(r.status) as 0 | 1, username: str(r.username), description: str(r.description),
    password: str(r.password), email: str(r.email), permissions: parse(r.permissions, []),
    filters: parse(r.filters, {}), additional_info: str(r.additional_info),
  };
}

export function adminToRow(a: Admin): SqlValue[] {
  return [a.username, a.password ?? '', a.email ?? '', a.status, json(a.permissions), json(a.filters ?? {}), a.additional_info ?? '', a.description ?? ''];
}
