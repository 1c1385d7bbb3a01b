/**
 * Web admin sessions on the real stack (INVENTORY §3.6, §8.2): first-admin setup only while no
 * admin exists, login with CSRF, the `jwt` cookie's attributes, refresh under 10 minutes left,
 * logout revocation, and sessions ended by an invalid/expired cookie, a password change, a
 * disabled admin or an allow list; static_files_path overriding the embedded assets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenManager } from '../../../src/protocols/http/tokens.js';
import { startWebHarness, WebSession } from './web-session.js';

test('setup: / goes to setup while no admin exists; setup needs CSRF and matching passwords, then logs in; then it is closed', async () => {
  const h = await startWebHarness({ data_provider: { create_default_admin: false } });
  try {
    const s = new WebSession(h.base);
    const root = await s.get('/');
    assert.equal(root.status, 302);
    assert.equal(root.location, '/web/admin/setup');
    assert.equal((await s.get('/web/admin/login')).location, '/web/admin/setup');
    assert.equal((await s.post('/web/admin/setup', { username: 'first', password: 'a', confirm_password: 'a' }, { token: null })).status, 403);
    assert.equal((await s.post('/web/admin/setup', { username: 'first', password: 'a', confirm_password: 'a' }, { token: 'forged' })).status, 403);
    const mismatch = await s.post('/web/admin/setup', { username: 'first', password: 'a', confirm_password: 'b' });
    assert.equal(mismatch.status, 200);
    assert.match(mismatch.text, /confirm_password: the passwords do not match/);
    assert.match(mismatch.text, /name="username" value="first"/);
    const ok = await s.post('/web/admin/setup', { username: 'first', password: 'secret-1', confirm_password: 'secret-1' });
    assert.equal(ok.status, 302);
    assert.equal(ok.location, '/web/admin/users');
    assert.deepEqual((await h.data.getAdmin('first')).permissions, ['*']);
    assert.equal((await s.get('/web/admin/users')).status, 200, 'setup logged the admin in');
    assert.equal((await s.get('/web/admin/setup')).location, '/web/admin/login');
    const again = await new WebSession(h.base).post('/web/admin/setup', { username: 'second', password: 'x', confirm_password: 'x' }, { tokenFrom: '/web/admin/login' });
    assert.equal(again.status, 400);
    assert.match(again.text, /an admin user already exists/);
    assert.equal((await s.get('/')).status, 301, 'with an admin, / redirects permanently');
  } finally { await h.close(); }
});

test('login: bad credentials and missing/forged CSRF show the form again; success sets the jwt cookie per §8.2', async () => {
  const h = await startWebHarness();
  try {
    const s = new WebSession(h.base);
    const wrong = await s.loginAdmin('admin', 'nope');
    assert.equal(wrong.status, 200);
    assert.match(wrong.text, /invalid credentials/);
    assert.equal(s.jwt('/web/admin'), undefined);
    const noCsrf = await s.post('/web/admin/login', { username: 'admin', password: 'password' }, { token: null });
    assert.equal(noCsrf.status, 403);
    assert.match(noCsrf.text, /invalid CSRF token.*please log in again/);
    const other = new WebSession(h.base);
    const stolen = await other.csrfOf('/web/admin/login');
    assert.equal((await s.post('/web/admin/login', { username: 'admin', password: 'password' }, { token: stolen })).status, 302, 'same client IP: a token from another page load is valid');
    const cookie = s.jwt('/web/admin');
    assert.ok(cookie);
    assert.equal(cookie.attrs, 'Path=/web/admin; Max-Age=900; HttpOnly; SameSite=Strict');
    assert.equal((await s.get('/web/client/files')).location, '/web/client/login', 'the admin cookie is not a client session');
  } finally { await h.close(); }
});

test('invalid or expired cookie: 302 to the login page and the cookie is cleared; refresh under 10 minutes left', async () => {
  let now = Date.now();
  const h = await startWebHarness({}, { tokens: new TokenManager(undefined, () => now) });
  try {
    const s = new WebSession(h.base);
    assert.equal((await s.loginAdmin()).status, 302);
    const first = s.jwt('/web/admin')!.value;
    now += 4 * 60 * 1000;
    await s.get('/web/admin/users');
    assert.equal(s.jwt('/web/admin')!.value, first, 'no refresh with 11 minutes left');
    now += 2 * 60 * 1000;
    assert.equal((await s.get('/web/admin/users')).status, 200);
    const refreshed = s.jwt('/web/admin')!.value;
    assert.notEqual(refreshed, first, 'refreshed with 9 minutes left');
    now += 10 * 60 * 1000;
    assert.equal((await s.get('/web/admin/users')).status, 200, 'the refreshed cookie outlives the first one (and is refreshed again)');
    now += 16 * 60 * 1000;
    const expired = await s.get('/web/admin/users');
    assert.equal(expired.status, 302);
    assert.equal(expired.location, '/web/admin/login');
    assert.equal(s.jwt('/web/admin'), undefined, 'the expired cookie was deleted');
    s.cookies.push({ name: 'jwt', value: 'garbage', path: '/web/admin', attrs: '' });
    assert.equal((await s.get('/web/admin/status')).location, '/web/admin/login');
  } finally { await h.close(); }
});

test('logout revokes the token; a password change, a disabled admin or an allow list end sessions', async () => {
  const h = await startWebHarness();
  try {
    await h.addAdmin('ops', ['*'], { password: 'pw-ops-1' });
    const s = new WebSession(h.base);
    await s.loginAdmin('ops', 'pw-ops-1');
    const cookie = s.jwt('/web/admin')!;
    assert.equal((await s.get('/web/admin/logout')).location, '/web/admin/login');
    const replay = new WebSession(h.base);
    replay.cookies.push({ ...cookie });
    assert.equal((await replay.get('/web/admin/users')).status, 302, 'a logged-out cookie is refused');

    const other = new WebSession(h.base);
    await other.loginAdmin('ops', 'pw-ops-1');
    await s.loginAdmin('ops', 'pw-ops-1');
    const bad = await s.post('/web/admin/changepwd', { current_password: 'wrong', new_password1: 'n1', new_password2: 'n1' });
    assert.equal(bad.status, 200);
    assert.match(bad.text, /current_password: current password does not match/);
    assert.match((await s.post('/web/admin/changepwd', { current_password: 'pw-ops-1', new_password1: 'n1', new_password2: 'n2' })).text, /new_password2: the two passwords do not match/);
    const changed = await s.post('/web/admin/changepwd', { current_password: 'pw-ops-1', new_password1: 'pw-ops-2', new_password2: 'pw-ops-2' });
    assert.equal(changed.location, '/web/admin/login');
    assert.equal((await other.get('/web/admin/users')).status, 302, 'sessions of the old password end');
    assert.equal((await s.loginAdmin('ops', 'pw-ops-1')).status, 200, 'old password refused');
    assert.equal((await s.loginAdmin('ops', 'pw-ops-2')).status, 302);

    await h.data.updateAdmin({ ...(await h.data.getAdmin('ops')), filters: { allow_list: ['10.9.9.0/24'] } });
    assert.equal((await s.get('/web/admin/users')).status, 302, 'IP outside the allow list');
    await h.data.updateAdmin({ ...(await h.data.getAdmin('ops')), filters: { allow_list: [] }, status: 0 });
    assert.equal((await s.loginAdmin('ops', 'pw-ops-2')).status, 200, 'disabled admin cannot log in');
  } finally { await h.close(); }
});

test('behind a trusted proxy saying https the cookie is Secure; web_root moves every path', async () => {
  const h = await startWebHarness({ httpd: { web_root: '/sftpgo', bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: true, enable_web_client: false, proxy_allowed: ['127.0.0.1'] }] } });
  try {
    const s = new WebSession(h.base);
    assert.equal((await s.get('/sftpgo')).location, '/sftpgo/web/admin/login', 'client disabled: / goes to the admin login');
    assert.equal((await s.get('/web/admin/login')).status, 404);
    const token = await s.csrfOf('/sftpgo/web/admin/login');
    const r = await s.request('/sftpgo/web/admin/login', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ username: 'admin', password: 'password', _form_token: token }),
    });
    assert.equal(r.location, '/sftpgo/web/admin/users');
    assert.equal(s.jwt('/sftpgo/web/admin')?.attrs, 'Path=/sftpgo/web/admin; Max-Age=900; HttpOnly; SameSite=Strict; Secure');
    const page = await s.get('/sftpgo/web/admin/users');
    assert.match(page.text, /href="\/sftpgo\/static\/sftpgo-web.css"/);
    assert.equal((await s.get('/sftpgo/static/sftpgo-web.js')).status, 200);
    assert.equal((await s.get('/sftpgo/web/client/login')).status, 404, 'web client disabled on this binding');
  } finally { await h.close(); }
});

test('static_files_path: a file there overrides the embedded asset of the same name; other assets stay embedded', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-static-'));
  await writeFile(join(dir, 'sftpgo-web.css'), 'body { color: rebeccapurple; }');
  await mkdir(join(dir, 'img'));
  await writeFile(join(dir, 'img', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const h = await startWebHarness({ httpd: { static_files_path: dir } });
  try {
    const s = new WebSession(h.base);
    assert.equal((await s.get('/static/sftpgo-web.css')).text, 'body { color: rebeccapurple; }');
    assert.match((await s.get('/static/sftpgo-web.js')).text, /X-CSRF-TOKEN/);
    const svg = await s.get('/static/img/logo.svg');
    assert.equal(svg.status, 200);
    assert.match(svg.headers.get('content-type') ?? '', /image\/svg\+xml/);
    assert.equal((await s.get('/static/img/../../secret')).status, 404);
  } finally {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
});
