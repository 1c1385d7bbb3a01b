/**
 * cadaver (neon) scripted through stdin, credentials from a .netrc in a temp HOME: collections,
 * upload and download with checksums, copy, rename, delete, dead properties, locks, and a
 * permission denial reported as failed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { run, startDav } from './harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('cadaver: put/get, mkcol, copy, move, rm, properties and locks', needsBinaries('cadaver'), async () => {
  const h = await startDav({
    users: [
      { username: 'alice', password: 'alice-pw' },
      { username: 'reader', password: 'reader-pw', permissions: { '/': ['list', 'download'] } },
    ],
  });
  const home = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-dav-cadaver-'));
  const cadaver = async (user: string, script: string) => {
    await writeFile(path.join(home, '.netrc'), `machine 127.0.0.1\nlogin ${user}\npassword ${user}-pw\n`);
    await chmod(path.join(home, '.netrc'), 0o600);
    return run('cadaver', [h.url], { input: `${script}\nquit\n`, cwd: home, env: { ...process.env, HOME: home } });
  };
  try {
    const data = randomBytes(2_000_000);
    await writeFile(path.join(home, 'local.bin'), data);
    const r = await cadaver('alice', [
      'mkcol docs', 'put local.bin docs/file.bin', 'copy docs/file.bin docs/copy.bin', 'move docs/copy.bin docs/moved.bin',
      'get docs/moved.bin back.bin', 'propset docs/file.bin color blue', 'propget docs/file.bin color',
      'lock docs/file.bin', 'discover docs/file.bin', 'unlock docs/file.bin', 'rm docs/file.bin', 'ls docs',
    ].join('\n'));
    const out = r.stdout + r.stderr;
    assert.doesNotMatch(out, /failed/i, out);
    assert.match(out, /Value of color is: blue/);
    assert.match(out, /Lock token <urn:uuid:/);
    assert.match(out, /moved\.bin\s+2000000/);
    assert.equal(sha(await readFile(path.join(home, 'back.bin'))), sha(data));
    const userHome = path.join(h.ctx.dir, 'users', 'alice');
    await assert.rejects(stat(path.join(userHome, 'docs/file.bin')));
    assert.equal(sha(await readFile(path.join(userHome, 'docs/moved.bin'))), sha(data));

    const denied = await cadaver('reader', 'put local.bin nope.bin\nmkcol nodir');
    assert.match(denied.stdout + denied.stderr, /Uploading local\.bin to `\/nope\.bin': [\s\S]*failed:[\s\S]*403/);
    assert.match(denied.stdout + denied.stderr, /Creating `nodir': failed:[\s\S]*403/);
  } finally {
    await h.close();
    await rm(home, { recursive: true, force: true });
  }
});
