/**
 * scp with the legacy protocol (`scp -O`, our SCP implementation over exec) and the modern one
 * (SFTP underneath): files both ways with checksums, recursive copies with times, and the core's
 * permissions, quota and patterns seen by scp. Legacy sessions show as SCP connections.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { fileHash, homeOf, randomFile, scp, scratchDir, startServer, type Harness } from './harness.js';

const clients = needsBinaries('scp', 'ssh-keygen');
let h: Harness;
let key: string;
let pub: string;
let scratch: string;

before(async () => {
  h = await startServer();
  ({ key, pub } = await h.userKey('scp'));
  scratch = await scratchDir('sftpgo-scp-');
  await h.addUser({ username: 'u', public_keys: [pub] });
});

after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const remote = (user: string, p: string) => `${user}@127.0.0.1:${p}`;

for (const [label, extra] of [['legacy (-O)', ['-O']], ['SFTP mode', ['-s']]] as const) {
  test(`${label}: a 32 MiB file up and down with the same checksum`, clients, async () => {
    const src = path.join(scratch, `big-${extra[0]}.bin`);
    await randomFile(src, 32 * 1024 * 1024);
    const name = `big${extra[0]}.bin`;
    let r = await scp(h, [...extra], [src], remote('u', name), { key });
    assert.equal(r.code, 0, r.stderr);
    const back = path.join(scratch, `back${extra[0]}.bin`);
    r = await scp(h, [...extra], [remote('u', name)], back, { key });
    assert.equal(r.code, 0, r.stderr);
    const want = await fileHash(src);
    assert.equal(await fileHash(path.join(homeOf(h, 'u'), name)), want);
    assert.equal(await fileHash(back), want);
  });

  test(`${label}: recursive copy with -p both ways`, clients, async () => {
    const tree = path.join(scratch, `tree${extra[0]}`);
    await mkdir(path.join(tree, 'sub', 'deep'), { recursive: true });
    await writeFile(path.join(tree, 'a.txt'), 'aaa');
    await writeFile(path.join(tree, 'sub', 'deep', 'b.txt'), 'bbb');
    const when = new Date('2019-05-06T07:08:09Z');
    await utimes(path.join(tree, 'a.txt'), when, when);
    const target = `dir${extra[0]}`;
    let r = await scp(h, [...extra, '-r', '-p'], [tree], remote('u', target), { key });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(path.join(homeOf(h, 'u'), target, 'sub', 'deep', 'b.txt'), 'utf8'), 'bbb');
    const back = path.join(scratch, `tree-back${extra[0]}`);
    r = await scp(h, [...extra, '-r', '-p'], [remote('u', target)], back, { key });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(path.join(back, 'a.txt'), 'utf8'), 'aaa');
    assert.equal(await readFile(path.join(back, 'sub', 'deep', 'b.txt'), 'utf8'), 'bbb');
  });
}

test('legacy scp into an existing directory keeps the file name; -p downloads carry times', clients, async () => {
  await mkdir(path.join(homeOf(h, 'u'), 'into'), { recursive: true });
  const src = path.join(scratch, 'named.txt');
  await writeFile(src, 'named');
  const r = await scp(h, ['-O'], [src], remote('u', 'into'), { key });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(path.join(homeOf(h, 'u'), 'into', 'named.txt'), 'utf8'), 'named');
  const when = new Date('2018-01-01T00:00:00Z');
  await utimes(path.join(homeOf(h, 'u'), 'into', 'named.txt'), when, when);
  const back = path.join(scratch, 'named.back');
  const d = await scp(h, ['-O', '-p'], [remote('u', 'into/named.txt')], back, { key });
  assert.equal(d.code, 0, d.stderr);
  assert.equal((await stat(back)).mtime.getTime(), when.getTime());
});

test('legacy scp honours permissions, quota and patterns', clients, async () => {
  await h.addUser({
    username: 'limited', public_keys: [pub], quota_files: 1, permissions: { '/': ['list', 'upload', 'create_dirs'], '/nodl': ['list'] },
    filters: { file_patterns: [{ path: '/', denied_patterns: ['*.bad'] }] },
  });
  const home = homeOf(h, 'limited');
  await mkdir(path.join(home, 'nodl'));
  await writeFile(path.join(home, 'nodl', 'secret.txt'), 'no download');
  const src = path.join(scratch, 'one.txt');
  await writeFile(src, 'one');
  const bad = path.join(scratch, 'evil.bad');
  await writeFile(bad, 'bad');
  let r = await scp(h, ['-O'], [bad], remote('limited', 'evil.bad'), { key });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /permission denied/i);
  r = await scp(h, ['-O'], [src], remote('limited', 'one.txt'), { key });
  assert.equal(r.code, 0, r.stderr);
  r = await scp(h, ['-O'], [src], remote('limited', 'two.txt'), { key });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /space limit|quota/i);
  r = await scp(h, ['-O'], [remote('limited', 'nodl/secret.txt')], path.join(scratch, 'secret.back'), { key });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /permission denied/i);
  assert.deepEqual((await readdir(home)).sort(), ['nodl', 'one.txt']);
});

test('legacy scp reports missing files and directories without -r', clients, async () => {
  await mkdir(path.join(homeOf(h, 'u'), 'adir'), { recursive: true });
  let r = await scp(h, ['-O'], [remote('u', 'nope.txt')], path.join(scratch, 'nope'), { key });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /no such file/i);
  r = await scp(h, ['-O'], [remote('u', 'adir')], path.join(scratch, 'adir'), { key });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /directory/i);
});
