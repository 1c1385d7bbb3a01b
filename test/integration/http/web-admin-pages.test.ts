/**
 * Web admin pages on the real stack (sql.js provider, data service, core): users add/edit/clone/
 * delete with bad input shown in the form, stored secrets never sent and kept on save, hostile
 * values escaped in lists; templates as dump downloads; folders; admins with self-protection;
 * backup and restore; live connections; the defender list; the status page.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { BackupData } from '../../../src/dataprovider/models.js';
import { REDACTED_PLACEHOLDER } from '../../../src/protocols/http/web/admin/fs-form.js';
import type { Harness } from './harness.js';
import { startWebHarness, WebSession } from './web-session.js';

let h: Harness;
let s: WebSession;
before(async () => {
  h = await startWebHarness({ data_provider: { skip_natural_keys_validation: true } });
  s = new WebSession(h.base);
  await s.loginAdmin();
});
after(async () => { await h.close(); });

const userFields = (extra: Record<string, string>): [string, string][] =>
  Object.entries({ status: '1', permissions: '*', fs_provider: '0', ...extra });

test('add user: shape and validation errors come back in the form naming the field; a valid user is saved', async () => {
  const home = join(h.dir, 'users', 'webuser');
  const noPw = await s.post('/web/admin/user', userFields({ username: 'webuser', home_dir: home }), { tokenFrom: '/web/admin/user' });
  assert.equal(noPw.status, 400);
  assert.match(noPw.text, /password: a password or at least one public key is required/);
  assert.match(noPw.text, new RegExp(`name="home_dir" value="${home}"`), 'the submitted values are shown again');
  const badNum = await s.post('/web/admin/user', userFields({ username: 'webuser', password: 'p', home_dir: home, quota_files: 'lots' }), { tokenFrom: '/web/admin/user' });
  assert.equal(badNum.status, 400);
  assert.match(badNum.text, /quota_files: must be an integer/);
  const ok = await s.post('/web/admin/user', userFields({ username: 'webuser', password: 'p1', home_dir: home, quota_size: '1000', sub_dirs_permissions: '/ro::list,download' }), { tokenFrom: '/web/admin/user' });
  assert.equal(ok.status, 302);
  assert.equal(ok.location, '/web/admin/users');
  const saved = await h.data.getUser('webuser');
  assert.deepEqual(saved.permissions, { '/': ['*'], '/ro': ['list', 'download'] });
  assert.equal(saved.quota_size, 1000);
  assert.ok(await h.data.verifyPassword('p1', saved.password!));
  const dup = await s.post('/web/admin/user', userFields({ username: 'webuser', password: 'p', home_dir: home }), { tokenFrom: '/web/admin/user' });
  assert.equal(dup.status, 400);
});

test('edit user: the password is kept when empty, a stored secret never reaches the page and is kept on save; clone drops secrets', async () => {
  const home = join(h.dir, 'users', 'cryptu');
  await mkdir(home, { recursive: true });
  await h.data.addUser({ username: 'cryptu', status: 1, password: 'cp', home_dir: home, permissions: { '/': ['*'] }, filesystem: { provider: 4, cryptconfig: { passphrase: { status: 'Plain', payload: 'TOP-SECRET-PASSPHRASE' } } } });
  const stored = (await h.data.getUser('cryptu')).filesystem?.cryptconfig?.passphrase;
  const page = await s.get('/web/admin/user/cryptu');
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes('TOP-SECRET-PASSPHRASE') && !page.text.includes(stored!.payload!), 'secret sent to the browser');
  assert.ok(page.text.includes(`name="crypt_passphrase" value="${REDACTED_PLACEHOLDER}"`));
  const saved = await s.post('/web/admin/user/cryptu', userFields({ username: 'cryptu', home_dir: home, description: 'edited', fs_provider: '4', crypt_passphrase: REDACTED_PLACEHOLDER }), { tokenFrom: '/web/admin/user/cryptu' });
  assert.equal(saved.status, 302);
  const after = await h.data.getUser('cryptu');
  assert.equal(after.description, 'edited');
  assert.deepEqual(after.filesystem?.cryptconfig?.passphrase, stored, 'secret kept');
  assert.ok(await h.data.verifyPassword('cp', after.password!), 'password kept');
  const clone = await s.get('/web/admin/user?clone-from=cryptu');
  assert.match(clone.text, /name="username" value=""/);
  assert.match(clone.text, /name="crypt_passphrase" value=""/);
  assert.match(clone.text, /name="description" value="edited"/);
  const bad = await s.post('/web/admin/user/cryptu', userFields({ username: 'cryptu', home_dir: 'relative/home', fs_provider: '4', crypt_passphrase: REDACTED_PLACEHOLDER }), { tokenFrom: '/web/admin/user/cryptu' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /home_dir: &quot;relative\/home&quot; must be an absolute path/);
  assert.equal((await s.get('/web/admin/user/nobody')).status, 404);
});

test('users list escapes hostile values; delete (AJAX) removes the user; quota scan starts', async () => {
  await h.addUser({ username: 'x<i>y', description: '<script>alert(1)</script>' });
  const list = await s.get('/web/admin/users');
  assert.ok(!list.text.includes('<i>y') && !list.text.includes('<script>alert'), 'hostile value rendered as markup');
  assert.ok(list.text.includes('x&lt;i&gt;y'));
  assert.ok(list.text.includes(`data-url="/web/admin/user/${encodeURIComponent('x<i>y')}"`));
  const scan = await s.ajax('POST', `/web/admin/quotas/scanuser/${encodeURIComponent('x<i>y')}`, '/web/admin/users');
  assert.equal(scan.status, 202);
  const del = await s.ajax('DELETE', `/web/admin/user/${encodeURIComponent('x<i>y')}`, '/web/admin/users');
  assert.equal(del.status, 200);
  assert.deepEqual(JSON.parse(del.text), { message: 'User deleted' });
  await assert.rejects(h.data.getUser('x<i>y'));
});

test('user and folder templates download dumps with filled placeholders and hashed passwords; nothing is created', async () => {
  const r = await s.post('/web/admin/template/user', [
    ...userFields({ home_dir: '/home/%username%', description: 'for %username%' }),
    ['tpl_username', 'tpl1'], ['tpl_password', 'pw-%username%'], ['tpl_public_keys', ''],
    ['tpl_username', 'tpl2'], ['tpl_password', 'second'], ['tpl_public_keys', ''],
  ], { tokenFrom: '/web/admin/template/user' });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="sftpgo-2-users-from-template.json"');
  const dump = JSON.parse(r.text) as BackupData;
  assert.deepEqual(dump.users.map((u) => [u.username, u.home_dir, u.description]), [['tpl1', '/home/tpl1', 'for tpl1'], ['tpl2', '/home/tpl2', 'for tpl2']]);
  assert.match(dump.users[0]!.password!, /^\$2[aby]\$/);
  assert.ok(await h.data.verifyPassword('pw-tpl1', dump.users[0]!.password!));
  await assert.rejects(h.data.getUser('tpl1'), 'templates create nothing');
  const none = await s.post('/web/admin/template/user', userFields({ home_dir: '/home/%username%' }), { tokenFrom: '/web/admin/template/user' });
  assert.equal(none.status, 400);
  assert.match(none.text, /tpl_username: set at least one username/);
  const invalid = await s.post('/web/admin/template/user', [...userFields({ home_dir: 'rel/%username%' }), ['tpl_username', 'a'], ['tpl_password', 'b']], { tokenFrom: '/web/admin/template/user' });
  assert.match(invalid.text, /home_dir: .*must be an absolute path/);
  const f = await s.post('/web/admin/template/folder', { tpl_foldernames: 'alpha\nbeta', mapped_path: '/data/%name%', fs_provider: '0' }, { tokenFrom: '/web/admin/template/folder' });
  assert.equal(f.headers.get('content-disposition'), 'attachment; filename="sftpgo-2-folders-from-template.json"');
  assert.deepEqual((JSON.parse(f.text) as BackupData).folders.map((x) => [x.name, x.mapped_path]), [['alpha', '/data/alpha'], ['beta', '/data/beta']]);
});

test('folders: add, bad input, edit, quota scan, delete', async () => {
  const bad = await s.post('/web/admin/folder', { name: 'fold1', mapped_path: '', fs_provider: '0' }, { tokenFrom: '/web/admin/folder' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /mapped_path: is required for local folders/);
  assert.equal((await s.post('/web/admin/folder', { name: 'fold1', mapped_path: join(h.dir, 'fold1'), fs_provider: '0' }, { tokenFrom: '/web/admin/folder' })).location, '/web/admin/folders');
  assert.match((await s.get('/web/admin/folders')).text, /fold1/);
  const edit = await s.post('/web/admin/folder/fold1', { name: 'fold1', mapped_path: join(h.dir, 'fold1b'), description: 'moved', fs_provider: '0' }, { tokenFrom: '/web/admin/folder/fold1' });
  assert.equal(edit.status, 302);
  assert.equal((await h.data.getFolder('fold1')).mapped_path, join(h.dir, 'fold1b'));
  assert.equal((await s.ajax('POST', '/web/admin/quotas/scanfolder/fold1', '/web/admin/folders')).status, 202);
  assert.equal((await s.ajax('DELETE', '/web/admin/folder/fold1', '/web/admin/folders')).status, 200);
  await assert.rejects(h.data.getFolder('fold1'));
});

test('admins: add, edit; nobody deletes, disables or demotes themselves', async () => {
  const add = await s.post('/web/admin/manager', [['username', 'helper'], ['password', 'hp'], ['status', '1'], ['permissions', 'view_users'], ['email', 'h@example.com']], { tokenFrom: '/web/admin/manager' });
  assert.equal(add.location, '/web/admin/managers');
  assert.match((await s.get('/web/admin/managers')).text, /helper/);
  const badEmail = await s.post('/web/admin/manager/helper', [['username', 'helper'], ['status', '1'], ['permissions', 'view_users'], ['email', 'not-an-email']], { tokenFrom: '/web/admin/manager/helper' });
  assert.match(badEmail.text, /email: .*not a valid email/);
  const self = [['username', 'admin'], ['status', '1'], ['permissions', 'view_users']] as [string, string][];
  const demote = await s.post('/web/admin/manager/admin', self, { tokenFrom: '/web/admin/manager/admin' });
  assert.equal(demote.status, 400);
  assert.match(demote.text, /you cannot remove these permissions to yourself/);
  const disable = await s.post('/web/admin/manager/admin', [['username', 'admin'], ['status', '0'], ['permissions', '*']], { tokenFrom: '/web/admin/manager/admin' });
  assert.match(disable.text, /you cannot disable yourself/);
  const delSelf = await s.ajax('DELETE', '/web/admin/manager/admin', '/web/admin/managers');
  assert.equal(delSelf.status, 400);
  assert.match(JSON.parse(delSelf.text).error, /you cannot delete yourself/);
  assert.equal((await s.ajax('DELETE', '/web/admin/manager/helper', '/web/admin/managers')).status, 200);
  assert.deepEqual((await h.data.getAdmin('admin')).permissions, ['*']);
});

test('maintenance: backup downloads the dump; restore uploads one (bad JSON shown as an error)', async () => {
  const backup = await s.get('/web/admin/backup');
  assert.equal(backup.headers.get('content-disposition'), 'attachment; filename="sftpgo-backup.json"');
  const dump = JSON.parse(backup.text) as BackupData;
  assert.ok(dump.admins.some((a) => a.username === 'admin'));
  const upload = async (content: string, mode = '0') => {
    const token = await s.csrfOf('/web/admin/maintenance');
    const fd = new FormData();
    fd.set('_form_token', token);
    fd.set('mode', mode);
    fd.set('scan_quota', '0');
    fd.set('backup_file', new Blob([content], { type: 'application/json' }), 'dump.json');
    return s.request('/web/admin/restore', { method: 'POST', body: fd });
  };
  const bad = await upload('{not json');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /malformed JSON/);
  const home = join(h.dir, 'users', 'restored');
  dump.users.push({ username: 'restored', status: 1, password: 'rp', home_dir: home, permissions: { '/': ['*'] } });
  const ok = await upload(JSON.stringify(dump));
  assert.equal(ok.status, 200);
  assert.match(ok.text, /Data restored/);
  assert.equal((await h.data.getUser('restored')).home_dir, home);
});

test('connections: a live connection is listed and closed; status and defender pages show the services', async () => {
  const user = await h.addUser({ username: 'connuser' });
  let closedWith = '';
  const conn = await h.core.connections.open({ protocol: 'SFTP', user, remote: { ip: '10.5.6.7', port: 4242 }, clientVersion: 'SSH-2.0-<evil>', onClose: (r) => { closedWith = r; } });
  const page = await s.get('/web/admin/connections');
  assert.match(page.text, /connuser/);
  assert.match(page.text, /SSH-2.0-&lt;evil&gt;/);
  const close = await s.ajax('DELETE', `/web/admin/connections/${encodeURIComponent(conn.id)}`, '/web/admin/connections');
  assert.equal(close.status, 200);
  assert.ok(closedWith !== '' || !h.core.connections.get(conn.id), 'connection closed');
  assert.ok(!(await s.get('/web/admin/connections')).text.includes('connuser'));
  const status = await s.get('/web/admin/status');
  assert.match(status.text, /Data provider[\s\S]*sqlite[\s\S]*OK/);
  assert.match(status.text, /Defender<\/h2><p>Enabled/);
  for (let i = 0; i < 3; i++) h.app.core.defender.addEvent('10.9.8.7', 'login_failed');
  const hosts = JSON.parse((await s.get('/web/admin/defender/hosts')).text) as { id: string; ip: string }[];
  const entry = hosts.find((e) => e.ip === '10.9.8.7');
  assert.ok(entry);
  assert.match((await s.get('/web/admin/defender')).text, /10\.9\.8\.7/);
  assert.equal((await s.ajax('DELETE', `/web/admin/defender/hosts/${entry.id}`, '/web/admin/defender')).status, 200);
  assert.equal(h.app.core.defender.get(entry.id), undefined);
});
