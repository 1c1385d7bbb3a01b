/**
 * WebDAV through curl: uploads and downloads with checksums, Range, rename, copy, delete,
 * permission denial (403), quota stop (507), traversal refused, OPTIONS before authentication,
 * PROPFIND depth rules, bad input as 4xx, and the connection listed with protocol DAV.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile, mkdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { curl, startDav, type DavHarness } from './harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const ALICE = ['-u', 'alice:alice-pw'];
const READER = ['-u', 'reader:reader-pw'];
const SMALL = ['-u', 'small:small-pw'];

describe('WebDAV with curl', needsBinaries('curl'), () => {
  let h: DavHarness;
  let tmp: string;

  before(async () => {
    h = await startDav({
      users: [
        { username: 'alice', password: 'alice-pw' },
        { username: 'reader', password: 'reader-pw', permissions: { '/': ['list', 'download'] } },
        { username: 'small', password: 'small-pw', quota_size: 100_000 },
        { username: 'slow', password: 'slow-pw', download_bandwidth: 64 },
      ],
    });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-dav-curl-'));
  });
  after(async () => {
    await h.close();
    await rm(tmp, { recursive: true, force: true });
  });
  const home = (user: string) => path.join(h.ctx.dir, 'users', user);

  test('OPTIONS answers before authentication; other methods need credentials', async () => {
    const o = await curl(['-X', 'OPTIONS', h.url]);
    assert.equal(o.status, 200);
    assert.equal(o.headers.dav, '1, 2');
    assert.match(o.headers.allow ?? '', /PROPFIND/);
    const g = await curl([h.url]);
    assert.equal(g.status, 401);
    assert.equal(g.headers['www-authenticate'], 'Basic realm="SFTPGo WebDAV"');
    assert.equal((await curl(['-u', 'alice:wrong', h.url])).status, 401);
  });

  test('upload and download keep the content (sha256); PUT over a file answers 204', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 123);
    const src = path.join(tmp, 'up.bin');
    await writeFile(src, data);
    const put = await curl([...ALICE, '-T', src, h.at('up.bin')]);
    assert.equal(put.status, 201);
    assert.match(put.headers.etag ?? '', /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.equal(sha(await readFile(path.join(home('alice'), 'up.bin'))), sha(data));
    const back = path.join(tmp, 'back.bin');
    const get = await curl([...ALICE, '-o', back, h.at('up.bin')]);
    assert.equal(get.status, 200);
    assert.equal(sha(await readFile(back)), sha(data));
    assert.equal((await curl([...ALICE, '-T', src, h.at('up.bin')])).status, 204);
    const chunked = await curl([...ALICE, '-H', 'Transfer-Encoding: chunked', '-T', src, h.at('chunked.bin')]);
    assert.equal(chunked.status, 201);
    assert.equal(sha(await readFile(path.join(home('alice'), 'chunked.bin'))), sha(data));
  });

  test('Range downloads: 206 with the slice, 416 past the end, HEAD gives the length', async () => {
    const data = randomBytes(10_000);
    await writeFile(path.join(home('alice'), 'range.bin'), data);
    const out = path.join(tmp, 'range.part');
    const r = await curl([...ALICE, '-r', '100-1099', '-o', out, h.at('range.bin')]);
    assert.equal(r.status, 206);
    assert.equal(r.headers['content-range'], 'bytes 100-1099/10000');
    assert.deepEqual(await readFile(out), data.subarray(100, 1100));
    const tail = await curl([...ALICE, '-r', '-10', '-o', out, h.at('range.bin')]);
    assert.equal(tail.status, 206);
    assert.deepEqual(await readFile(out), data.subarray(9990));
    const past = await curl([...ALICE, '-r', '20000-', h.at('range.bin')]);
    assert.equal(past.status, 416);
    assert.equal(past.headers['content-range'], 'bytes */10000');
    const head = await curl([...ALICE, '-I', h.at('range.bin')]);
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '10000');
    assert.equal(head.headers['accept-ranges'], 'bytes');
  });

  test('rename (MOVE), copy (COPY), Overwrite F, recursive DELETE', async () => {
    await mkdir(path.join(home('alice'), 'tree/sub'), { recursive: true });
    await writeFile(path.join(home('alice'), 'tree/sub/f.txt'), 'hello');
    const mv = await curl([...ALICE, '-X', 'MOVE', '-H', `Destination: ${h.at('tree2')}`, h.at('tree')]);
    assert.equal(mv.status, 201);
    assert.equal((await curl([...ALICE, h.at('tree/sub/f.txt')])).status, 404);
    assert.equal((await curl([...ALICE, h.at('tree2/sub/f.txt')])).body, 'hello');
    const cp = await curl([...ALICE, '-X', 'COPY', '-H', `Destination: ${h.at('tree3')}`, h.at('tree2')]);
    assert.equal(cp.status, 201);
    assert.equal(await readFile(path.join(home('alice'), 'tree3/sub/f.txt'), 'utf8'), 'hello');
    const noOverwrite = await curl([...ALICE, '-X', 'COPY', '-H', `Destination: ${h.at('tree3')}`, '-H', 'Overwrite: F', h.at('tree2')]);
    assert.equal(noOverwrite.status, 412);
    const del = await curl([...ALICE, '-X', 'DELETE', h.at('tree3')]);
    assert.equal(del.status, 204);
    await assert.rejects(stat(path.join(home('alice'), 'tree3')));
    const missingParent = await curl([...ALICE, '-X', 'MOVE', '-H', `Destination: ${h.at('nope/x')}`, h.at('tree2')]);
    assert.equal(missingParent.status, 409);
  });

  test('a user without the permission gets 403 and nothing changes', async () => {
    await writeFile(path.join(tmp, 'r.txt'), 'data');
    await mkdir(home('reader'), { recursive: true });
    await writeFile(path.join(home('reader'), 'existing.txt'), 'keep');
    assert.equal((await curl([...READER, h.at('existing.txt')])).body, 'keep');
    assert.equal((await curl([...READER, '-T', path.join(tmp, 'r.txt'), h.at('new.txt')])).status, 403);
    assert.equal((await curl([...READER, '-T', path.join(tmp, 'r.txt'), h.at('existing.txt')])).status, 403);
    assert.equal((await curl([...READER, '-X', 'DELETE', h.at('existing.txt')])).status, 403);
    assert.equal((await curl([...READER, '-X', 'MKCOL', h.at('d')])).status, 403);
    assert.equal((await curl([...READER, '-X', 'MOVE', '-H', `Destination: ${h.at('moved.txt')}`, h.at('existing.txt')])).status, 403);
    assert.equal(await readFile(path.join(home('reader'), 'existing.txt'), 'utf8'), 'keep');
    await assert.rejects(stat(path.join(home('reader'), 'new.txt')));
  });

  test('quota: an upload past quota_size stops with 507, announced or streamed, and leaves nothing', async () => {
    const big = path.join(tmp, 'big.bin');
    await writeFile(big, randomBytes(300_000));
    const announced = await curl([...SMALL, '-T', big, h.at('big.bin')]);
    assert.equal(announced.status, 507);
    const streamed = await curl([...SMALL, '-H', 'Transfer-Encoding: chunked', '-T', big, h.at('big2.bin')]);
    assert.equal(streamed.status, 507);
    await assert.rejects(stat(path.join(home('small'), 'big.bin')));
    await assert.rejects(stat(path.join(home('small'), 'big2.bin')));
    await writeFile(path.join(tmp, 'fits.bin'), randomBytes(50_000));
    assert.equal((await curl([...SMALL, '-T', path.join(tmp, 'fits.bin'), h.at('fits.bin')])).status, 201);
  });

  test('traversal attempts are refused and never reach outside the home', async () => {
    for (const p of ['../../../../etc/passwd', '%2e%2e/%2e%2e/%2e%2e/etc/passwd', '..%2f..%2f..%2fetc%2fpasswd', 'a/../../etc/passwd']) {
      const r = await curl([...ALICE, '--path-as-is', `${h.url}${p}`]);
      assert.equal(r.status, 400, p);
      assert.doesNotMatch(r.body, /root:/);
    }
    await symlink('/etc', path.join(home('alice'), 'escape'));
    const viaLink = await curl([...ALICE, h.at('escape/passwd')]);
    assert.ok(viaLink.status === 403 || viaLink.status === 404, `status ${viaLink.status}`);
    assert.doesNotMatch(viaLink.body, /root:/);
    const put = await curl([...ALICE, '-T', path.join(tmp, 'r.txt'), h.at('escape/owned.txt')]);
    assert.ok(put.status === 403 || put.status === 404 || put.status === 409, `status ${put.status}`);
    await assert.rejects(stat('/etc/owned.txt'));
  });

  test('PROPFIND: Depth 0 and 1 answer 207, infinity is refused; GET on a collection lists it', async () => {
    await mkdir(path.join(home('alice'), 'list/inner'), { recursive: true });
    await writeFile(path.join(home('alice'), 'list/a b.txt'), 'x');
    const d1 = await curl([...ALICE, '-X', 'PROPFIND', '-H', 'Depth: 1', h.at('list/')]);
    assert.equal(d1.status, 207);
    assert.match(d1.body, /<D:href>\/list\/a%20b.txt<\/D:href>/);
    assert.match(d1.body, /<D:href>\/list\/inner\/<\/D:href>/);
    assert.match(d1.body, /<D:getcontentlength>1<\/D:getcontentlength>/);
    const d0 = await curl([...ALICE, '-X', 'PROPFIND', '-H', 'Depth: 0', h.at('list/')]);
    assert.doesNotMatch(d0.body, /inner/);
    for (const depth of [['-H', 'Depth: infinity'], []]) {
      const inf = await curl([...ALICE, '-X', 'PROPFIND', ...depth, h.at('list/')]);
      assert.equal(inf.status, 403);
      assert.match(inf.body, /propfind-finite-depth/);
    }
    const get = await curl([...ALICE, h.at('list/')]);
    assert.equal(get.status, 207);
    assert.match(get.body, /a%20b.txt/);
  });

  test('bad input is a 4xx with a reason, never a 5xx', async () => {
    const cases: [string[], number][] = [
      [['-X', 'PROPFIND', '-H', 'Depth: 0', '--data', '<D:propfind xmlns:D="DAV:"><D:prop>', h.url], 400],
      [['-X', 'PROPFIND', '-H', 'Depth: 0', '--data', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', h.url], 400],
      [['-X', 'PROPPATCH', '--data', '<nope/>', h.url], 400],
      [['-X', 'PUT', '-H', 'If: (<urn:x', '--data', 'x', h.at('if.txt')], 400],
      [['-X', 'LOCK', '--data', '<D:lockinfo xmlns:D="DAV:"/>', h.at('l.txt')], 400],
      [['-X', 'UNLOCK', h.at('up.bin')], 400],
      [['-X', 'COPY', h.at('up.bin')], 400],
      [['-X', 'MOVE', '-H', 'Destination: http://elsewhere.example/x', h.at('up.bin')], 400],
      [['-X', 'PATCH', h.url], 405],
      [['-X', 'MKCOL', '--data', 'body', h.at('withbody')], 415],
      [['-X', 'PROPFIND', '-H', 'Depth: 1', h.at('missing/')], 404],
    ];
    for (const [args, want] of cases) {
      const r = await curl([...ALICE, ...args]);
      assert.equal(r.status, want, `${args.join(' ')} -> ${r.status} ${r.body}`);
    }
  });

  test('a running request is listed in the connections with protocol DAV, and gone after', async () => {
    await mkdir(home('slow'), { recursive: true });
    await writeFile(path.join(home('slow'), 'slow.bin'), randomBytes(512 * 1024));
    const child = spawn('curl', ['-sS', '-u', 'slow:slow-pw', '-o', '/dev/null', h.at('slow.bin')], { stdio: 'ignore' });
    try {
      let seen;
      for (let i = 0; i < 2000 && !seen; i++) {
        seen = h.ctx.core.connections.list().find((c) => c.username === 'slow' && (c.active_transfers?.length ?? 0) > 0);
        if (!seen) await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(seen, 'the DAV connection shows up');
      assert.equal(seen.protocol, 'DAV');
      assert.match(seen.connection_id, /^DAV_/);
      assert.equal(seen.active_transfers?.[0]?.operation_type, 'download');
    } finally {
      child.kill();
    }
    await new Promise((r) => child.once('exit', r));
    for (let i = 0; i < 2000 && h.ctx.core.connections.list().some((c) => c.username === 'slow'); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(h.ctx.core.connections.list().filter((c) => c.username === 'slow').length, 0);
  });
});
