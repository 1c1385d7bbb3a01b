/**
 * rclone's sftp backend (configured by flags, no config file): copy a tree up with concurrent
 * transfers, hash it remotely (rclone runs md5sum/sha1sum over SSH), check it against the local
 * tree, copy it back, move and delete, with a password and with a key.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { fileHash, homeOf, randomFile, run, scratchDir, startServer, type Harness } from './harness.js';

const clients = needsBinaries('rclone', 'ssh-keygen');
let h: Harness;
let key: string;
let scratch: string;
let tree: string;

before(async () => {
  h = await startServer();
  const k = await h.userKey('rclone');
  key = k.key;
  await h.addUser({ username: 'rc', public_keys: [k.pub], password: 'rclone-pass' });
  scratch = await scratchDir('sftpgo-rclone-');
  tree = path.join(scratch, 'tree');
  await mkdir(path.join(tree, 'd1', 'd2'), { recursive: true });
  await randomFile(path.join(tree, 'big.bin'), 24 * 1024 * 1024);
  for (let i = 0; i < 20; i++) await writeFile(path.join(tree, 'd1', `f${i}.txt`), `file ${i}\n`.repeat(i + 1));
  await writeFile(path.join(tree, 'd1', 'd2', 'deep.txt'), 'deep');
});

after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

function rclone(args: string[], auth: 'key' | 'password'): Promise<{ code: number; stdout: string; stderr: string }> {
  return (async () => {
    const flags = ['--config', '/dev/null', '--sftp-host', '127.0.0.1', '--sftp-port', String(h.port), '--sftp-user', 'rc', '--low-level-retries', '1', '--retries', '1'];
    if (auth === 'key') flags.push('--sftp-key-file', key);
    else flags.push('--sftp-pass', (await run('rclone', ['obscure', 'rclone-pass'])).stdout.trim());
    return run('rclone', [...flags, ...args], { env: { HOME: scratch } });
  })();
}

test('copy up, md5sum and check remotely, copy back', clients, async () => {
  let r = await rclone(['copy', '--transfers', '4', tree, ':sftp:up'], 'key');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await fileHash(path.join(homeOf(h, 'rc'), 'up', 'big.bin')), await fileHash(path.join(tree, 'big.bin')));
  r = await rclone(['md5sum', ':sftp:up/d1/d2'], 'key');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${await fileHash(path.join(tree, 'd1', 'd2', 'deep.txt'), 'md5')}  deep.txt`);
  r = await rclone(['check', tree, ':sftp:up'], 'key');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /0 differences found/);
  assert.doesNotMatch(r.stderr, /hashes could not be checked/);
  const back = path.join(scratch, 'back');
  r = await rclone(['copy', ':sftp:up', back], 'password');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await fileHash(path.join(back, 'big.bin')), await fileHash(path.join(tree, 'big.bin')));
  assert.equal(await readFile(path.join(back, 'd1', 'd2', 'deep.txt'), 'utf8'), 'deep');
});

test('move and delete through rclone', clients, async () => {
  let r = await rclone(['copy', path.join(tree, 'd1'), ':sftp:work'], 'password');
  assert.equal(r.code, 0, r.stderr);
  r = await rclone(['moveto', ':sftp:work/f1.txt', ':sftp:work/renamed.txt'], 'password');
  assert.equal(r.code, 0, r.stderr);
  r = await rclone(['delete', '--include', 'f1*.txt', ':sftp:work'], 'password');
  assert.equal(r.code, 0, r.stderr);
  const left = (await readdir(path.join(homeOf(h, 'rc'), 'work'))).sort();
  assert.ok(left.includes('renamed.txt'));
  assert.ok(!left.some((n) => /^f1\d*\.txt$/.test(n)), left.join(','));
  r = await rclone(['purge', ':sftp:work'], 'password');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!(await readdir(homeOf(h, 'rc'))).includes('work'));
});
