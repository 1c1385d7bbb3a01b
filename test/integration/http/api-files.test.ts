/**
 * User file access on the real stack (core Connection over the local backend): downloads with
 * HTTP Range (206 + Content-Range, suffix ranges, 416, If-Range), streamzip checked with
 * `unzip -t` and proven streamed (bytes arrive while a later entry cannot be read yet), the
 * per-request HTTP connections, and the maintenance file limits.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { needsBinaries } from '../../helpers/require.js';
import { startHarness, type Harness } from './harness.js';

const run = promisify(execFile);
let h: Harness;
let userToken: string;
let adminToken: string;
let home: string;
const content = randomBytes(300_000);

before(async () => {
  h = await startHarness();
  home = join(h.dir, 'users', 'fu');
  await mkdir(join(home, 'docs', 'deep'), { recursive: true });
  await writeFile(join(home, 'big.bin'), content);
  await writeFile(join(home, 'docs', 'one.txt'), 'one');
  await writeFile(join(home, 'docs', 'deep', 'two.txt'), 'two');
  await utimes(join(home, 'big.bin'), new Date('2021-06-01T10:00:00Z'), new Date('2021-06-01T10:00:00Z'));
  await h.addUser({ username: 'fu', home_dir: home, filters: { web_client: ['publickey-change-disabled'] } });
  userToken = await h.userToken('fu', 'pw');
  adminToken = await h.adminToken();
});
after(async () => { await h.close(); });

const uget = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${h.base}/api/v2${path}`, { headers: { authorization: `Bearer ${userToken}`, ...headers } });
const bytes = async (r: Response) => Buffer.from(await r.arrayBuffer());

test('download: whole file with attachment headers, Last-Modified and Accept-Ranges', async () => {
  const full = await uget('/user/file?path=%2Fbig.bin');
  assert.equal(full.status, 200);
  assert.equal(full.headers.get('accept-ranges'), 'bytes');
  assert.equal(full.headers.get('content-length'), String(content.length));
  assert.equal(full.headers.get('last-modified'), 'Tue, 01 Jun 2021 10:00:00 GMT');
  assert.match(full.headers.get('content-disposition') ?? '', /attachment; filename="big.bin"/);
  assert.ok((await bytes(full)).equals(content));
});

test('ranges: 206 with the right bytes and Content-Range for first-last, open-ended and suffix ranges', async () => {
  const cases: [string, number, number][] = [['bytes=1000-1999', 1000, 1999], ['bytes=299990-', 299_990, 299_999], ['bytes=-10', 299_990, 299_999],
    ['bytes=0-0', 0, 0], ['bytes=299000-999999', 299_000, 299_999], ['bytes=-999999', 0, 299_999]];
  for (const [range, start, end] of cases) {
    const r = await uget('/user/file?path=%2Fbig.bin', { range });
    assert.equal(r.status, 206, range);
    assert.equal(r.headers.get('content-range'), `bytes ${start}-${end}/${content.length}`, range);
    assert.equal(r.headers.get('content-length'), String(end - start + 1), range);
    assert.ok((await bytes(r)).equals(content.subarray(start, end + 1)), range);
  }
});

test('ranges: 416 with bytes */size when unsatisfiable; If-Range mismatch and multi-ranges get the whole file', async () => {
  for (const range of [`bytes=${content.length}-`, 'bytes=-0', 'bytes=500-100']) {
    const bad = await uget('/user/file?path=%2Fbig.bin', { range });
    assert.equal(bad.status, 416, range);
    assert.equal(bad.headers.get('content-range'), `bytes */${content.length}`);
    assert.equal(typeof ((await bad.json()) as { error: string }).error, 'string');
  }
  const stale = await uget('/user/file?path=%2Fbig.bin', { range: 'bytes=0-9', 'if-range': 'Wed, 21 Oct 2015 07:28:00 GMT' });
  assert.equal(stale.status, 200);
  assert.equal((await bytes(stale)).length, content.length);
  const fresh = await uget('/user/file?path=%2Fbig.bin', { range: 'bytes=0-9', 'if-range': 'Tue, 01 Jun 2021 10:00:00 GMT' });
  assert.equal(fresh.status, 206);
  assert.ok((await bytes(fresh)).equals(content.subarray(0, 10)));
  const multi = await uget('/user/file?path=%2Fbig.bin', { range: 'bytes=0-9,20-29' });
  assert.equal(multi.status, 200);
  assert.equal((await bytes(multi)).length, content.length);
  assert.equal((await uget('/user/file?path=%2Fmissing')).status, 404);
  assert.equal((await uget('/user/file?path=%2Fdocs')).status, 400);
});

test('curl resumes a partial download with a Range request (-C -)', needsBinaries('curl'), async () => {
  const out = join(h.dir, 'partial.bin');
  await writeFile(out, content.subarray(0, 123_456));
  await run('curl', ['-sf', '-C', '-', '-o', out, '-H', `Authorization: Bearer ${userToken}`, `${h.base}/api/v2/user/file?path=%2Fbig.bin`]);
  const { readFile } = await import('node:fs/promises');
  assert.ok((await readFile(out)).equals(content));
});

test('streamzip is a valid zip (unzip -t) with the selected files and folders', needsBinaries('unzip'), async () => {
  const res = await fetch(`${h.base}/api/v2/user/streamzip`, {
    method: 'POST', headers: { authorization: `Bearer ${userToken}` }, body: JSON.stringify(['/big.bin', '/docs', '/missing']),
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/zip');
  assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="sftpgo-download.zip"/);
  assert.equal(res.headers.get('content-length'), null, 'no length: the zip is built while it is sent');
  const file = join(h.dir, 'out.zip');
  await writeFile(file, await bytes(res));
  assert.match((await run('unzip', ['-t', file])).stdout, /No errors detected/);
  const list = (await run('unzip', ['-Z1', file])).stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(list, ['big.bin', 'docs/', 'docs/deep/', 'docs/deep/two.txt', 'docs/one.txt']);
  const { stdout } = await run('unzip', ['-p', file, 'big.bin'], { encoding: 'buffer', maxBuffer: 1 << 20 });
  assert.ok(Buffer.from(stdout).equals(content));
});

test('streamzip streams: the first entry arrives while the next file cannot be read yet', { timeout: 60_000 }, async () => {
  await writeFile(join(home, 'later.bin'), randomBytes(1000));
  h.gate.hold('later.bin');
  try {
    const res = await fetch(`${h.base}/api/v2/user/streamzip`, {
      method: 'POST', headers: { authorization: `Bearer ${userToken}` }, body: JSON.stringify(['/big.bin', '/later.bin']),
    });
    assert.equal(res.status, 200, 'headers sent before the archive is complete');
    const reader = res.body!.getReader();
    let received = 0;
    while (received < content.length) {
      const { value, done } = await reader.read();
      assert.ok(!done, 'the archive cannot end while later.bin is held');
      received += value.length;
    }
    await h.gate.reached('later.bin');
    h.gate.release('later.bin');
    while (!(await reader.read()).done) { /* drain */ }
  } finally { h.gate.release('later.bin'); }
});

test('public key changes blocked by publickey-change-disabled', async () => {
  const res = await fetch(`${h.base}/api/v2/user/publickeys`, { method: 'PUT', headers: { authorization: `Bearer ${userToken}` }, body: '[]' });
  assert.equal(res.status, 403);
});

test('each user-API request is an HTTP connection that is closed when the response ends', async () => {
  h.gate.hold('docs');
  try {
    const pending = uget('/user/folder?path=%2Fdocs');
    await h.gate.reached('docs');
    const live = h.core.connections.list();
    assert.deepEqual(live.map((c) => [c.username, c.protocol]), [['fu', 'HTTP']]);
    h.gate.release('docs');
    assert.equal((await pending).status, 200);
  } finally { h.gate.release('docs'); }
  assert.equal(h.core.connections.list().length, 0);
});

test('dump file is written 0600 under backups_path', async () => {
  const r = await fetch(`${h.base}/api/v2/dumpdata?output-file=sub%2Fd.json`, { headers: { authorization: `Bearer ${adminToken}` } });
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
