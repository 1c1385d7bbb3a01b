/**
 * The core's rules as an OpenSSH sftp user sees them: per-directory permissions, quota (files
 * and size, with the partial file removed), max upload size, file patterns (listing still shows
 * denied names), path traversal and symlinks pointing outside the home, virtual folders, and
 * max_sessions.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { homeOf, randomFile, scratchDir, sftpBatch, startServer, start, sshOptions, type Harness } from './harness.js';

const clients = needsBinaries('sftp', 'ssh-keygen');
let h: Harness;
let key: string;
let pub: string;
let scratch: string;
let small: string;

before(async () => {
  h = await startServer();
  ({ key, pub } = await h.userKey('rules'));
  scratch = await scratchDir('sftpgo-rules-');
  small = path.join(scratch, 'small.txt');
  await writeFile(small, 'small file\n');
});

after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Runs each command with a leading "-" so the batch goes on; returns stderr. */
async function attempt(user: string, commands: string[]): Promise<string> {
  const r = await sftpBatch(h, user, commands.map((c) => `-${c}`).join('\n') + '\n', { key });
  assert.equal(r.code, 0, r.stderr);
  return r.stderr;
}

test('permissions per directory: read-only root, full access in /rw', clients, async () => {
  await h.addUser({ username: 'perm', public_keys: [pub], permissions: { '/': ['list', 'download'], '/rw': ['*'] } });
  const home = homeOf(h, 'perm');
  await mkdir(path.join(home, 'rw'));
  await writeFile(path.join(home, 'ro.txt'), 'read only');
  const err = await attempt('perm', [
    `put ${small} up.txt`, 'mkdir newdir', 'rm ro.txt', 'rename ro.txt moved.txt', 'chmod 600 ro.txt', 'ln -s ro.txt link',
    `get ro.txt ${path.join(scratch, 'ro.back')}`, `put ${small} rw/up.txt`, 'mkdir rw/sub', 'rename rw/up.txt rw/sub/up2.txt',
  ]);
  assert.equal((err.match(/Permission denied/g) ?? []).length, 6, err);
  await assert.rejects(stat(path.join(home, 'up.txt')));
  await assert.rejects(stat(path.join(home, 'newdir')));
  assert.equal(await readFile(path.join(home, 'ro.txt'), 'utf8'), 'read only');
  assert.equal(await readFile(path.join(scratch, 'ro.back'), 'utf8'), 'read only');
  assert.equal(await readFile(path.join(home, 'rw', 'sub', 'up2.txt'), 'utf8'), 'small file\n');
});

test('upload without overwrite, chown, create_symlinks or rename', clients, async () => {
  await h.addUser({ username: 'noover', public_keys: [pub], permissions: { '/': ['list', 'download', 'upload'] } });
  const err = await attempt('noover', [
    `put ${small} new.txt`, `put ${small} new.txt`, 'chown 1234 new.txt', 'chgrp 1234 new.txt', 'ln -s new.txt link', 'rename new.txt other.txt',
  ]);
  assert.equal((err.match(/Permission denied/g) ?? []).length, 5, err);
  assert.deepEqual(await readdir(homeOf(h, 'noover')), ['new.txt']);
});

test('quota on files and size; an upload over the size quota leaves nothing behind', clients, async () => {
  await h.addUser({ username: 'qfiles', public_keys: [pub], quota_files: 2 });
  let err = await attempt('qfiles', [`put ${small} 1.txt`, `put ${small} 2.txt`, `put ${small} 3.txt`]);
  assert.match(err, /3\.txt.*Failure/);
  assert.deepEqual((await readdir(homeOf(h, 'qfiles'))).sort(), ['1.txt', '2.txt']);
  await h.addUser({ username: 'qsize', public_keys: [pub], quota_size: 1024 * 1024 });
  const big = path.join(scratch, 'two-mib.bin');
  await randomFile(big, 2 * 1024 * 1024);
  err = await attempt('qsize', [`put ${small} ok.txt`, `put ${big} big.bin`]);
  assert.match(err, /Failure|write remote/i);
  assert.deepEqual(await readdir(homeOf(h, 'qsize')), ['ok.txt']);
  const user = await h.ctx.provider.users.getUsedQuota('qsize');
  assert.deepEqual(user, { usedSize: 11, usedFiles: 1 });
});

test('max_upload_file_size refuses bigger files', clients, async () => {
  await h.addUser({ username: 'maxsize', public_keys: [pub], filters: { max_upload_file_size: 100 * 1024 } });
  const big = path.join(scratch, 'max.bin');
  await randomFile(big, 512 * 1024);
  const err = await attempt('maxsize', [`put ${big} max.bin`, `put ${small} fine.txt`]);
  assert.match(err, /max\.bin|Failure/);
  assert.deepEqual(await readdir(homeOf(h, 'maxsize')), ['fine.txt']);
});

test('file patterns: denied names cannot be uploaded or downloaded but stay listed', clients, async () => {
  await h.addUser({
    username: 'pat', public_keys: [pub],
    filters: { file_patterns: [{ path: '/', denied_patterns: ['*.exe'] }] },
  });
  await writeFile(path.join(homeOf(h, 'pat'), 'old.exe'), 'binary');
  const r = await sftpBatch(h, 'pat', `-put ${small} new.exe\n-get old.exe ${path.join(scratch, 'x.exe')}\n-rm old.exe\nls\nput ${small} fine.txt\n`, { key });
  assert.equal((r.stderr.match(/Permission denied/g) ?? []).length, 3, r.stderr);
  assert.match(r.stdout, /old\.exe/);
  assert.deepEqual((await readdir(homeOf(h, 'pat'))).sort(), ['fine.txt', 'old.exe']);
});

test('no way out of the home: ../ paths stay inside and symlinks to the outside are refused', clients, async () => {
  await h.addUser({ username: 'jail', public_keys: [pub] });
  const home = homeOf(h, 'jail');
  const outside = path.join(scratch, 'secret.txt');
  await writeFile(outside, 'secret');
  await symlink(outside, path.join(home, 'escape'));
  const r = await sftpBatch(h, 'jail', [
    `-get ../../../../../../${outside} ${path.join(scratch, 'a')}`, `-get escape ${path.join(scratch, 'b')}`,
    `-put ${small} ../../../../../../${path.join(scratch, 'planted')}`, 'cd ../../..', 'pwd',
  ].join('\n') + '\n', { key });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Remote working directory: \/\n/);
  await assert.rejects(stat(path.join(scratch, 'a')));
  await assert.rejects(stat(path.join(scratch, 'b')));
  await assert.rejects(stat(path.join(scratch, 'planted')));
});

test('virtual folders map a virtual path to another directory', clients, async () => {
  const folder = await h.ctx.addFolder({ name: 'shared' });
  await h.addUser({ username: 'vf', public_keys: [pub], virtual_folders: [{ name: 'shared', virtual_path: '/vshared', mapped_path: folder.mapped_path }] as never });
  const r = await sftpBatch(h, 'vf', `put ${small} vshared/in-folder.txt\nls /\n-rmdir vshared\n`, { key });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /vshared/);
  assert.equal(await readFile(path.join(folder.mapped_path!, 'in-folder.txt'), 'utf8'), 'small file\n');
  assert.match(r.stderr, /Permission denied|Failure/);
});

test('max_sessions limits concurrent SFTP sessions', clients, async () => {
  await h.addUser({ username: 'one', public_keys: [pub], max_sessions: 1 });
  const first = start('sftp', [...sshOptions(h.port, { key }), '-P', String(h.port), 'one@127.0.0.1']);
  try {
    await waitFor(() => h.ctx.core.connections.list().some((c) => c.username === 'one'));
    const second = await sftpBatch(h, 'one', 'pwd\n', { key });
    assert.notEqual(second.code, 0);
  } finally {
    first.kill();
  }
});

/** Polls `cond` every 50 ms for up to 20 s (the server state under test, not a timing assertion). */
async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}
