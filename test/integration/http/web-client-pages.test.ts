/**
 * Web client on the real stack: login with the user API's checks (bad password, protocol HTTP
 * denied, CSRF), My Files (listing, single download with Range, listdir JSON, zip checked with
 * `unzip -t`, paths kept inside the home), Credentials (public keys, publickey-change-disabled,
 * password change that ends the session), and sessions ended when the user is disabled.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { needsBinaries } from '../../helpers/require.js';
import type { Harness } from './harness.js';
import { startWebHarness, WebSession } from './web-session.js';

const run = promisify(execFile);
let h: Harness;
const blob = randomBytes(70_000);

before(async () => {
  h = await startWebHarness();
  const home = join(h.dir, 'users', 'carol');
  await mkdir(join(home, 'docs', 'sub'), { recursive: true });
  await writeFile(join(home, 'blob.bin'), blob);
  await writeFile(join(home, 'docs', 'a.txt'), 'alpha');
  await writeFile(join(home, 'docs', 'sub', 'b.txt'), 'beta');
  await writeFile(join(home, '<i>odd".txt'), 'odd');
  await h.addUser({ username: 'carol', password: 'carol-pw', home_dir: home });
  await h.addUser({ username: 'nokeys', password: 'nk', filters: { web_client: ['publickey-change-disabled'] } });
  await h.addUser({ username: 'nohttp', password: 'nh', filters: { denied_protocols: ['HTTP'] } });
});
after(async () => { await h.close(); });

function sshEd25519Key(): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const raw = der.subarray(der.length - 32);
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} test@web`;
}

async function carol(): Promise<WebSession> {
  const s = new WebSession(h.base);
  const r = await s.loginClient('carol', 'carol-pw');
  assert.equal(r.location, '/web/client/files');
  return s;
}

test('login: invalid credentials, protocol HTTP denied and a missing CSRF token show the form again', async () => {
  const s = new WebSession(h.base);
  assert.match((await s.loginClient('carol', 'wrong')).text, /Invalid credentials/);
  assert.match((await s.loginClient('ghost', 'x')).text, /Invalid credentials/);
  assert.match((await s.loginClient('nohttp', 'nh')).text, /HTTP/);
  const noToken = await s.post('/web/client/login', { username: 'carol', password: 'carol-pw' }, { token: null });
  assert.equal(noToken.status, 403);
  assert.equal(s.jwt('/web/client'), undefined);
  assert.equal((await s.get('/web/client/files')).location, '/web/client/login');
  assert.equal((await s.get('/web/client')).status, 301);
  const ok = await carol();
  assert.equal(ok.jwt('/web/client')?.attrs, 'Path=/web/client; Max-Age=900; HttpOnly; SameSite=Strict');
  assert.equal((await ok.get('/web/admin/users')).location, '/web/admin/login', 'a client cookie is not an admin session');
});

test('My Files: listing with escaped names, download with Range, listdir JSON; paths stay inside the home', async () => {
  const s = await carol();
  const root = await s.get('/web/client/files');
  assert.equal(root.status, 200);
  assert.match(root.text, /href="\/web\/client\/files\?path=%2Fdocs">docs\/<\/a>/);
  assert.ok(root.text.includes('&lt;i&gt;odd&quot;.txt') && !root.text.includes('<i>odd'));
  const dl = await fetch(`${h.base}/web/client/files?path=%2Fblob.bin`, { headers: { cookie: `jwt=${s.jwt('/web/client')!.value}` } });
  assert.equal(dl.status, 200);
  assert.match(dl.headers.get('content-disposition') ?? '', /attachment; filename="blob.bin"/);
  assert.ok(Buffer.from(await dl.arrayBuffer()).equals(blob));
  const part = await fetch(`${h.base}/web/client/files?path=%2Fblob.bin`, { headers: { cookie: `jwt=${s.jwt('/web/client')!.value}`, range: 'bytes=100-199' } });
  assert.equal(part.status, 206);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(blob.subarray(100, 200)));
  const list = JSON.parse((await s.get('/web/client/listdir?path=%2Fdocs')).text) as { type: string; name: string; url: string }[];
  assert.deepEqual(list.map((e) => [e.type, e.name]).sort(), [['1', 'sub'], ['2', 'a.txt']]);
  const escape = await s.get('/web/client/files?path=%2F..%2F..%2F..');
  assert.equal(escape.status, 200);
  assert.match(escape.text, /<strong>Home<\/strong>/, '.. above the home is the home');
  assert.equal((await s.get('/web/client/files?path=%2Fmissing')).status, 404);
});

test('zip of selected files and folders is a valid archive (unzip -t)', needsBinaries('unzip'), async () => {
  const s = await carol();
  const r = await fetch(`${h.base}/web/client/downloadzip?path=%2F&files=${encodeURIComponent(JSON.stringify(['docs', 'blob.bin']))}`, { headers: { cookie: `jwt=${s.jwt('/web/client')!.value}` } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-disposition'), 'attachment; filename="sftpgo-download.zip"');
  const file = join(h.dir, 'sel.zip');
  await writeFile(file, Buffer.from(await r.arrayBuffer()));
  const { stdout } = await run('unzip', ['-t', file]);
  assert.match(stdout, /No errors detected/);
  for (const name of ['docs/a.txt', 'docs/sub/b.txt', 'blob.bin']) assert.match(stdout, new RegExp(`testing: ${name.replace('.', '\\.')}\\s+OK`));
  assert.equal((await s.get('/web/client/downloadzip?path=%2F')).status, 400);
});

test('credentials: public keys saved or refused (invalid key, publickey-change-disabled)', async () => {
  const s = await carol();
  const key = sshEd25519Key();
  const ok = await s.post('/web/client/managekeys', { public_keys: key }, { tokenFrom: '/web/client/credentials' });
  assert.equal(ok.status, 200);
  assert.match(ok.text, /Public keys updated/);
  assert.deepEqual((await h.data.getUser('carol')).public_keys, [key]);
  assert.ok(await h.data.verifyPassword('carol-pw', (await h.data.getUser('carol')).password!), 'password kept');
  const bad = await s.post('/web/client/managekeys', { public_keys: 'ssh-rsa not-a-key' }, { tokenFrom: '/web/client/credentials' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /public_keys\[0\]: is not a valid OpenSSH public key/);
  const locked = new WebSession(h.base);
  await locked.loginClient('nokeys', 'nk');
  const page = await locked.get('/web/client/credentials');
  assert.ok(!page.text.includes('id="keys-form"'));
  const refused = await locked.post('/web/client/managekeys', { public_keys: key }, { tokenFrom: '/web/client/credentials' });
  assert.equal(refused.status, 403);
});

test('change password ends the session; the old password is refused; a disabled user is logged out', async () => {
  await h.addUser({ username: 'dave', password: 'old-pw' });
  const s = new WebSession(h.base);
  await s.loginClient('dave', 'old-pw');
  const mismatch = await s.post('/web/client/changepwd', { current_password: 'old-pw', new_password1: 'a', new_password2: 'b' }, { tokenFrom: '/web/client/credentials' });
  assert.match(mismatch.text, /new_password2: the two passwords do not match/);
  const same = await s.post('/web/client/changepwd', { current_password: 'old-pw', new_password1: 'old-pw', new_password2: 'old-pw' }, { tokenFrom: '/web/client/credentials' });
  assert.match(same.text, /new_password: the new password must be different/);
  const done = await s.post('/web/client/changepwd', { current_password: 'old-pw', new_password1: 'new-pw', new_password2: 'new-pw' }, { tokenFrom: '/web/client/credentials' });
  assert.equal(done.location, '/web/client/login');
  assert.equal((await s.get('/web/client/files')).location, '/web/client/login');
  assert.match((await s.loginClient('dave', 'old-pw')).text, /Invalid credentials/);
  assert.equal((await s.loginClient('dave', 'new-pw')).location, '/web/client/files');
  await h.data.updateUser({ ...(await h.data.getUser('dave')), status: 0 });
  assert.equal((await s.get('/web/client/files')).location, '/web/client/login');
});
