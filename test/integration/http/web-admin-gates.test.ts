/**
 * Web admin permission gates (INVENTORY §8.3) and CSRF on actions: an admin holding one
 * permission reaches exactly the pages of that permission (403 page elsewhere) and sees only
 * their links; AJAX actions need both their permission and a valid X-CSRF-TOKEN; every POST form
 * needs `_form_token`. Also: an admin's current permissions apply, not the ones at login.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AdminPermission } from '../../../src/dataprovider/models.js';
import type { Harness } from './harness.js';
import { startWebHarness, WebSession } from './web-session.js';

let h: Harness;
before(async () => {
  h = await startWebHarness();
  await h.addUser({ username: 'u1' });
  await h.data.addFolder({ name: 'f1', mapped_path: '/srv/f1' });
});
after(async () => { await h.close(); });

const PAGES: [string, AdminPermission][] = [
  ['/web/admin/users', 'view_users'], ['/web/admin/user', 'add_users'], ['/web/admin/user/u1', 'edit_users'],
  ['/web/admin/folders', 'view_users'], ['/web/admin/folder', 'add_users'], ['/web/admin/folder/f1', 'edit_users'],
  ['/web/admin/connections', 'view_conns'], ['/web/admin/status', 'view_status'], ['/web/admin/managers', 'manage_admins'],
  ['/web/admin/manager', 'manage_admins'], ['/web/admin/manager/admin', 'manage_admins'], ['/web/admin/maintenance', 'manage_system'],
  ['/web/admin/backup', 'manage_system'], ['/web/admin/template/user', 'manage_system'], ['/web/admin/template/folder', 'manage_system'],
  ['/web/admin/defender', 'view_defender'], ['/web/admin/defender/hosts', 'view_defender'],
];
const NAV: [string, AdminPermission][] = [
  ['/web/admin/users', 'view_users'], ['/web/admin/connections', 'view_conns'], ['/web/admin/status', 'view_status'],
  ['/web/admin/managers', 'manage_admins'], ['/web/admin/maintenance', 'manage_system'], ['/web/admin/defender', 'view_defender'],
];

async function sessionWith(name: string, perms: AdminPermission[]): Promise<WebSession> {
  await h.addAdmin(name, perms);
  const s = new WebSession(h.base);
  assert.equal((await s.loginAdmin(name, 'pw')).status, 302);
  return s;
}

test('each permission opens exactly its pages; the navigation lists only those', async () => {
  const perms = [...new Set(PAGES.map(([, p]) => p))];
  for (const perm of perms) {
    const s = await sessionWith(`only_${perm}`, [perm]);
    for (const [path, needed] of PAGES) {
      const r = await s.get(path);
      assert.equal(r.status, needed === perm ? 200 : 403, `${perm} -> ${path}`);
      if (r.status === 403) assert.match(r.text, new RegExp(`<h1>Forbidden</h1>[\\s\\S]*${needed} is required`));
    }
    const page = await s.get('/web/admin/changepwd');
    assert.equal(page.status, 200, 'any admin may change its password');
    for (const [href, needed] of NAV) assert.equal(page.text.includes(`href="${href}"`), needed === perm, `${perm}: nav link ${href}`);
  }
});

test('AJAX actions need their permission and the X-CSRF-TOKEN header; forms need _form_token', async () => {
  const viewer = await sessionWith('viewer', ['view_users', 'view_conns', 'view_defender']);
  const cases: ['DELETE' | 'POST', string][] = [
    ['DELETE', '/web/admin/user/u1'], ['POST', '/web/admin/quotas/scanuser/u1'], ['DELETE', '/web/admin/folder/f1'],
    ['POST', '/web/admin/quotas/scanfolder/f1'], ['DELETE', '/web/admin/connections/nope'], ['DELETE', '/web/admin/defender/hosts/nope'],
    ['DELETE', '/web/admin/manager/admin'],
  ];
  for (const [method, path] of cases) {
    const r = await viewer.ajax(method, path, '/web/admin/users');
    assert.equal(r.status, 403, `${method} ${path} without the permission`);
    assert.match(JSON.parse(r.text).error, /is required/);
  }
  const root = new WebSession(h.base);
  await root.loginAdmin();
  const noHeader = await root.ajax('DELETE', '/web/admin/user/u1', null);
  assert.equal(noHeader.status, 403);
  assert.match(JSON.parse(noHeader.text).error, /invalid CSRF token/);
  const forged = await root.request('/web/admin/user/u1', { method: 'DELETE', headers: { 'x-csrf-token': 'x.y.z' } });
  assert.equal(forged.status, 403);
  assert.equal((await h.data.getUser('u1')).username, 'u1', 'nothing deleted without a valid token');
  for (const path of ['/web/admin/user', '/web/admin/user/u1', '/web/admin/folder', '/web/admin/manager', '/web/admin/changepwd', '/web/admin/template/user']) {
    const r = await root.post(path, { username: 'zz' }, { token: null });
    assert.equal(r.status, 403, `POST ${path} without _form_token`);
    assert.match(r.text, /<h1>Forbidden<\/h1>[\s\S]*invalid CSRF token/);
  }
  const notFound = await root.ajax('DELETE', '/web/admin/connections/nope', '/web/admin/users');
  assert.equal(notFound.status, 404);
});

test('permissions are re-read on each request: a removed permission closes its pages at once', async () => {
  const s = await sessionWith('shrinking', ['view_users', 'view_status']);
  assert.equal((await s.get('/web/admin/status')).status, 200);
  await h.data.updateAdmin({ ...(await h.data.getAdmin('shrinking')), permissions: ['view_users'] });
  assert.equal((await s.get('/web/admin/status')).status, 403);
  assert.equal((await s.get('/web/admin/users')).status, 200);
});

test('unknown web paths are an HTML 404; static assets are served with their types', async () => {
  const s = new WebSession(h.base);
  const r = await s.get('/web/admin/nothing-here');
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type') ?? '', /text\/html/);
  const css = await s.get('/static/sftpgo-web.css');
  assert.match(css.headers.get('content-type') ?? '', /text\/css/);
  assert.equal((await s.get('/static/../package.json')).status, 404);
  assert.equal((await s.get('/static/%2e%2e/package.json')).status, 404);
  const page = await s.get('/web/admin/login');
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
});
