/**
 * Web admin in headless Chromium (end to end, the real stack behind it): first-admin setup,
 * logout and login, a user created through the form, listed, edited and deleted (AJAX with the
 * CSRF header), a folder, a backup download and a restore upload, and an admin without a
 * permission kept out of that page. One browser for the whole file, its page reused.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupData } from '../../../src/dataprovider/models.js';
import { launchBrowser, needsChromium, type TestBrowser } from '../../helpers/browser.js';
import type { Harness } from './harness.js';
import { startWebHarness } from './web-session.js';

let h: Harness;
let b: TestBrowser | undefined;
const skip = needsChromium();

before(async () => {
  h = await startWebHarness({ data_provider: { create_default_admin: false } });
  if (!skip.skip) b = await launchBrowser();
});
after(async () => {
  await b?.close();
  await h.close();
});

const page = () => b!.page;
const url = (p: string) => `${h.base}${p}`;

test('setup creates the first admin and logs in; logout; login again', skip, async () => {
  const p = page();
  await p.goto(url('/'));
  assert.equal(new URL(p.url()).pathname, '/web/admin/setup');
  await p.fill('#username', 'root');
  await p.fill('#password', 'root-pw-1');
  await p.fill('#confirm_password', 'root-pw-1');
  await Promise.all([p.waitForURL('**/web/admin/users'), p.click('button[type=submit]')]);
  assert.equal(await p.textContent('h1'), 'Users');
  await Promise.all([p.waitForURL('**/web/admin/login'), p.click('text=Logout')]);
  await p.fill('#username', 'root');
  await p.fill('#password', 'wrong');
  await p.click('button[type=submit]');
  assert.match(await p.textContent('.msg.error') ?? '', /invalid credentials/);
  await p.fill('#username', 'root');
  await p.fill('#password', 'root-pw-1');
  await Promise.all([p.waitForURL('**/web/admin/users'), p.click('button[type=submit]')]);
});

test('a user created through the form appears in the list, is edited, then deleted', skip, async () => {
  const p = page();
  await Promise.all([p.waitForURL('**/web/admin/user'), p.click('text=Add user')]);
  await p.fill('#username', 'browser-user');
  await p.fill('#password', 'bu-pw');
  await p.fill('#home_dir', join(h.dir, 'users', 'browser-user'));
  await p.fill('#quota_files', '50');
  await p.fill('#sub_dirs_permissions', '/reports');
  await p.click('#user-form button[type=submit]');
  assert.match(await p.textContent('.msg.error') ?? '', /sub_dirs_permissions: "\/reports" is not in the form/);
  assert.equal(await p.inputValue('#username'), 'browser-user', 'the form keeps what was typed');
  await p.fill('#password', 'bu-pw');
  await p.fill('#sub_dirs_permissions', '/reports::list,download');
  await Promise.all([p.waitForURL('**/web/admin/users'), p.click('#user-form button[type=submit]')]);
  assert.ok(await p.isVisible('#users >> text=browser-user'));
  const created = await h.data.getUser('browser-user');
  assert.equal(created.quota_files, 50);
  assert.deepEqual(created.permissions['/reports'], ['list', 'download']);

  await Promise.all([p.waitForURL('**/web/admin/user/browser-user'), p.click('#users >> text=browser-user')]);
  await p.fill('#description', 'edited in chromium');
  await Promise.all([p.waitForURL('**/web/admin/users'), p.click('#user-form button[type=submit]')]);
  assert.ok(await p.isVisible('#users >> text=edited in chromium'));
  assert.ok(await h.data.verifyPassword('bu-pw', (await h.data.getUser('browser-user')).password!), 'an empty password field kept the password');

  const row = p.locator('#users tr', { hasText: 'browser-user' });
  await row.locator('button', { hasText: 'Delete' }).click();
  await p.waitForSelector('#ajax-message.ok');
  assert.equal(await row.count(), 0);
  await assert.rejects(h.data.getUser('browser-user'));
});

test('a folder is added; backup downloads; a restore upload adds a user', skip, async () => {
  const p = page();
  await p.goto(url('/web/admin/folders'));
  await Promise.all([p.waitForURL('**/web/admin/folder'), p.click('text=Add folder')]);
  await p.fill('#name', 'shared');
  await p.fill('#mapped_path', join(h.dir, 'shared'));
  await Promise.all([p.waitForURL('**/web/admin/folders'), p.click('#folder-form button[type=submit]')]);
  assert.ok(await p.isVisible('#folders >> text=shared'));

  await p.click('text=Maintenance');
  const [download] = await Promise.all([p.waitForEvent('download'), p.click('#backup-link')]);
  assert.equal(download.suggestedFilename(), 'sftpgo-backup.json');
  const file = join(h.dir, 'backup.json');
  await download.saveAs(file);
  const dump = JSON.parse(await readFile(file, 'utf8')) as BackupData;
  assert.ok(dump.folders.some((f) => f.name === 'shared'));
  assert.ok(dump.admins.some((a) => a.username === 'root'));

  dump.users.push({ username: 'from-restore', status: 1, password: 'fr', home_dir: join(h.dir, 'users', 'from-restore'), permissions: { '/': ['*'] } });
  await writeFile(file, JSON.stringify(dump));
  await p.setInputFiles('#backup_file', file);
  await p.selectOption('#mode', '1');
  await p.click('#restore-form button[type=submit]');
  assert.match(await p.textContent('.msg.ok') ?? '', /Data restored/);
  assert.equal((await h.data.getUser('from-restore')).username, 'from-restore');
});

test('an admin without manage_system has no Maintenance link and gets the 403 page there', skip, async () => {
  await h.addAdmin('viewer', ['view_users'], { password: 'viewer-pw' });
  const p = page();
  await Promise.all([p.waitForURL('**/web/admin/login'), p.click('text=Logout')]);
  await p.fill('#username', 'viewer');
  await p.fill('#password', 'viewer-pw');
  await Promise.all([p.waitForURL('**/web/admin/users'), p.click('button[type=submit]')]);
  assert.equal(await p.locator('header nav >> text=Maintenance').count(), 0);
  assert.equal(await p.locator('text=Add user').count(), 0);
  const res = await p.goto(url('/web/admin/maintenance'));
  assert.equal(res?.status(), 403);
  assert.equal(await p.textContent('h1'), 'Forbidden');
});
