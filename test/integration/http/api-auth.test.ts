/**
 * API authentication on the real stack: Basic for the token endpoints, Bearer JWT elsewhere,
 * 401 for missing/bad/expired/revoked tokens, token renewal and logout as SFTPGo v2.1.2, audience
 * separation, user tokens only while the user may use HTTP, admin allow_list, and the defender fed
 * by failed user logins. The server's token clock is controlled by the test (no sleeping).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { TokenManager } from '../../../src/protocols/http/tokens.js';
import { startHarness, type Harness } from './harness.js';

const key = new Uint8Array(32).fill(7);
const clock = { now: Date.now() };
let h: Harness;
before(async () => {
  h = await startHarness({ common: { defender: { threshold: 15, score_valid: 1, score_invalid: 2 } } }, { tokens: new TokenManager(key, () => clock.now) });
});
after(async () => { await h.close(); });

const MIN = 60_000;
const get = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${h.base}/api/v2${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) } });
const basicGet = (path: string, user: string, pass: string) => get(path, undefined, { headers: { authorization: h.basic(user, pass) } });

async function expectError(res: Response, status: number, error?: RegExp): Promise<string> {
  const body = (await res.json()) as { error: string; message: string };
  assert.equal(res.status, status, `${res.url}: ${JSON.stringify(body)}`);
  assert.equal(typeof body.message, 'string');
  assert.ok(body.error, 'a useful error');
  if (error) assert.match(body.error, error);
  return body.error;
}

async function tokenOf(res: Response): Promise<{ access_token: string; expires_at: string }> {
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { access_token: string; expires_at: string };
}

test('token endpoint: Basic required (with the realm), wrong password 401 and not scored, 15 minute tokens', async () => {
  const none = await get('/token');
  assert.equal(none.headers.get('www-authenticate'), 'Basic realm="SFTPGo"');
  await expectError(none, 401);
  await expectError(await get('/token', 'some-bearer'), 401);
  await expectError(await basicGet('/token', 'admin', 'bad'), 401, /invalid credentials/);
  await expectError(await basicGet('/token', 'ghost', 'bad'), 401, /invalid credentials/);
  assert.equal(h.core.defender.score('127.0.0.1'), 0, 'admin failures are not scored (v2.1.2)');
  const t = await tokenOf(await basicGet('/token', 'admin', 'password'));
  assert.equal(Date.parse(t.expires_at) - Math.floor(clock.now / 1000) * 1000, 15 * MIN);
});

test('401 for missing, malformed, foreign-key, expired and revoked admin tokens', async () => {
  await expectError(await get('/version'), 401);
  await expectError(await get('/version', 'not-a-jwt'), 401);
  await expectError(await get('/version', undefined, { headers: { authorization: 'Token abc' } }), 401);
  const foreign = await new SignJWT({ username: 'admin', permissions: ['*'] }).setProtectedHeader({ alg: 'HS256' })
    .setAudience('API').setSubject('x').setExpirationTime('10m').sign(new Uint8Array(32));
  await expectError(await get('/version', foreign), 401);
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ username: 'admin', permissions: ['*'], aud: 'API' })).toString('base64url')}.`;
  await expectError(await get('/version', unsigned), 401);
  const token = await h.adminToken();
  assert.equal((await get('/version', token)).status, 200);
  clock.now += 15 * MIN + 1000;
  try {
    await expectError(await get('/version', token), 401, /invalid token/);
  } finally { clock.now -= 15 * MIN + 1000; }
  assert.equal((await get('/logout', token)).status, 200);
  await expectError(await get('/version', token), 401, /revoked/);
});

test('renewal as SFTPGo: a new token needs Basic credentials again; allow_list and status are re-checked then', async () => {
  await h.addAdmin('renew', ['*']);
  const first = await tokenOf(await basicGet('/token', 'renew', 'pw'));
  clock.now += 10 * MIN;
  const second = await tokenOf(await basicGet('/token', 'renew', 'pw'));
  assert.ok(Date.parse(second.expires_at) > Date.parse(first.expires_at));
  assert.notEqual(second.access_token, first.access_token);
  clock.now += 6 * MIN;
  try {
    await expectError(await get('/version', first.access_token), 401);
    assert.equal((await get('/version', second.access_token)).status, 200, 'the renewed token outlives the first');
    await h.data.updateAdmin({ ...(await h.data.getAdmin('renew')), filters: { allow_list: ['192.0.2.0/24'] } });
    await expectError(await basicGet('/token', 'renew', 'pw'), 401, /login from IP 127\.0\.0\.1 not allowed/);
    // API tokens are not re-checked against the admin record (v2.1.2): the live one still works.
    assert.equal((await get('/version', second.access_token)).status, 200);
    await h.data.updateAdmin({ ...(await h.data.getAdmin('renew')), filters: {}, status: 0 });
    await expectError(await basicGet('/token', 'renew', 'pw'), 401);
  } finally { clock.now -= 16 * MIN; }
});

test('admin allow_list: outside 401 with the reason, inside 200, CIDR v4 and v6', async () => {
  await h.addAdmin('far', ['*'], { filters: { allow_list: ['192.0.2.0/24', '2001:db8::/32'] } });
  await expectError(await basicGet('/token', 'far', 'pw'), 401, /not allowed/);
  await expectError(await basicGet('/token', 'far', 'wrong'), 401);
  await h.addAdmin('near', ['*'], { filters: { allow_list: ['127.0.0.0/8'] } });
  await tokenOf(await basicGet('/token', 'near', 'pw'));
});

test('audiences: a user token only opens the user API, an admin token never does', async () => {
  await h.addUser({ username: 'u1', password: 'pw1' });
  const ut = await h.userToken('u1', 'pw1');
  await expectError(await get('/users', ut), 401);
  await expectError(await get('/version', ut), 401);
  await expectError(await get('/logout', ut), 401);
  const at = await h.adminToken();
  await expectError(await get('/user/publickeys', at), 401);
  await expectError(await get('/user/logout', at), 401);
  assert.equal((await get('/user/publickeys', ut)).status, 200);
});

test('user tokens: expired and revoked ones are refused; logout revokes only that token', async () => {
  await h.addUser({ username: 'u2', password: 'pw' });
  const a = await h.userToken('u2', 'pw');
  const b = await h.userToken('u2', 'pw');
  assert.equal((await get('/user/logout', a)).status, 200);
  await expectError(await get('/user/folder', a), 401, /revoked/);
  assert.equal((await get('/user/folder', b)).status, 200);
  clock.now += 16 * MIN;
  try {
    await expectError(await get('/user/folder', b), 401);
  } finally { clock.now -= 16 * MIN; }
});

test('user tokens only while the user may use HTTP: refused at issue (403 with the reason) and on each request', async () => {
  await h.addUser({ username: 'nohttp', filters: { denied_protocols: ['HTTP'] } });
  await expectError(await basicGet('/user/token', 'nohttp', 'pw'), 403, /protocol HTTP is not allowed/);
  await expectError(await basicGet('/user/token', 'nohttp', 'wrong'), 401, /invalid credentials/);
  await h.addUser({ username: 'nopwd', filters: { denied_login_methods: ['password'] } });
  await expectError(await basicGet('/user/token', 'nopwd', 'pw'), 403, /login method password/);
  await h.addUser({ username: 'elsewhere', filters: { allowed_ip: ['192.0.2.0/24'] } });
  await expectError(await basicGet('/user/token', 'elsewhere', 'pw'), 403, /not allowed/);
  await h.addUser({ username: 'off', status: 0 });
  await expectError(await basicGet('/user/token', 'off', 'pw'), 401, /invalid credentials/);
  await h.addUser({ username: 'old', expiration_date: Date.now() - MIN });
  await expectError(await basicGet('/user/token', 'old', 'pw'), 401, /invalid credentials/);

  await h.addUser({ username: 'later' });
  const ut = await h.userToken('later', 'pw');
  const set = async (patch: object) => h.data.updateUser({ ...(await h.data.getUser('later')), ...patch });
  for (const [patch, reason] of [
    [{ filters: { denied_protocols: ['HTTP'] } }, /protocol HTTP/], [{ filters: { denied_login_methods: ['password'] } }, /login method/],
    [{ filters: { allowed_ip: ['10.0.0.0/8'] } }, /not allowed/], [{ status: 0 }, /disabled/], [{ expiration_date: Date.now() - MIN }, /expired/],
  ] as const) {
    await set(patch);
    await expectError(await get('/user/publickeys', ut), 403, reason);
    await set({ filters: {}, status: 1, expiration_date: 0 });
    assert.equal((await get('/user/publickeys', ut)).status, 200);
  }
  await h.data.deleteUser('later');
  await expectError(await get('/user/publickeys', ut), 401);
});

test('failed user logins feed the defender; a banned client gets 403 even with good credentials', async () => {
  await h.addUser({ username: 'victim', password: 'right' });
  h.core.defender.unban('127.0.0.1');
  await expectError(await basicGet('/user/token', 'victim', 'wrong'), 401);
  assert.equal(h.core.defender.score('127.0.0.1'), 1, 'wrong password: score_valid');
  await expectError(await basicGet('/user/token', 'nobody-here', 'x'), 401);
  assert.equal(h.core.defender.score('127.0.0.1'), 3, 'unknown user: score_invalid');
  for (let i = 0; i < 6; i++) await basicGet('/user/token', 'nobody-here', 'x');
  assert.ok(h.core.defender.isBanned('127.0.0.1'));
  try {
    await expectError(await basicGet('/user/token', 'victim', 'right'), 403, /banned/);
    await expectError(await basicGet('/token', 'admin', 'password'), 403, /banned/);
  } finally { h.core.defender.unban('127.0.0.1'); }
  await tokenOf(await basicGet('/user/token', 'victim', 'right'));
});
