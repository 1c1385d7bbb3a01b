/**
 * Admin permissions (INVENTORY §8.3) against every operation of the spec: each operation is
 * classified here; for each guarded one, an admin lacking exactly that permission gets 403 naming
 * it and an admin holding only that permission gets past the check. The table must cover every
 * operation of the spec and every AdminPermissions value.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminPermission } from '../../../src/dataprovider/models.js';
import { startHarness, type Harness } from './harness.js';
import { loadSpec } from './spec.js';

type Guard = AdminPermission | 'any-admin' | 'token' | 'user';

const GUARDS: Record<string, Guard> = {
  healthz: 'token', get_token: 'token', get_user_token: 'token',
  logout: 'any-admin', get_version: 'any-admin', change_admin_password: 'any-admin', change_admin_password_deprecated: 'any-admin',
  get_connections: 'view_conns', close_connection: 'close_conns',
  get_defender_hosts: 'view_defender', get_defender_host_by_id: 'view_defender', get_ban_time: 'view_defender', get_score: 'view_defender',
  delete_defender_host_by_id: 'manage_defender', unban_host: 'manage_defender',
  get_users_quota_scans: 'quota_scans', start_user_quota_scan: 'quota_scans', get_folders_quota_scans: 'quota_scans',
  start_folder_quota_scan: 'quota_scans', get_users_quota_scans_deprecated: 'quota_scans', start_user_quota_scan_deprecated: 'quota_scans',
  get_folders_quota_scans_deprecated: 'quota_scans', start_folder_quota_scan_deprecated: 'quota_scans',
  user_quota_update_usage: 'edit_users', folder_quota_update_usage: 'edit_users',
  user_quota_update_usage_deprecated: 'edit_users', folder_quota_update_usage_deprecated: 'edit_users',
  get_folders: 'view_users', get_folder_by_name: 'view_users', add_folder: 'add_users', update_folder: 'edit_users', delete_folder: 'del_users',
  get_admins: 'manage_admins', add_admin: 'manage_admins', get_admin_by_username: 'manage_admins', update_admin: 'manage_admins', delete_admin: 'manage_admins',
  get_users: 'view_users', add_user: 'add_users', get_user_by_username: 'view_users', update_user: 'edit_users', delete_user: 'del_users',
  get_status: 'view_status', dumpdata: 'manage_system', loaddata_from_file: 'manage_system', loaddata_from_request_body: 'manage_system',
  client_logout: 'user', change_user_password: 'user', get_user_public_keys: 'user', set_user_public_keys: 'user',
  get_user_folder_contents: 'user', get_user_file: 'user', streamzip: 'user',
};

const QUERY: Record<string, string> = { get_ban_time: '?ip=127.0.0.1', get_score: '?ip=127.0.0.1' };
const BODY: Record<string, unknown> = { unban_host: { ip: '192.0.2.1' } };

const spec = loadSpec();
let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

async function callAs(token: string, operationId: string): Promise<Response> {
  const op = spec.byId.get(operationId)!;
  const url = `${h.base}/api/v2${op.path.replace(/\{[^}]+\}/g, 'x')}${QUERY[operationId] ?? ''}`;
  const body = op.method === 'PUT' || op.method === 'POST' ? JSON.stringify(BODY[operationId] ?? {}) : undefined;
  return fetch(url, { method: op.method, headers: { authorization: `Bearer ${token}` }, body });
}

test('the guard table covers every operation of the spec and every AdminPermissions value', () => {
  assert.deepEqual(spec.operations.map((o) => o.operationId).filter((id) => !GUARDS[id]), []);
  assert.deepEqual(Object.keys(GUARDS).filter((id) => !spec.byId.has(id)), []);
  const schemas = (spec.doc.components as { schemas: Record<string, { enum: string[] }> }).schemas;
  const perms = schemas.AdminPermissions!.enum.filter((p) => p !== '*').sort();
  assert.deepEqual([...new Set(Object.values(GUARDS).filter((g) => !['any-admin', 'token', 'user'].includes(g)))].sort(), perms);
});

test('403 naming the permission for each guarded operation when exactly that permission is missing', async () => {
  const schemas = (spec.doc.components as { schemas: Record<string, { enum: AdminPermission[] }> }).schemas;
  const all = schemas.AdminPermissions!.enum.filter((p) => p !== '*');
  const tokens = new Map<string, { lacking: string; only: string }>();
  for (const perm of all) {
    await h.addAdmin(`lack-${perm}`, all.filter((p) => p !== perm));
    await h.addAdmin(`only-${perm}`, [perm]);
    tokens.set(perm, { lacking: await h.adminToken(`lack-${perm}`, 'pw'), only: await h.adminToken(`only-${perm}`, 'pw') });
  }
  for (const [operationId, guard] of Object.entries(GUARDS)) {
    const t = tokens.get(guard);
    if (!t) continue;
    const denied = await callAs(t.lacking, operationId);
    assert.equal(denied.status, 403, `${operationId} without ${guard}`);
    assert.match(((await denied.json()) as { error: string }).error, new RegExp(`${guard} is required`));
    const allowed = await callAs(t.only, operationId);
    assert.ok(![401, 403].includes(allowed.status), `${operationId} with only ${guard}: ${allowed.status} ${await allowed.text()}`);
  }
});

test('operations for any admin accept an admin with a single unrelated permission', async () => {
  await h.addAdmin('minimal', ['view_status']);
  for (const [operationId, guard] of Object.entries(GUARDS)) {
    if (guard !== 'any-admin') continue;
    const res = await callAs(await h.adminToken('minimal', 'pw'), operationId);
    assert.ok(![401, 403].includes(res.status), `${operationId}: ${res.status}`);
  }
});
