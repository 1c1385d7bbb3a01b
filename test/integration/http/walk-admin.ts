/**
 * Admin-side steps of the OpenAPI walk: tokens, version, folders, users, admins, connections,
 * defender, quota and maintenance, each operation with the statuses it can answer.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Harness } from './harness.js';
import type { Walker } from './walker.js';

export interface WalkCtx {
  w: Walker;
  h: Harness;
  /** Admin token (all permissions). */
  t: { token: string };
}

const json = async <T>(r: Response): Promise<T> => (await r.json()) as T;

export async function walkTokensAndVersion(w: Walker): Promise<{ token: string }> {
  await w.call('healthz', '/healthz', 200);
  await w.call('get_token', '/token', 401, { basic: ['admin', 'bad'] });
  const t = { token: (await json<{ access_token: string }>(await w.call('get_token', '/token', 200, { basic: ['admin', 'password'] }))).access_token };
  const v = await json<{ version: string; features: string[] }>(await w.call('get_version', '/version', 200, t));
  assert.equal(v.version, '2.1.2');
  assert.ok(v.features.every((f) => /^[+-]/.test(f)));
  return t;
}

export async function walkFolders({ w, h, t }: WalkCtx): Promise<void> {
  const mapped = join(h.dir, 'f1');
  await mkdir(join(mapped, 'hold-scan'), { recursive: true });
  await w.call('add_folder', '/folders', 201, { ...t, body: { name: 'f1', mapped_path: mapped, description: 'folder' } });
  const s3 = { provider: 1, s3config: { bucket: 'b', region: 'r', access_key: 'k', access_secret: { status: 'Plain', payload: 'very-secret' } } };
  const created = await json<{ filesystem: { s3config: { access_secret: { status: string } } } }>(
    await w.call('add_folder', '/folders', 201, { ...t, body: { name: 'fs3', mapped_path: join(h.dir, 'fs3'), filesystem: s3 } }));
  assert.equal(created.filesystem.s3config.access_secret.status, 'Redacted');
  await w.call('add_folder', '/folders', 400, { ...t, body: { description: 'no name' } });
  await w.call('get_folders', '/folders?limit=10&offset=0&order=DESC', 200, t);
  await w.call('get_folders', '/folders?limit=1000', 400, t);
  await w.call('get_folder_by_name', '/folders/f1', 200, t);
  await w.call('get_folder_by_name', '/folders/nope', 404, t);
  await w.call('update_folder', '/folders/f1', 200, { ...t, body: { mapped_path: mapped, description: 'updated' } });
  await w.call('update_folder', '/folders/f1', 400, { ...t, body: { mapped_path: 'relative/path' } });
  await w.call('update_folder', '/folders/nope', 404, { ...t, body: { mapped_path: mapped } });
}

export async function walkUsers({ w, h, t }: WalkCtx): Promise<void> {
  const home = join(h.dir, 'home');
  const user = {
    username: 'walker', password: 'pw', status: 1, home_dir: home, permissions: { '/': ['*'], '/sub': ['list', 'download'] },
    virtual_folders: [{ name: 'f1', virtual_path: '/vf1', quota_size: -1, quota_files: -1 }],
    filters: { allowed_ip: [], denied_login_methods: [], file_patterns: [{ path: '/sub', denied_patterns: ['*.exe'] }] },
  };
  const created = await json<{ id: number; password?: string }>(await w.call('add_user', '/users', 201, { ...t, body: user }));
  assert.ok(created.id > 0);
  const crypt = { provider: 4, cryptconfig: { passphrase: { status: 'Plain', payload: 'pass-phrase' } } };
  await w.call('add_user', '/users', 201, { ...t, body: { username: 'cryptic', password: 'pw', status: 1, home_dir: join(h.dir, 'cryptic'), permissions: { '/': ['*'] }, filesystem: crypt } });
  await w.call('add_user', '/users', 400, { ...t, body: { username: 'bad', status: 1 } });
  await w.call('get_users', '/users?order=DESC&limit=5', 200, t);
  await w.call('get_users', '/users?offset=-1', 400, t);
  await w.call('get_user_by_username', '/users/walker', 200, t);
  await w.call('get_user_by_username', '/users/cryptic', 200, t);
  await w.call('get_user_by_username', '/users/nobody', 404, t);
  await w.call('update_user', '/users/walker?disconnect=1', 200, { ...t, body: { description: 'walks' } });
  await w.call('update_user', '/users/walker?disconnect=2', 400, { ...t, body: { description: 'walks' } });
  await w.call('update_user', '/users/walker', 400, { ...t, body: { status: 7 } });
  await w.call('update_user', '/users/nobody', 404, { ...t, body: { description: 'x' } });
  assert.equal((await h.data.getUser('walker')).description, 'walks');
}

export async function walkAdmins({ w, t }: WalkCtx): Promise<{ token: string }> {
  await w.call('add_admin', '/admins', 201, { ...t, body: { username: 'adm2', password: 'pw', status: 1, permissions: ['view_users'], email: 'a@example.com', filters: { allow_list: ['127.0.0.0/8'] } } });
  await w.call('add_admin', '/admins', 400, { ...t, body: { username: 'adm3', password: 'pw', status: 1, permissions: ['fly'] } });
  await w.call('get_admins', '/admins?order=ASC', 200, t);
  await w.call('get_admins', '/admins?order=UP', 400, t);
  await w.call('get_admin_by_username', '/admins/adm2', 200, t);
  await w.call('get_admin_by_username', '/admins/nope', 404, t);
  await w.call('update_admin', '/admins/adm2', 200, { ...t, body: { description: 'second', permissions: ['view_users'] } });
  await w.call('update_admin', '/admins/adm2', 400, { ...t, body: { email: 'not-an-email' } });
  await w.call('update_admin', '/admins/nope', 404, { ...t, body: { description: 'x' } });
  const t2 = { token: (await json<{ access_token: string }>(await w.call('get_token', '/token', 200, { basic: ['adm2', 'pw'] }))).access_token };
  await w.call('get_admins', '/admins', 403, t2);
  await w.call('change_admin_password', '/admin/changepwd', 200, { ...t2, body: { current_password: 'pw', new_password: 'pw2' } });
  await w.call('change_admin_password_deprecated', '/changepwd/admin', 200, { ...t2, body: { current_password: 'pw2', new_password: 'pw3' } });
  await w.call('change_admin_password', '/admin/changepwd', 400, { ...t2, body: { current_password: 'wrong', new_password: 'x' } });
  await w.call('change_admin_password_deprecated', '/changepwd/admin', 400, { ...t2, body: { current_password: 'pw3' } });
  return t2;
}

export async function walkConnections({ w, h, t }: WalkCtx): Promise<void> {
  const conn = await h.core.connections.open({ protocol: 'SFTP', user: await h.data.getUser('walker'), remote: { ip: '10.1.1.1', port: 5555 }, clientVersion: 'SSH-2.0-test' });
  const list = await json<{ connection_id: string; username: string }[]>(await w.call('get_connections', '/connections', 200, t));
  assert.deepEqual(list.map((c) => [c.connection_id, c.username]), [[conn.id, 'walker']]);
  await w.call('close_connection', `/connections/${encodeURIComponent(conn.id)}`, 200, t);
  assert.equal(h.core.connections.list().length, 0);
  await w.call('close_connection', '/connections/unknown', 404, t);
  const open = async () => h.core.connections.open({ protocol: 'SFTP', user: await h.data.getUser('walker'), remote: { ip: '10.1.1.2', port: 1 } });
  await open();
  await w.call('update_user', '/users/walker', 200, { ...t, body: { description: 'kept connected' } });
  assert.equal(h.core.connections.countUser('walker'), 1, 'disconnect=0 (default) keeps the session');
  await w.call('update_user', '/users/walker?disconnect=1', 200, { ...t, body: { description: 'walks' } });
  assert.equal(h.core.connections.countUser('walker'), 0, 'disconnect=1 ends the session');
}

export async function walkDefender({ w, h, t }: WalkCtx): Promise<void> {
  await w.call('get_user_token', '/user/token', 401, { basic: ['walker', 'wrong'] });
  const hosts = await json<{ id: string; ip: string; score?: number }[]>(await w.call('get_defender_hosts', '/defender/hosts', 200, t));
  const me = hosts.find((x) => x.ip === '127.0.0.1');
  assert.ok(me && (me.score ?? 0) > 0, 'failed user login scored by the defender');
  await w.call('get_defender_host_by_id', `/defender/hosts/${me.id}`, 200, t);
  await w.call('get_defender_host_by_id', '/defender/hosts/ffff', 404, t);
  await w.call('get_ban_time', '/defender/bantime?ip=127.0.0.1', 200, t);
  await w.call('get_ban_time', '/defender/bantime?ip=notanip', 400, t);
  await w.call('get_score', '/defender/score?ip=127.0.0.1', 200, t);
  await w.call('delete_defender_host_by_id', `/defender/hosts/${me.id}`, 200, t);
  await w.call('delete_defender_host_by_id', `/defender/hosts/${me.id}`, 404, t);
  for (let i = 0; i < 20 && !h.core.defender.isBanned('10.0.0.9'); i++) h.core.defender.addEvent('10.0.0.9', 'login_failed');
  const banned = await json<{ date_time: string | null }>(await w.call('get_ban_time', '/defender/bantime?ip=10.0.0.9', 200, t));
  assert.ok(banned.date_time, 'banned host has a ban time');
  await w.call('unban_host', '/defender/unban', 200, { ...t, body: { ip: '10.0.0.9' } });
  await w.call('unban_host', '/defender/unban', 404, { ...t, body: { ip: '10.0.0.9' } });
  await w.call('unban_host', '/defender/unban', 400, { ...t, body: { ip: 'nope' } });
}

export async function walkQuota({ w, h, t }: WalkCtx): Promise<void> {
  await mkdir(join(h.dir, 'home', 'hold-scan'), { recursive: true });
  h.gate.hold('hold-scan');
  await w.call('start_user_quota_scan', '/quotas/users/walker/scan', 202, t);
  await w.call('start_user_quota_scan', '/quotas/users/walker/scan', 409, t);
  await w.call('start_user_quota_scan_deprecated', '/quota-scans', 409, { ...t, body: { username: 'walker' } });
  await w.call('user_quota_update_usage', '/quotas/users/walker/usage', 409, { ...t, body: { used_quota_size: 1 } });
  await w.call('start_user_quota_scan', '/quotas/users/nobody/scan', 404, t);
  const scans = await json<{ username: string }[]>(await w.call('get_users_quota_scans', '/quotas/users/scans', 200, t));
  assert.deepEqual(scans.map((s) => s.username), ['walker']);
  await w.call('get_users_quota_scans_deprecated', '/quota-scans', 200, t);
  await w.call('start_folder_quota_scan', '/quotas/folders/f1/scan', 202, t);
  await w.call('start_folder_quota_scan', '/quotas/folders/f1/scan', 409, t);
  await w.call('start_folder_quota_scan_deprecated', '/folder-quota-scans', 409, { ...t, body: { name: 'f1' } });
  await w.call('folder_quota_update_usage', '/quotas/folders/f1/usage', 409, { ...t, body: { used_quota_size: 1 } });
  await w.call('start_folder_quota_scan', '/quotas/folders/nope/scan', 404, t);
  assert.equal((await json<unknown[]>(await w.call('get_folders_quota_scans', '/quotas/folders/scans', 200, t))).length, 1);
  await w.call('get_folders_quota_scans_deprecated', '/folder-quota-scans', 200, t);
  h.gate.release('hold-scan');
  await h.core.quotaScans.idle();
  await w.call('start_user_quota_scan_deprecated', '/quota-scans', 202, { ...t, body: { username: 'walker' } });
  await w.call('start_user_quota_scan_deprecated', '/quota-scans', 404, { ...t, body: { username: 'nobody' } });
  await w.call('start_user_quota_scan_deprecated', '/quota-scans', 400, { ...t, body: { username: 5 } });
  await w.call('start_folder_quota_scan_deprecated', '/folder-quota-scans', 202, { ...t, body: { name: 'f1' } });
  await w.call('start_folder_quota_scan_deprecated', '/folder-quota-scans', 404, { ...t, body: { name: 'nope' } });
  await w.call('start_folder_quota_scan_deprecated', '/folder-quota-scans', 400, { ...t, body: { name: ['f1'] } });
  await h.core.quotaScans.idle();
  await walkQuotaUsage({ w, h, t });
}

async function walkQuotaUsage({ w, h, t }: WalkCtx): Promise<void> {
  await w.call('user_quota_update_usage', '/quotas/users/walker/usage?mode=reset', 200, { ...t, body: { used_quota_size: 10, used_quota_files: 2 } });
  await w.call('user_quota_update_usage', '/quotas/users/walker/usage', 400, { ...t, body: { used_quota_size: -1 } });
  await w.call('user_quota_update_usage', '/quotas/users/walker/usage?mode=sum', 400, { ...t, body: { used_quota_size: 1 } });
  await w.call('user_quota_update_usage', '/quotas/users/nobody/usage', 404, { ...t, body: { used_quota_size: 1 } });
  await w.call('user_quota_update_usage_deprecated', '/quota-update?mode=add', 200, { ...t, body: { username: 'walker', used_quota_size: 5, used_quota_files: 1 } });
  await w.call('user_quota_update_usage_deprecated', '/quota-update', 400, { ...t, body: { username: 'walker', used_quota_files: 'many' } });
  await w.call('user_quota_update_usage_deprecated', '/quota-update', 404, { ...t, body: { username: 'nobody', used_quota_size: 1 } });
  const u = await h.data.getUser('walker');
  assert.deepEqual([u.used_quota_size, u.used_quota_files], [15, 3]);
  await w.call('folder_quota_update_usage', '/quotas/folders/f1/usage', 200, { ...t, body: { used_quota_size: 3, used_quota_files: 1 } });
  await w.call('folder_quota_update_usage', '/quotas/folders/f1/usage', 400, { ...t, body: { used_quota_files: -3 } });
  await w.call('folder_quota_update_usage', '/quotas/folders/nope/usage', 404, { ...t, body: { used_quota_size: 3 } });
  await w.call('folder_quota_update_usage_deprecated', '/folder-quota-update?mode=add', 200, { ...t, body: { name: 'f1', used_quota_size: 1, used_quota_files: 1 } });
  await w.call('folder_quota_update_usage_deprecated', '/folder-quota-update', 400, { ...t, body: { name: 'f1', used_quota_size: '1' } });
  await w.call('folder_quota_update_usage_deprecated', '/folder-quota-update', 404, { ...t, body: { name: 'nope', used_quota_size: 1 } });
  const f = await h.data.getFolder('f1');
  assert.deepEqual([f.used_quota_size, f.used_quota_files], [4, 2]);
}

export async function walkMaintenance({ w, h, t }: WalkCtx): Promise<void> {
  const status = await json<{ data_provider: { is_active: boolean; driver: string } }>(await w.call('get_status', '/status', 200, t));
  assert.deepEqual(status.data_provider, { is_active: true, driver: 'sqlite', error: '' });
  await w.call('dumpdata', '/dumpdata?output-file=dump.json&indent=1', 200, t);
  await w.call('dumpdata', '/dumpdata?output-file=../escape.json', 400, t);
  await w.call('dumpdata', '/dumpdata', 400, t);
  await w.call('dumpdata', '/dumpdata?output-data=1&indent=2', 400, t);
  const dumpRes = await w.call('dumpdata', '/dumpdata?output-data=1', 200, t);
  assert.match(dumpRes.headers.get('content-disposition') ?? '', /attachment; filename="sftpgo-backup.json"/);
  const dump = await json<{ version: number; users: { username: string; password?: string }[] }>(dumpRes);
  assert.equal(dump.version, 8);
  assert.match(dump.users.find((u) => u.username === 'walker')?.password ?? '', /^\$2[aby]\$/, 'dumps keep password hashes');
  const dumpFile = join(h.dir, 'backups', 'dump.json');
  const saved = JSON.parse(await readFile(dumpFile, 'utf8')) as { users: unknown[] };
  assert.equal(saved.users.length, 2);
  await w.call('loaddata_from_file', `/loaddata?input-file=${encodeURIComponent(dumpFile)}&mode=1&scan-quota=0`, 200, t);
  await w.call('loaddata_from_file', '/loaddata?input-file=dump.json&mode=0', 200, t);
  await w.call('loaddata_from_file', `/loaddata?input-file=${encodeURIComponent(join(h.dir, 'missing.json'))}`, 400, t);
  await writeFile(join(h.dir, 'backups', 'bad.json'), '{"users": [{"username": "x", "status": 9}]}');
  await w.call('loaddata_from_file', '/loaddata?input-file=bad.json', 400, t);
  await w.call('loaddata_from_request_body', '/loaddata?mode=0&scan-quota=2', 200, { ...t, body: dump });
  await w.call('loaddata_from_request_body', '/loaddata?mode=7', 400, { ...t, body: dump });
  await w.call('loaddata_from_request_body', '/loaddata', 400, { ...t, raw: '{"users": [' });
  await h.core.quotaScans.idle();
}
