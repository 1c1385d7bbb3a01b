import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { needsBinaries } from '../../helpers/require.js';
import { startHarness, type Harness } from './harness.js';

const run = promisify(execFile);
let h: Harness;
let userToken: string;
let adminToken: string;
const content = randomBytes(300_000);

before(async () => {
  h = await startHarness();
  const home = join(h.dir, 'home');
  await mkdir(join(home, 'docs', 'deep'), { recursive: true });
  await writeFile(join(home, 'big.bin'), content);
  await writeFile(join(home, 'docs', 'one.txt'), 'one');
  await writeFile(join(home, 'docs', 'deep', 'two.txt'), 'two');
  await h.data.addUser({ username: 'fu', password: 'pw', status: 1, home_dir: home, permissions: { '/': ['*'] }, filters: { web_client: ['publickey-change-disabled'] } });
  const r = await fetch(`${h.base}/api/v2/user/token`, { headers: { authorization: h.basic('fu', 'pw') } });
  userToken = ((await r.json()) as { access_token: string }).access_token;
  adminToken = await h.adminToken();
});
after(async () => { await h.close(); });

const uget = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${h.base}/api/v2${path}`, { headers: { authorization: `Bearer ${userToken}`, ...headers } });

test('download: whole file, ranges (206 + Content-Range), suffix, 416, If-Range mismatch gives 200', async () => {
  const full = await uget('/user/file?path=/big.bin');
  assert.equal(full.status, 200);
  assert.equal(full.headers.get('accept-ranges'), 'bytes');
  assert.match(full.headers.get('content-disposition') ?? '', /attachment; filename="big.bin"/);
  assert.ok(Buffer.from(await full.arrayBuffer()).equals(content));
  const part = await uget('/user/file?path=/big.bin', { range: 'bytes=1000-1999' });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get('content-range'), `bytes 1000-1999/${content.length}`);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(content.subarray(1000, 2000)));
  const tail = await uget('/user/file?path=/big.bin', { range: 'bytes=-10' });
  assert.equal(tail.status, 206);
  assert.ok(Buffer.from(await tail.arrayBuffer()).equals(content.subarray(content.length - 10)));
  const bad = await uget('/user/file?path=/big.bin', { range: `bytes=${content.length}-` });
  assert.equal(bad.status, 416);
  assert.equal(bad.headers.get('content-range'), `bytes */${content.length}`);
  const stale = await uget('/user/file?path=/big.bin', { range: 'bytes=0-9', 'if-range': 'Wed, 21 Oct 2015 07:28:00 GMT' });
  assert.equal(stale.status, 200);
  await stale.arrayBuffer();
  assert.equal((await uget('/user/file?path=/missing')).status, 404);
  assert.equal((await uget('/user/file')).status, 400);
});

test('streamzip is a valid zip (unzip -t) with the selected files and folders', needsBinaries('unzip'), async () => {
  const res = await fetch(`${h.base}/api/v2/user/streamzip`, {
    method: 'POST', headers: { authorization: `Bearer ${userToken}` }, body: JSON.stringify(['/big.bin', '/docs']),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/zip');
  assert.equal(res.headers.get('content-length'), null, 'streamed, not buffered');
  const file = join(h.dir, 'out.zip');
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  const { stdout } = await run('unzip', ['-t', file]);
  assert.match(stdout, /No errors detected/);
  const list = (await run('unzip', ['-Z1', file])).stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(list, ['big.bin', 'docs/', 'docs/deep/', 'docs/deep/two.txt', 'docs/one.txt']);
  const bad = await fetch(`${h.base}/api/v2/user/streamzip`, { method: 'POST', headers: { authorization: `Bearer ${userToken}` }, body: '[]' });
  assert.equal(bad.status, 400);
});

test('public key changes blocked by publickey-change-disabled', async () => {
  const res = await fetch(`${h.base}/api/v2/user/publickeys`, { method: 'PUT', headers: { authorization: `Bearer ${userToken}` }, body: '[]' });
  assert.equal(res.status, 403);
});

test('user connections are closed after each request; disabled user loses API access', async () => {
  assert.equal(h.core.connections.list().length, 0);
  await h.data.updateUser({ ...(await h.data.getUser('fu')), status: 0 });
  assert.equal((await uget('/user/folder')).status, 403);
  await h.data.updateUser({ ...(await h.data.getUser('fu')), status: 1 });
  assert.equal((await uget('/user/folder')).status, 200);
});

test('dump file is written 0600 under backups_path', async () => {
  const r = await fetch(`${h.base}/api/v2/dumpdata?output-file=sub/d.json`, { headers: { authorization: `Bearer ${adminToken}` } });
  assert.equal(r.status, 200);
  const st = await stat(join(h.dir, 'backups', 'sub', 'd.json'));
  assert.equal(st.mode & 0o777, 0o600);
});

test('loaddata body over 10 MB is refused; mode 2 disconnects updated users', async () => {
  const big = await fetch(`${h.base}/api/v2/loaddata`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: 'x'.repeat(10 * 1024 * 1024 + 1) });
  assert.equal(big.status, 413);
  await h.core.connections.open({ protocol: 'SFTP', user: await h.data.getUser('fu'), remote: { ip: '10.0.0.1', port: 1 } });
  assert.equal(h.core.connections.countUser('fu'), 1);
  const dump = await h.data.dump();
  const r = await fetch(`${h.base}/api/v2/loaddata?mode=2`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: JSON.stringify(dump) });
  assert.equal(r.status, 200);
  assert.equal(h.core.connections.countUser('fu'), 0);
});
