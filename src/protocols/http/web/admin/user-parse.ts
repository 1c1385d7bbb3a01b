/**
 * The user form's fields turned into a User record. Only the form's shape is checked here
 * (numbers, dates, the `path::values` lines); every rule about the values themselves (names,
 * permissions, patterns, CIDRs, keys, backends) is the data service's validation, so the web
 * and the REST API refuse exactly the same users.
 */
import type {
  DirPermissions, LoginMethod, PatternsFilter, Permission, SupportedProtocol, User, UserFilters, VirtualFolder, WebClientOption,
} from '../../../../dataprovider/models.js';
import { FormReader } from '../forms.js';
import { fsFromForm } from './fs-form.js';

/** `/dir::a,b` lines into [dir, [a, b]]; a malformed line is a problem of `field`. */
export function pathValueLines(f: FormReader, field: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const line of f.lines(field)) {
    const idx = line.indexOf('::');
    const dir = idx > 0 ? line.slice(0, idx).trim() : '';
    const values = idx > 0 ? line.slice(idx + 2).split(',').map((v) => v.trim()).filter((v) => v) : [];
    if (!dir || values.length === 0) f.problem(field, `"${line}" is not in the form /dir::value1,value2`);
    else out.push([dir, values]);
  }
  return out;
}

/** "YYYY-MM-DD" (UTC midnight) to Unix ms; empty is 0 (never expires). */
export function dateToMs(f: FormReader, field: string): number {
  const v = f.str(field);
  if (!v) return 0;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) f.problem(field, `"${v}" is not a date (YYYY-MM-DD)`);
  return Number.isNaN(ms) ? 0 : ms;
}

function permissionsFrom(f: FormReader): DirPermissions {
  const perms: DirPermissions = { '/': f.all('permissions') as Permission[] };
  for (const [dir, values] of pathValueLines(f, 'sub_dirs_permissions')) perms[dir] = values as Permission[];
  return perms;
}

function virtualFoldersFrom(f: FormReader): VirtualFolder[] {
  const col = (n: string) => f.fields.getAll(n).map((v) => v.trim());
  const [paths, names, sizes, files] = [col('vfolder_path'), col('vfolder_name'), col('vfolder_quota_size'), col('vfolder_quota_files')];
  const out: VirtualFolder[] = [];
  paths.forEach((vpath, i) => {
    const name = names[i] ?? '';
    if (!vpath && !name) return;
    if (!vpath || !name) return f.problem(`virtual_folders[${out.length}]`, 'both the virtual path and the folder name are required');
    const num = (raw: string | undefined, field: string) => {
      if (!raw) return -1;
      if (!/^-?\d+$/.test(raw)) f.problem(`virtual_folders[${out.length}].${field}`, 'must be an integer >= -1');
      return /^-?\d+$/.test(raw) ? Number(raw) : -1;
    };
    out.push({ name, virtual_path: vpath, quota_size: num(sizes[i], 'quota_size'), quota_files: num(files[i], 'quota_files') });
  });
  return out;
}

function patternsFrom(f: FormReader): PatternsFilter[] {
  const byPath = new Map<string, PatternsFilter>();
  const add = (field: string, key: 'allowed_patterns' | 'denied_patterns') => {
    for (const [path, values] of pathValueLines(f, field)) {
      const entry = byPath.get(path) ?? { path };
      entry[key] = [...(entry[key] ?? []), ...values];
      byPath.set(path, entry);
    }
  };
  add('allowed_patterns', 'allowed_patterns');
  add('denied_patterns', 'denied_patterns');
  return [...byPath.values()];
}

function filtersFrom(f: FormReader): UserFilters {
  return {
    allowed_ip: f.list('allowed_ip'), denied_ip: f.list('denied_ip'),
    denied_login_methods: f.all('denied_login_methods') as LoginMethod[], denied_protocols: f.all('denied_protocols') as SupportedProtocol[],
    file_patterns: patternsFrom(f), max_upload_file_size: f.int('max_upload_file_size'),
    tls_username: f.str('tls_username') === 'CommonName' ? 'CommonName' : 'None',
    hooks: { external_auth_disabled: f.bool('external_auth_disabled'), pre_login_disabled: f.bool('pre_login_disabled'), check_password_disabled: f.bool('check_password_disabled') },
    disable_fs_checks: f.bool('disable_fs_checks'), web_client: f.all('web_client') as WebClientOption[],
  };
}

/** The submitted user and the form-shape problems found while reading it. */
export function userFromForm(fields: URLSearchParams): { user: User; reader: FormReader } {
  const f = new FormReader(fields);
  const user: User = {
    username: f.str('username'), status: f.str('status') === '0' ? 0 : 1, expiration_date: dateToMs(f, 'expiration_date'),
    password: f.rawStr('password'), public_keys: f.lines('public_keys'), home_dir: f.str('home_dir'),
    description: f.str('description'), additional_info: f.str('additional_info'),
    uid: f.int('uid'), gid: f.int('gid'), max_sessions: f.int('max_sessions'), quota_size: f.int('quota_size'), quota_files: f.int('quota_files'),
    upload_bandwidth: f.int('upload_bandwidth'), download_bandwidth: f.int('download_bandwidth'),
    permissions: permissionsFrom(f), virtual_folders: virtualFoldersFrom(f), filters: filtersFrom(f), filesystem: fsFromForm(f),
  };
  return { user, reader: f };
}
