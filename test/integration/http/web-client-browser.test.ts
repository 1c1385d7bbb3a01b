/**
 * Web client in headless Chromium (end to end): login, browse into a folder and back, download a
 * file (bytes compared), select several entries and download them as sftpgo-download.zip
 * (checked with `unzip -t`), change the password, and see the old password refused.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launchBrowser, needsChromium, type TestBrowser } from '../../helpers/browser.js';
import { needsBinaries } from '../../helpers/require.js';
import type { Harness } from './harness.js';
import { startWebHarness } from './web-session.js';

const run = promisify(execFile);
let h: Harness;
let b: TestBrowser | undefined;
const skip = needsChromium();
const content = randomBytes(200_000);

before(async () => {
  h = await startWebHarness();
  const home = join(h.dir, 'users', 'erin');
  await mkdir(join(home, 'photos'), { recursive: true });
  await writeFile(join(home, 'report.bin'), content);
  await writeFile(join(home, 'notes.txt'), 'some notes\n');
  await writeFile(join(home, 'photos', 'cat.jpg'), randomBytes(5000));
  await h.addUser({ username: 'erin', password: 'erin-pw-1', home_dir: home });
  if (!skip.skip) b = await launchBrowser();
});
after(async () => {
  await b?.close();
  await h.close();
});

const page = () => b!.page;

test('login, browse into a folder and back', skip, async () => {
  const p = page();
  await p.goto(`${h.base}/`);
  assert.equal(new URL(p.url()).pathname, '/web/client/login');
  await p.fill('#username', 'erin');
  await p.fill('#password', 'erin-pw-1');
  await Promise.all([p.waitForURL('**/web/client/files'), p.click('button[type=submit]')]);
  assert.equal(await p.textContent('h1'), 'My Files');
  await Promise.all([p.waitForURL('**/files?path=%2Fphotos'), p.click('#files >> text=photos/')]);
  assert.ok(await p.isVisible('#files >> text=cat.jpg'));
  await Promise.all([p.waitForURL('**/files?path=%2F'), p.click('.crumbs >> text=Home')]);
});

test('a single file downloads with the same bytes', skip, async () => {
  const p = page();
  const [download] = await Promise.all([p.waitForEvent('download'), p.click('#files >> text=report.bin')]);
  assert.equal(download.suggestedFilename(), 'report.bin');
  const file = join(h.dir, 'report.bin');
  await download.saveAs(file);
  assert.ok((await readFile(file)).equals(content));
});

test('multi-select downloads sftpgo-download.zip that unzip -t accepts', skip.skip ? skip : needsBinaries('unzip'), async () => {
  const p = page();
  await p.check('#files input[value="report.bin"]');
  await p.check('#files input[value="photos"]');
  const [download] = await Promise.all([p.waitForEvent('download'), p.click('#zip-download')]);
  assert.equal(download.suggestedFilename(), 'sftpgo-download.zip');
  const file = join(h.dir, 'selected.zip');
  await download.saveAs(file);
  const { stdout } = await run('unzip', ['-t', file]);
  assert.match(stdout, /No errors detected/);
  assert.match(stdout, /testing: report\.bin\s+OK/);
  assert.match(stdout, /testing: photos\/cat\.jpg\s+OK/);
  assert.doesNotMatch(stdout, /notes\.txt/);
});

test('change password logs out; the old password is refused, the new one works', skip, async () => {
  const p = page();
  await Promise.all([p.waitForURL('**/web/client/credentials'), p.click('text=Credentials')]);
  await p.fill('#current_password', 'erin-pw-1');
  await p.fill('#new_password1', 'erin-pw-2');
  await p.fill('#new_password2', 'erin-pw-2');
  await Promise.all([p.waitForURL('**/web/client/login'), p.click('#password-form button[type=submit]')]);
  await p.fill('#username', 'erin');
  await p.fill('#password', 'erin-pw-1');
  await p.click('button[type=submit]');
  assert.match(await p.textContent('.msg.error') ?? '', /Invalid credentials/);
  await p.fill('#username', 'erin');
  await p.fill('#password', 'erin-pw-2');
  await Promise.all([p.waitForURL('**/web/client/files'), p.click('button[type=submit]')]);
});
