/**
 * How `sftpgo user` shows users to people: a cli-table3 table for lists, one field per line for a
 * single user. Colours only on a TTY. Scripts use `--json` instead.
 */
import Table from 'cli-table3';
import type { User } from '../dataprovider/models.js';

const fmtLimit = (n: number | undefined) => (n ? String(n) : 'unlimited');
const fmtTime = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : 'never');

function perms(u: User): string {
  return Object.entries(u.permissions ?? {}).map(([dir, list]) => `${dir}: ${list.join(',')}`).join('; ');
}

/** A table of users: id, username, status, home, quota used/limit, permissions. */
export function usersTable(users: User[], color: boolean): string {
  const style = color ? {} : { head: [], border: [] };
  const table = new Table({ head: ['ID', 'Username', 'Status', 'Home dir', 'Used / quota size', 'Used / quota files', 'Permissions'], style });
  for (const u of users) {
    table.push([
      String(u.id ?? ''), u.username, u.status === 1 ? 'enabled' : 'disabled', u.home_dir,
      `${u.used_quota_size ?? 0} / ${fmtLimit(u.quota_size)}`, `${u.used_quota_files ?? 0} / ${fmtLimit(u.quota_files)}`, perms(u),
    ]);
  }
  return `${table.toString()}\n`;
}

/** One user, field by field. */
export function userDetails(u: User): string {
  const rows: [string, string][] = [
    ['id', String(u.id ?? '')], ['username', u.username], ['status', u.status === 1 ? 'enabled' : 'disabled'],
    ['description', u.description ?? ''], ['home dir', u.home_dir], ['permissions', perms(u)],
    ['public keys', String(u.public_keys?.length ?? 0)],
    ['quota size', `${u.used_quota_size ?? 0} used of ${fmtLimit(u.quota_size)}`],
    ['quota files', `${u.used_quota_files ?? 0} used of ${fmtLimit(u.quota_files)}`],
    ['virtual folders', (u.virtual_folders ?? []).map((f) => `${f.virtual_path} -> ${f.name}`).join(', ')],
    ['expiration', fmtTime(u.expiration_date)], ['last login', fmtTime(u.last_login)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}
