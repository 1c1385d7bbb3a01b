/**
 * 400 for bad input, on the real stack: malformed or empty JSON for every operation that takes a
 * body; for every top-level field of every request schema of the spec, a wrong-typed value is
 * refused with an error naming that field; semantic problems (enums, CIDRs, paths, keys...) and
 * every bad query parameter are named too.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startHarness, type Harness } from './harness.js';
import { loadSpec, strictify } from './spec.js';

type Json = Record<string, unknown>;
const spec = loadSpec();
let h: Harness;
let admin: string;
let user: string;

before(async () => {
  h = await startHarness();
  admin = await h.adminToken();
  await h.addUser({ username: 'vu', password: 'pw' });
  await h.data.addFolder({ name: 'vf', mapped_path: join(h.dir, 'vf') });
  user = await h.userToken('vu', 'pw');
});
after(async () => { await h.close(); });

/** A URL and a valid body for each operation that takes a JSON body. */
function bodyCases(): Record<string, { url: string; valid: unknown; token: () => string }> {
  const a = () => admin;
  const u = () => user;
  const home = join(h.dir, 'users', 'nv');
  return {
    add_user: { url: '/users', valid: { username: 'nv', password: 'pw', status: 1, home_dir: home, permissions: { '/': ['*'] } }, token: a },
    update_user: { url: '/users/vu', valid: { status: 1 }, token: a },
    add_admin: { url: '/admins', valid: { username: 'na', password: 'pw', status: 1, permissions: ['*'] }, token: a },
    update_admin: { url: '/admins/admin', valid: { status: 1, permissions: ['*'] }, token: a },
    add_folder: { url: '/folders', valid: { name: 'nf', mapped_path: join(h.dir, 'nf') }, token: a },
    update_folder: { url: '/folders/vf', valid: { mapped_path: join(h.dir, 'vf') }, token: a },
    change_admin_password: { url: '/admin/changepwd', valid: { current_password: 'x', new_password: 'y' }, token: a },
    change_admin_password_deprecated: { url: '/changepwd/admin', valid: { current_password: 'x', new_password: 'y' }, token: a },
    user_quota_update_usage: { url: '/quotas/users/vu/usage', valid: { used_quota_size: 0 }, token: a },
    folder_quota_update_usage: { url: '/quotas/folders/vf/usage', valid: { used_quota_size: 0 }, token: a },
    user_quota_update_usage_deprecated: { url: '/quota-update', valid: { username: 'vu' }, token: a },
    folder_quota_update_usage_deprecated: { url: '/folder-quota-update', valid: { name: 'vf' }, token: a },
    start_user_quota_scan_deprecated: { url: '/quota-scans', valid: { username: 'vu' }, token: a },
    start_folder_quota_scan_deprecated: { url: '/folder-quota-scans', valid: { name: 'vf' }, token: a },
    loaddata_from_request_body: { url: '/loaddata', valid: { users: [], folders: [], admins: [], version: 8 }, token: a },
    unban_host: { url: '/defender/unban', valid: { ip: '192.0.2.1' }, token: a },
    change_user_password: { url: '/user/changepwd', valid: { current_password: 'x', new_password: 'y' }, token: u },
    set_user_public_keys: { url: '/user/publickeys', valid: [], token: u },
    streamzip: { url: '/user/streamzip', valid: ['/'], token: u },
  };
}

async function send(operationId: string, url: string, token: string, body: string): Promise<Response> {
  const method = spec.byId.get(operationId)!.method;
  return fetch(`${h.base}/api/v2${url}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
}

async function expect400(res: Response, field: RegExp, what: string): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, 400, `${what}: ${res.status} ${text}`);
  assert.match((JSON.parse(text) as { error: string }).error, field, what);
}

/** A value of the wrong JSON type for a schema. */
function wrongValue(schema: Json): unknown {
  switch (schema.type) {
    case 'string': return 12345;
    case 'integer': case 'number': return 'not-a-number';
    case 'boolean': return 'not-a-boolean';
    case 'array': return 'not-an-array';
    default: return 'not-an-object';
  }
}

test('every operation with a JSON body: malformed, empty and wrong-shaped bodies are 400', async () => {
  const cases = bodyCases();
  const withBody = spec.operations.filter((o) => ['PUT', 'POST'].includes(o.method) && o.operationId !== 'start_user_quota_scan' && o.operationId !== 'start_folder_quota_scan');
  assert.deepEqual(withBody.map((o) => o.operationId).filter((id) => !cases[id]), [], 'a case per operation with a body');
  for (const [id, c] of Object.entries(cases)) {
    await expect400(await send(id, c.url, c.token(), '{"a": '), /malformed JSON/, `${id} malformed`);
    await expect400(await send(id, c.url, c.token(), ''), /empty/, `${id} empty`);
    await expect400(await send(id, c.url, c.token(), Array.isArray(c.valid) ? '{}' : '[]'), /body|must be/, `${id} wrong shape`);
  }
});

test('every top-level field of every request schema: a wrong-typed value is 400 naming the field', async () => {
  const cases = bodyCases();
  let checked = 0;
  for (const [id, c] of Object.entries(cases)) {
    const op = (spec.doc.paths as Record<string, Record<string, Json>>)[spec.byId.get(id)!.path]![spec.byId.get(id)!.method.toLowerCase()]!;
    const schema = strictify(spec.doc, ((op.requestBody as Json).content as Record<string, Json>)['application/json']!.schema as Json);
    if (schema.type === 'array') {
      await expect400(await send(id, c.url, c.token(), JSON.stringify([5])), /\b0\b/, `${id} item`);
      checked++;
      continue;
    }
    for (const [field, fieldSchema] of Object.entries(schema.properties as Record<string, Json>)) {
      const body = { ...(c.valid as Json), [field]: wrongValue(fieldSchema) };
      await expect400(await send(id, c.url, c.token(), JSON.stringify(body)), new RegExp(`\\b${field}\\b`), `${id}.${field}`);
      checked++;
    }
  }
  assert.ok(checked > 80, `${checked} fields checked`);
});

const home = () => join(h.dir, 'users', 'sem');
const SEMANTIC: [string, () => Json, RegExp][] = [
  ['status out of its enum', () => ({ status: 2 }), /status/],
  ['id below 1', () => ({ id: 0 }), /\bid\b/],
  ['relative home_dir', () => ({ home_dir: 'relative' }), /home_dir/],
  ['no permissions for /', () => ({ permissions: { '/sub': ['*'] } }), /permissions/],
  ['unknown permission', () => ({ permissions: { '/': ['fly'] } }), /permissions/],
  ['uid out of range', () => ({ uid: -1 }), /uid/],
  ['invalid public key', () => ({ public_keys: ['ssh-rsa nonsense'] }), /public_keys/],
  ['invalid allowed_ip CIDR', () => ({ filters: { allowed_ip: ['300.1.1.1/8'] } }), /allowed_ip/],
  ['unknown denied protocol', () => ({ filters: { denied_protocols: ['GOPHER'] } }), /denied_protocols/],
  ['unknown login method', () => ({ filters: { denied_login_methods: ['magic'] } }), /denied_login_methods/],
  ['unknown tls_username', () => ({ filters: { tls_username: 'Email' } }), /tls_username/],
  ['unknown web_client option', () => ({ filters: { web_client: ['fly'] } }), /web_client/],
  ['unknown filesystem provider', () => ({ filesystem: { provider: 9 } }), /provider/],
  ['S3 without a bucket', () => ({ filesystem: { provider: 1, s3config: { region: 'r' } } }), /bucket/],
  ['SFTP buffer_size above 16', () => ({ filesystem: { provider: 5, sftpconfig: { endpoint: 'h:22', username: 'u', buffer_size: 17 } } }), /buffer_size/],
  ['unknown Azure access tier', () => ({ filesystem: { provider: 3, azblobconfig: { container: 'c', access_tier: 'Warm' } } }), /access_tier/],
  ['virtual folder without virtual_path', () => ({ virtual_folders: [{ name: 'vf' }] }), /virtual_path/],
];

test('semantic problems of a user are 400 naming the field', async () => {
  for (const [what, patch, field] of SEMANTIC) {
    const body = { username: 'sem', password: 'pw', status: 1, home_dir: home(), permissions: { '/': ['*'] }, ...patch() };
    await expect400(await send('add_user', '/users', admin, JSON.stringify(body)), field, what);
  }
  const adminCases: [Json, RegExp][] = [[{ permissions: ['fly'] }, /permissions/], [{ permissions: [] }, /permissions/],
    [{ email: 'nope' }, /email/], [{ filters: { allow_list: ['not-a-cidr'] } }, /allow_list/], [{ password: '' }, /password/]];
  for (const [patch, field] of adminCases) {
    await expect400(await send('add_admin', '/admins', admin, JSON.stringify({ username: 'sa', password: 'pw', status: 1, permissions: ['*'], ...patch })), field, JSON.stringify(patch));
  }
  await expect400(await send('add_folder', '/folders', admin, JSON.stringify({ name: 'x', mapped_path: 'rel' })), /mapped_path/, 'relative mapped_path');
  await expect400(await send('set_user_public_keys', '/user/publickeys', user, '["ssh-ed25519 AAAA"]'), /public_keys|key/, 'bad key');
  await expect400(await send('unban_host', '/defender/unban', admin, '{"ip": "999.1.1.1"}'), /\bip\b/, 'bad ip');
  await expect400(await send('change_user_password', '/user/changepwd', user, '{"current_password": "pw", "new_password": ""}'), /new_password/, 'empty new password');
  await expect400(await send('change_user_password', '/user/changepwd', user, '{"current_password": "pw", "new_password": "pw"}'), /new_password/, 'same password');
});

const QUERIES: [string, string, RegExp][] = [
  ['get_users', '/users?limit=0', /limit/], ['get_users', '/users?limit=501', /limit/], ['get_users', '/users?limit=ten', /limit/],
  ['get_users', '/users?offset=-1', /offset/], ['get_users', '/users?order=UP', /order/],
  ['get_folders', '/folders?limit=501', /limit/], ['get_folders', '/folders?offset=x', /offset/], ['get_folders', '/folders?order=asc', /order/],
  ['get_admins', '/admins?limit=-5', /limit/], ['get_admins', '/admins?offset=1.5', /offset/], ['get_admins', '/admins?order=RANDOM', /order/],
  ['update_user', '/users/vu?disconnect=yes', /disconnect/],
  ['user_quota_update_usage', '/quotas/users/vu/usage?mode=sum', /mode/],
  ['folder_quota_update_usage', '/quotas/folders/vf/usage?mode=set', /mode/],
  ['user_quota_update_usage_deprecated', '/quota-update?mode=1', /mode/],
  ['folder_quota_update_usage_deprecated', '/folder-quota-update?mode=x', /mode/],
  ['dumpdata', '/dumpdata?output-file=d.json&indent=2', /indent/], ['dumpdata', '/dumpdata', /output-file/],
  ['dumpdata', '/dumpdata?output-file=..%2Fout.json', /output-file/],
  ['loaddata_from_file', '/loaddata', /input-file/], ['loaddata_from_file', '/loaddata?input-file=x.json&mode=3', /mode/],
  ['loaddata_from_file', '/loaddata?input-file=x.json&scan-quota=9', /scan-quota/],
  ['loaddata_from_request_body', '/loaddata?scan-quota=x', /scan-quota/],
  ['get_ban_time', '/defender/bantime', /\bip\b/], ['get_ban_time', '/defender/bantime?ip=1.2.3', /\bip\b/],
  ['get_score', '/defender/score?ip=::g', /\bip\b/],
  ['get_user_file', '/user/file', /path/],
];

test('every bad query parameter is 400 naming it', async () => {
  for (const [id, url, field] of QUERIES) {
    const op = spec.byId.get(id)!;
    const token = op.path.startsWith('/user/') ? user : admin;
    const body = ['PUT', 'POST'].includes(op.method) ? JSON.stringify(id.includes('deprecated') ? { username: 'vu', name: 'vf' } : id.startsWith('loaddata') ? { version: 8 } : {}) : undefined;
    const res = await fetch(`${h.base}/api/v2${url}`, { method: op.method, headers: { authorization: `Bearer ${token}` }, body });
    await expect400(res, field, url);
  }
});
