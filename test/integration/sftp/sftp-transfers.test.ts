/**
 * SFTP transfers and file operations with OpenSSH's sftp client: a large file up and down with
 * checksums, resume (reput/reget), recursive put/get, fsync (put -f), and the directory, rename,
 * link, chmod, statvfs (df) and long-name listing requests.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readlink, readFile, rm, stat, truncate, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { fileHash, homeOf, randomFile, scratchDir, sftpBatch, startServer, type Harness } from './harness.js';

const clients = needsBinaries('sftp', 'ssh-keygen');
const BIG = 64 * 1024 * 1024;
let h: Harness;
let key: string;
let scratch: string;

before(async () => {
  h = await startServer();
  const k = await h.userKey('transfers');
  key = k.key;
  await h.addUser({ username: 'u', public_keys: [k.pub] });
  scratch = await scratchDir('sftpgo-xfer-');
});

after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const batch = (text: string) => sftpBatch(h, 'u', text, { key });

test('a 64 MiB file goes up and comes back with the same checksum', clients, async () => {
  const src = path.join(scratch, 'big.bin');
  const back = path.join(scratch, 'big.back');
  await randomFile(src, BIG);
  const r = await batch(`put ${src} big.bin\nget big.bin ${back}\n`);
  assert.equal(r.code, 0, r.stderr);
  const want = await fileHash(src);
  assert.equal(await fileHash(path.join(homeOf(h, 'u'), 'big.bin')), want);
  assert.equal(await fileHash(back), want);
});

test('reput and reget resume partial transfers', clients, async () => {
  const src = path.join(scratch, 'resume.bin');
  await randomFile(src, 8 * 1024 * 1024);
  const remote = path.join(homeOf(h, 'u'), 'resume.bin');
  await copyFile(src, remote);
  await truncate(remote, 3 * 1024 * 1024 + 17);
  let r = await batch(`reput ${src} resume.bin\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await fileHash(remote), await fileHash(src));
  const local = path.join(scratch, 'resume.local');
  await copyFile(src, local);
  await truncate(local, 5 * 1024 * 1024 + 3);
  r = await batch(`reget resume.bin ${local}\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await fileHash(local), await fileHash(src));
});

test('recursive put and get keep the tree', clients, async () => {
  const tree = path.join(scratch, 'tree');
  await mkdir(path.join(tree, 'a', 'b'), { recursive: true });
  await writeFile(path.join(tree, 'top.txt'), 'top');
  await writeFile(path.join(tree, 'a', 'one.txt'), 'one');
  await writeFile(path.join(tree, 'a', 'b', 'two.txt'), 'two'.repeat(10000));
  const back = path.join(scratch, 'tree-back');
  const r = await batch(`put -r ${tree} tree\nget -r tree ${back}\n`);
  assert.equal(r.code, 0, r.stderr);
  for (const rel of ['top.txt', 'a/one.txt', 'a/b/two.txt']) {
    assert.equal(await readFile(path.join(homeOf(h, 'u'), 'tree', rel), 'utf8'), await readFile(path.join(tree, rel), 'utf8'));
    assert.equal(await readFile(path.join(back, rel), 'utf8'), await readFile(path.join(tree, rel), 'utf8'));
  }
});

test('put -f (fsync@openssh.com) and put -p (times and mode)', clients, async () => {
  const src = path.join(scratch, 'synced.txt');
  await writeFile(src, 'durable');
  const { utimes, chmod } = await import('node:fs/promises');
  await chmod(src, 0o640);
  await utimes(src, new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
  const r = await batch(`put -f ${src} synced.txt\nput -p ${src} kept.txt\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(path.join(homeOf(h, 'u'), 'synced.txt'), 'utf8'), 'durable');
  // SFTPGo applies one attribute group per SETSTAT (INVENTORY §3.1): the mode wins over the times.
  assert.equal((await stat(path.join(homeOf(h, 'u'), 'kept.txt'))).mode & 0o777, 0o640);
});

test('mkdir, rename, posix-rename, symlink, hard link, chmod, rm and rmdir', clients, async () => {
  const home = homeOf(h, 'u');
  await writeFile(path.join(home, 'f.txt'), 'content');
  const small = path.join(scratch, 'small.txt');
  await writeFile(small, 'x');
  const r = await batch([
    'mkdir d', 'rename f.txt d/g.txt', 'ln -s g.txt d/sym', 'ln d/g.txt d/hard', 'chmod 600 d/g.txt',
    `put ${small} d/gone`, 'rm d/gone', 'mkdir e', 'rmdir e', 'ls -l d',
  ].join('\n') + '\n');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(path.join(home, 'd', 'g.txt'), 'utf8'), 'content');
  assert.equal((await lstat(path.join(home, 'd', 'sym'))).isSymbolicLink(), true);
  assert.equal(path.basename(await readlink(path.join(home, 'd', 'sym'))), 'g.txt');
  assert.equal((await stat(path.join(home, 'd', 'hard'))).nlink, 2);
  assert.equal((await stat(path.join(home, 'd', 'g.txt'))).mode & 0o777, 0o600);
  await assert.rejects(stat(path.join(home, 'e')));
  await assert.rejects(stat(path.join(home, 'd', 'gone')));
  // ls -l prints the server's long names.
  assert.match(r.stdout, /^-rw------- +1 +\d+ +\d+ +7 \w{3} [ \d]\d [\d:]{4,5} g\.txt$/m);
  assert.match(r.stdout, /^l[rwx-]{9} .* sym$/m);
  // posix-rename over an existing file replaces it.
  await writeFile(path.join(home, 'x1'), 'new');
  await writeFile(path.join(home, 'x2'), 'old');
  const pr = await batch('rename x1 x2\n');
  assert.equal(pr.code, 0, pr.stderr);
  assert.equal(await readFile(path.join(home, 'x2'), 'utf8'), 'new');
});

test('df uses statvfs@openssh.com', clients, async () => {
  const r = await batch('df\n');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Size +Used +Avail +\(root\) +%Capacity\n +\d+ +\d+ +\d+ +\d+ +\d+%/);
});

test('errors come back as SFTP statuses the client prints', clients, async () => {
  const r = await sftpBatch(h, 'u', '-get missing.txt /dev/null\n-rmdir missing-dir\n-mkdir tree\n', { key });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /missing\.txt.*(not found|No such file)/i);
  assert.match(r.stderr, /(Couldn't create directory|remote mkdir).*(Failure|exists)/i);
});
