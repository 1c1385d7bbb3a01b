/**
 * rclone's webdav backend against our server, configured on the command line only (no rclone
 * config file, HOME in a temp dir): sync up and down with checksums compared, rename, server-side
 * copy, delete, purge, listing, permission denial and quota stop seen by rclone as failures.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { run, startDav, type DavHarness } from './harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('WebDAV with rclone', needsBinaries('rclone'), () => {
  let h: DavHarness;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const remotes: Record<string, string> = {};

  before(async () => {
    h = await startDav({
      users: [
        { username: 'alice', password: 'alice-pw' },
        { username: 'reader', password: 'reader-pw', permissions: { '/': ['list', 'download'] } },
        { username: 'small', password: 'small-pw', quota_size: 200_000 },
      ],
    });
    tmp = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-dav-rclone-'));
    env = { ...process.env, HOME: tmp, RCLONE_CONFIG: path.join(tmp, 'none.conf') };
    for (const u of ['alice', 'reader', 'small']) {
      const obscured = (await run('rclone', ['obscure', `${u}-pw`], { env })).stdout.trim();
      remotes[u] = `:webdav,url='${h.url}',vendor=other,user=${u},pass=${obscured}:`;
    }
  });
  after(async () => {
    await h.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const rclone = async (...args: string[]) => run('rclone', ['--retries', '1', '--low-level-retries', '1', ...args], { env });
  const ok = async (...args: string[]) => {
    const r = await rclone(...args);
    assert.equal(r.code, 0, `rclone ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const home = (u: string) => path.join(h.ctx.dir, 'users', u);

  test('copy a tree up and down; checksums match; rclone check finds no difference', async () => {
    const src = path.join(tmp, 'src');
    await mkdir(path.join(src, 'sub/deeper'), { recursive: true });
    const files: Record<string, Buffer> = { 'a.bin': randomBytes(3_000_000), 'sub/b.txt': Buffer.from('hello'), 'sub/deeper/c.bin': randomBytes(70_000), 'empty.txt': Buffer.alloc(0) };
    for (const [name, data] of Object.entries(files)) await writeFile(path.join(src, name), data);
    await ok('copy', src, `${remotes.alice}tree`);
    for (const [name, data] of Object.entries(files)) {
      assert.equal(sha(await readFile(path.join(home('alice'), 'tree', name))), sha(data), name);
    }
    const dst = path.join(tmp, 'dst');
    await ok('copy', `${remotes.alice}tree`, dst);
    for (const [name, data] of Object.entries(files)) assert.equal(sha(await readFile(path.join(dst, name))), sha(data), name);
    const check = await rclone('check', '--download', src, `${remotes.alice}tree`);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stderr, /0 differences found/);
    const listing = await ok('lsf', '-R', `${remotes.alice}tree`);
    assert.deepEqual(listing.trim().split('\n').sort(), ['a.bin', 'empty.txt', 'sub/', 'sub/b.txt', 'sub/deeper/', 'sub/deeper/c.bin']);
  });

  test('rename (moveto), server-side copy (copyto), delete and purge', async () => {
    await mkdir(path.join(home('alice'), 'ops'), { recursive: true });
    await writeFile(path.join(home('alice'), 'ops/one.txt'), 'one');
    await ok('moveto', `${remotes.alice}ops/one.txt`, `${remotes.alice}ops/two.txt`);
    await assert.rejects(stat(path.join(home('alice'), 'ops/one.txt')));
    await ok('copyto', `${remotes.alice}ops/two.txt`, `${remotes.alice}ops/three.txt`);
    assert.equal(await readFile(path.join(home('alice'), 'ops/three.txt'), 'utf8'), 'one');
    await ok('deletefile', `${remotes.alice}ops/two.txt`);
    await assert.rejects(stat(path.join(home('alice'), 'ops/two.txt')));
    await ok('purge', `${remotes.alice}ops`);
    await assert.rejects(stat(path.join(home('alice'), 'ops')));
  });

  test('permission denial and quota stop are failures for rclone, and leave nothing behind', async () => {
    const f = path.join(tmp, 'up.bin');
    await writeFile(f, randomBytes(300_000));
    const denied = await rclone('copyto', f, `${remotes.reader}up.bin`);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /403|[Ff]orbidden|permission/);
    const over = await rclone('copyto', f, `${remotes.small}up.bin`);
    assert.notEqual(over.code, 0);
    assert.match(over.stderr, /507|Insufficient Storage|space limit/);
    await assert.rejects(stat(path.join(home('small'), 'up.bin')));
  });
});
