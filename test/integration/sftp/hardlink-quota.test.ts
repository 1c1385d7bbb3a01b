/**
 * Hard links (`ln` without -s in OpenSSH's sftp, hardlink@openssh.com) on a user with a quota: a
 * link counts as a new file of the source's size, is refused when it would pass the quota, and
 * the "link, then delete the original" loop no longer frees space: used quota always equals what
 * the home really holds.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { homeOf, scratchDir, sftpBatch, startServer, type Harness } from './harness.js';

const clients = needsBinaries('sftp', 'ssh-keygen');
let h: Harness;
let key: string;
let pub: string;
let scratch: string;

before(async () => {
  h = await startServer();
  ({ key, pub } = await h.userKey('links'));
  scratch = await scratchDir('sftpgo-links-');
});

after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Bytes and files the home really holds, each name counted (as a quota scan would). */
async function onDisk(dir: string): Promise<{ usedSize: number; usedFiles: number }> {
  let usedSize = 0;
  let usedFiles = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    usedSize += (await stat(path.join(dir, e.name))).size;
    usedFiles++;
  }
  return { usedSize, usedFiles };
}

async function batch(user: string, lines: string[]): Promise<string> {
  const r = await sftpBatch(h, user, lines.join('\n') + '\n', { key });
  assert.equal(r.code, 0, r.stderr);
  return r.stderr;
}

test('sftp ln: counted as a new file, refused over quota, the delete-original loop frees nothing', clients, async () => {
  await h.addUser({ username: 'linker', public_keys: [pub], quota_size: 2500 });
  const home = homeOf(h, 'linker');
  const kb = path.join(scratch, 'kb.bin');
  await writeFile(kb, Buffer.alloc(1000, 7));
  await batch('linker', [`put ${kb} a`, 'ln a b']);
  assert.deepEqual(await h.ctx.provider.users.getUsedQuota('linker'), { usedSize: 2000, usedFiles: 2 });
  const err = await batch('linker', ['-ln a c']);
  assert.match(err, /link "\/a" to "\/c": Failure/, err);
  await assert.rejects(stat(path.join(home, 'c')), 'the link over quota was not made');
  // The old bypass: link, delete the original, repeat. Each round must end where it started.
  let cur = 'b';
  await batch('linker', ['rm a']);
  for (let i = 0; i < 4; i++) {
    const next = `n${i}`;
    await batch('linker', [`ln ${cur} ${next}`, `rm ${cur}`]);
    cur = next;
    assert.deepEqual(await h.ctx.provider.users.getUsedQuota('linker'), { usedSize: 1000, usedFiles: 1 });
  }
  assert.deepEqual(await onDisk(home), { usedSize: 1000, usedFiles: 1 });
  // Room for one more link only: the second is refused and nothing ever goes uncounted.
  await batch('linker', [`ln ${cur} x`, `-ln ${cur} y`]);
  assert.deepEqual(await h.ctx.provider.users.getUsedQuota('linker'), { usedSize: 2000, usedFiles: 2 });
  assert.deepEqual(await onDisk(home), await h.ctx.provider.users.getUsedQuota('linker'));
});

test('sftp ln: never over an existing name, never a directory', clients, async () => {
  await h.addUser({ username: 'linker2', public_keys: [pub], quota_size: 100_000 });
  const home = homeOf(h, 'linker2');
  await mkdir(path.join(home, 'dir'));
  await writeFile(path.join(home, 'a'), 'aaa');
  await writeFile(path.join(home, 'b'), 'bbb');
  const err = await batch('linker2', ['-ln a b', '-ln dir d2']);
  assert.match(err, /link "\/a" to "\/b": Failure/, err);
  assert.match(err, /link "\/dir" to "\/d2": Operation unsupported/, err);
  assert.deepEqual((await readdir(home)).sort(), ['a', 'b', 'dir']);
  assert.equal((await stat(path.join(home, 'b'))).nlink, 1);
});
