import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h.close(); });

const get = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${h.base}/api/v2${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });

async function expectError(res: Response, status: number): Promise<{ error: string; message: string }> {
  assert.equal(res.status, status, `status for ${res.url}`);
  const body = (await res.json()) as { error: string; message: string };
  assert.equal(typeof body.error, 'string');
  assert.equal(typeof body.message, 'string');
  return body;
}

test('token endpoint: Basic auth required, wrong password 401 and not scored, good one gives a 15 min token', async () => {
  await expectError(await get('/token'), 401);
  await expectError(await get('/token', undefined, { headers: { authorization: h.basic('admin', 'bad') } }), 401);
  assert.equal(h.core.defender.score('127.0.0.1'), 0, 'admin failures are not scored (v2.1.2)');
  const r = await get('/token', undefined, { headers: { authorization: h.basic('admin', 'password') } });
  assert.equal(r.status, 200);
  const body = (await r.json()) as { access_token: string; expires_at: string };
  const ttl = Date.parse(body.expires_at) - Date.now();
  assert.ok(ttl > 14 * 60_000 && ttl <= 15 * 60_000 + 1000, `ttl ${ttl}`);
});

test('401 for missing, malformed, foreign-key, expired and revoked tokens', async () => {
  await expectError(await get('/version'), 401);
  await expectError(await get('/version', 'not-a-jwt'), 401);
  const foreign = await new SignJWT({ username: 'admin', permissions: ['*'] }).setProtectedHeader({ alg: 'HS256' })
    .setAudience('API').setSubject('x').setExpirationTime('10m').sign(new Uint8Array(32));
  await expectError(await get('/version', foreign), 401);
  const tokens = h.server.deps.tokens;
  const realNow = Date.now;
  const old = await new (tokens.constructor as typeof import('../../../src/protocols/http/tokens.js').TokenManager)(undefined, () => realNow() - 3600_000)
    .issue('API', 'admin', ['*'], 'sig');
  await expectError(await get('/version', old.access_token), 401);
  const token = await h.adminToken();
  assert.equal((await get('/version', token)).status, 200);
  assert.equal((await get('/logout', token)).status, 200);
  await expectError(await get('/version', token), 401);
});

test('expired token from this server is rejected', async () => {
  const { TokenManager } = await import('../../../src/protocols/http/tokens.js');
  const key = new Uint8Array(32).fill(7);
  const past = new TokenManager(key, () => Date.now() - 20 * 60_000);
  const now = new TokenManager(key);
  const t = await past.issue('API', 'admin', ['*'], 'sig');
  await assert.rejects(now.verify(t.access_token, 'API'), /invalid token/);
  const fresh = await now.issue('API', 'admin', ['*'], 'sig');
  await assert.rejects(now.verify(fresh.access_token, 'APIUser'), /invalid token/);
  assert.equal((await now.verify(fresh.access_token, 'API')).username, 'admin');
});

test('a user token cannot call admin endpoints and an admin token cannot call the user API', async () => {
  await h.data.addUser({ username: 'u1', password: 'pw1', status: 1, home_dir: h.dir, permissions: { '/': ['*'] } });
  const ut = await get('/user/token', undefined, { headers: { authorization: h.basic('u1', 'pw1') } });
  assert.equal(ut.status, 200);
  const userToken = ((await ut.json()) as { access_token: string }).access_token;
  await expectError(await get('/users', userToken), 401);
  await expectError(await get('/user/publickeys', await h.adminToken()), 401);
  assert.equal((await get('/user/publickeys', userToken)).status, 200);
});

test('failed user logins feed the defender; HTTP-denied users get no token', async () => {
  const before = h.core.defender.score('127.0.0.1');
  await expectError(await get('/user/token', undefined, { headers: { authorization: h.basic('u1', 'wrong') } }), 401);
  assert.equal(h.core.defender.score('127.0.0.1'), before + 1);
  await h.data.addUser({ username: 'nohttp', password: 'pw', status: 1, home_dir: h.dir, permissions: { '/': ['*'] }, filters: { denied_protocols: ['HTTP'] } });
  await expectError(await get('/user/token', undefined, { headers: { authorization: h.basic('nohttp', 'pw') } }), 403);
  h.core.defender.unban('127.0.0.1');
});

test('403 for each missing admin permission', async () => {
  const cases: [string, string, string, unknown?][] = [
    ['view_users', 'GET', '/users'], ['add_users', 'POST', '/users', {}], ['edit_users', 'PUT', '/users/u1', {}],
    ['del_users', 'DELETE', '/users/u1'], ['view_users', 'GET', '/folders'], ['view_conns', 'GET', '/connections'],
    ['close_conns', 'DELETE', '/connections/x'], ['view_status', 'GET', '/status'], ['manage_admins', 'GET', '/admins'],
    ['quota_scans', 'GET', '/quotas/users/scans'], ['quota_scans', 'POST', '/quotas/users/u1/scan'],
    ['edit_users', 'PUT', '/quotas/users/u1/usage', {}], ['manage_system', 'GET', '/dumpdata?output-data=1'],
    ['manage_system', 'POST', '/loaddata', {}], ['view_defender', 'GET', '/defender/hosts'],
    ['manage_defender', 'DELETE', '/defender/hosts/00'], ['manage_defender', 'POST', '/defender/unban', { ip: '1.2.3.4' }],
  ];
  const all = ['add_users', 'edit_users', 'del_users', 'view_users', 'view_conns', 'close_conns', 'view_status', 'manage_admins', 'quota_scans', 'manage_system', 'manage_defender', 'view_defender'];
  for (const [perm, method, path, body] of cases) {
    const name = `lim-${perm}`;
    if (!h.data.admins.has(name)) await h.data.addAdmin({ username: name, password: 'pw', status: 1, permissions: all.filter((p) => p !== perm) as never });
    const token = await h.adminToken(name, 'pw');
    const res = await get(path, token, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const err = await expectError(res, 403);
    assert.match(err.error, new RegExp(perm));
  }
});

test('400 for malformed JSON, invalid fields and bad pagination; 404 JSON for unknown routes and records', async () => {
  const token = await h.adminToken();
  const post = (path: string, body: string) => get(path, token, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  assert.match((await expectError(await post('/users', '{"username": '), 400)).error, /malformed JSON/);
  assert.match((await expectError(await post('/users', '{"username": 5, "status": 3}'), 400)).error, /username.*status|status.*username/);
  assert.match((await expectError(await post('/users', '{"username": "x", "status": 1}'), 400)).error, /home_dir/);
  for (const q of ['limit=0', 'limit=501', 'offset=-1', 'order=UP', 'limit=abc']) {
    assert.match((await expectError(await get(`/users?${q}`, token), 400)).error, /limit|offset|order/);
  }
  await expectError(await get('/nope', token), 404);
  await expectError(await fetch(`${h.base}/definitely/not/here`), 404);
  await expectError(await get('/users/missing', token), 404);
  await expectError(await get('/folders/missing', token), 404);
  await expectError(await get('/connections/missing', token, { method: 'DELETE' }), 404);
});

test('request bodies over 1 MB are refused with 413', async () => {
  const token = await h.adminToken();
  const big = JSON.stringify({ username: 'x'.repeat(1024 * 1024 + 10) });
  await expectError(await get('/users', token, { method: 'POST', body: big }), 413);
});

test('admin self-protection: cannot delete, disable or drop manage_admins on itself', async () => {
  await h.data.addAdmin({ username: 'self', password: 'pw', status: 1, permissions: ['manage_admins', 'view_users'] });
  const token = await h.adminToken('self', 'pw');
  await expectError(await get('/admins/self', token, { method: 'DELETE' }), 400);
  await expectError(await get('/admins/self', token, { method: 'PUT', body: JSON.stringify({ status: 0 }) }), 400);
  await expectError(await get('/admins/self', token, { method: 'PUT', body: JSON.stringify({ permissions: ['view_users'] }) }), 400);
  const ok = await get('/admins/self', token, { method: 'PUT', body: JSON.stringify({ description: 'me' }) });
  assert.equal(ok.status, 200);
  assert.equal((await h.data.getAdmin('self')).description, 'me');
});

test('healthz answers ok without auth; web UI paths answer 501 only when enabled', async () => {
  const r = await fetch(`${h.base}/healthz`);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'ok');
  await expectError(await fetch(`${h.base}/web/admin`), 404);
});
