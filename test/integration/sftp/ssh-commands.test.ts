/**
 * SSH commands through OpenSSH's ssh client: the hash commands print what the local tools print,
 * cd/pwd, sftpgo-copy and sftpgo-remove with their quota updates, commands that are unknown or
 * not enabled, and the connection label (SSH) in the connections API.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { homeOf, randomFile, run, scratchDir, sftpBatch, sshExec, startServer, type Harness } from './harness.js';

const clients = needsBinaries('ssh', 'ssh-keygen', 'md5sum', 'sha512sum');
let h: Harness;
let key: string;
let pub: string;
let scratch: string;

before(async () => {
  h = await startServer({ sftpd: { enabled_ssh_commands: ['*'] } });
  ({ key, pub } = await h.userKey('cmds'));
  scratch = await scratchDir('sftpgo-cmds-');
  await h.addUser({ username: 'u', public_keys: [pub] });
});

after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const ssh = (cmd: string, input?: string, user = 'u') => sshExec(h, user, cmd, { key, input });

test('hash commands print what the local tools print', clients, async () => {
  const file = path.join(homeOf(h, 'u'), 'data.bin');
  await randomFile(file, 3 * 1024 * 1024 + 5);
  for (const tool of ['md5sum', 'sha1sum', 'sha256sum', 'sha384sum', 'sha512sum']) {
    const local = await run(tool, [file]);
    const hex = local.stdout.split(' ')[0];
    const r = await ssh(`${tool} data.bin`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${hex}  /data.bin\n`, tool);
    const piped = await ssh(tool, 'hello\n');
    assert.equal(piped.stdout, (await run(tool, [], { input: 'hello\n' })).stdout, `${tool} on stdin`);
  }
  const missing = await ssh('md5sum "no such.txt"');
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'md5sum: /no such.txt no such file or directory\n');
});

test('hash commands need list on the path (not download) and honour file patterns, as SFTPGo', clients, async () => {
  await h.addUser({
    username: 'hp', public_keys: [pub],
    permissions: { '/': ['*'], '/listonly': ['list'], '/dlonly': ['download'] },
    filters: { file_patterns: [{ path: '/pat', denied_patterns: ['*.bin'] }] },
  });
  const home = homeOf(h, 'hp');
  for (const d of ['listonly', 'dlonly', 'pat']) await mkdir(path.join(home, d), { recursive: true });
  for (const f of ['listonly/f.txt', 'dlonly/f.txt', 'pat/f.bin', 'pat/f.txt']) await writeFile(path.join(home, f), 'hashed\n');
  const hex = (await run('md5sum', [], { input: 'hashed\n' })).stdout.split(' ')[0];
  const ok = await ssh('md5sum listonly/f.txt', undefined, 'hp');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, `${hex}  /listonly/f.txt\n`, 'list without download is enough');
  const noList = await ssh('sha256sum dlonly/f.txt', undefined, 'hp');
  assert.equal(noList.code, 1, 'download without list is refused');
  assert.match(noList.stderr, /^sha256sum: \/dlonly\/f\.txt permission denied/);
  const denied = await ssh('sha1sum pat/f.bin', undefined, 'hp');
  assert.equal(denied.code, 1, 'a denied pattern is refused');
  assert.match(denied.stderr, /^sha1sum: \/pat\/f\.bin permission denied/);
  assert.equal((await ssh('sha1sum pat/f.txt', undefined, 'hp')).code, 0);
});

test('cd is a no-op and pwd prints the home', clients, async () => {
  assert.equal((await ssh('cd /anything')).code, 0);
  const r = await ssh('pwd');
  assert.equal(r.stdout, '/\n');
});

test('unknown commands fail with a message and exit status 1', clients, async () => {
  const r = await ssh('rm -rf /');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /command "rm" is not supported or not enabled/);
  const shell = await ssh('');
  assert.notEqual(shell.code, 0);
});

test('sftpgo-copy copies files and trees, updates quota, refuses an existing target', clients, async () => {
  await h.addUser({ username: 'cp', public_keys: [pub], quota_files: 4 });
  const home = homeOf(h, 'cp');
  await mkdir(path.join(home, 'src', 'sub'), { recursive: true });
  await writeFile(path.join(home, 'src', 'a.txt'), 'aaaa');
  await writeFile(path.join(home, 'src', 'sub', 'b.txt'), 'bb');
  await mkdir(path.join(home, 'into'));
  let r = await ssh('sftpgo-copy src dst', undefined, 'cp');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'OK\n');
  assert.equal(await readFile(path.join(home, 'dst', 'sub', 'b.txt'), 'utf8'), 'bb');
  r = await ssh('sftpgo-copy src/a.txt into/', undefined, 'cp');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(path.join(home, 'into', 'a.txt'), 'utf8'), 'aaaa');
  assert.deepEqual(await h.ctx.provider.users.getUsedQuota('cp'), { usedSize: 10, usedFiles: 3 });
  r = await ssh('sftpgo-copy src dst', undefined, 'cp');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already exists/);
  r = await ssh('sftpgo-copy src dst2', undefined, 'cp');
  assert.equal(r.code, 1, 'two more files would pass quota_files 4');
  assert.match(r.stderr, /space limit/);
  await assert.rejects(stat(path.join(home, 'dst2')));
});

test('sftpgo-remove deletes a tree and gives the quota back; the root is refused', clients, async () => {
  await h.addUser({ username: 'rmu', public_keys: [pub] });
  const home = homeOf(h, 'rmu');
  await mkdir(path.join(home, 'tree', 'x'), { recursive: true });
  await writeFile(path.join(home, 'tree', 'x', 'f'), '12345');
  await h.ctx.provider.users.updateQuota('rmu', 5, 1, true);
  let r = await ssh('sftpgo-remove tree', undefined, 'rmu');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'OK\n');
  await assert.rejects(stat(path.join(home, 'tree')));
  assert.deepEqual(await h.ctx.provider.users.getUsedQuota('rmu'), { usedSize: 0, usedFiles: 0 });
  r = await ssh('sftpgo-remove /', undefined, 'rmu');
  assert.equal(r.code, 1);
});

test('sftpgo-remove on encrypted storage gives back the stored bytes the upload was charged', clients, async () => {
  await h.addUser({ username: 'rmc', public_keys: [pub], filesystem: { provider: 4, cryptconfig: { passphrase: { status: 'Plain', payload: 'rm-pass' } } } });
  const src = path.join(scratch, 'crypt-src.bin');
  await randomFile(src, 100_000);
  const put = await sftpBatch(h, 'rmc', `mkdir tree\nput ${src} tree/f.bin\n`, { key });
  assert.equal(put.code, 0, put.stderr);
  const charged = await h.ctx.provider.users.getUsedQuota('rmc');
  assert.equal(charged.usedFiles, 1);
  assert.ok(charged.usedSize > 100_000, `an encrypted file is charged its on-disk size (${charged.usedSize})`);
  const r = await ssh('sftpgo-remove tree', undefined, 'rmc');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await h.ctx.provider.users.getUsedQuota('rmc'), { usedSize: 0, usedFiles: 0 });
});

test('commands not in enabled_ssh_commands are refused', clients, async () => {
  const h2 = await startServer();
  try {
    const k = await h2.userKey('default-cmds');
    await h2.addUser({ username: 'd', public_keys: [k.pub] });
    await writeFile(path.join(homeOf(h2, 'd'), 'f.txt'), 'x');
    assert.equal((await sshExec(h2, 'd', 'md5sum f.txt', { key: k.key })).code, 0, 'md5sum is enabled by default');
    const r = await sshExec(h2, 'd', 'sha256sum f.txt', { key: k.key });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not supported or not enabled/);
  } finally {
    await h2.close();
  }
});
