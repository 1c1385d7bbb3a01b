/**
 * System commands over our server with the real clients: git push and clone (git-receive-pack,
 * git-upload-pack), rsync both ways, quota re-scanned afterwards; refused without the needed
 * permissions, inside virtual folders and for rsync arguments that name other paths.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { homeOf, run, scratchDir, sshExec, sshOptions, startServer, type Harness } from './harness.js';

const clients = needsBinaries('ssh', 'ssh-keygen', 'git', 'rsync');
let h: Harness;
let key: string;
let pub: string;
let scratch: string;

before(async () => {
  h = await startServer({ sftpd: { enabled_ssh_commands: ['git-receive-pack', 'git-upload-pack', 'rsync', 'pwd'] } });
  ({ key, pub } = await h.userKey('sys'));
  scratch = await scratchDir('sftpgo-sys-');
  await h.addUser({ username: 'dev', public_keys: [pub] });
});

after(async () => {
  await h?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The ssh command line git and rsync run (-e / GIT_SSH_COMMAND). */
function sshCommand(): string {
  return ['ssh', ...sshOptions(h.port, { key }), '-p', String(h.port)].join(' ');
}

const git = (args: string[], cwd: string) => run('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], {
  cwd, env: { GIT_SSH_COMMAND: sshCommand(), GIT_TERMINAL_PROMPT: '0' },
});

test('git push to and clone from a bare repository in the home', clients, async () => {
  const bare = path.join(homeOf(h, 'dev'), 'repo.git');
  assert.equal((await git(['init', '-q', '--bare', bare], scratch)).code, 0);
  const work = path.join(scratch, 'work');
  await mkdir(work);
  await git(['init', '-q'], work);
  await writeFile(path.join(work, 'README'), 'hello over sftpgo\n');
  await git(['add', 'README'], work);
  await git(['commit', '-q', '-m', 'first'], work);
  const url = `ssh://dev@127.0.0.1:${h.port}/repo.git`;
  const push = await git(['push', '-q', url, 'HEAD:refs/heads/main'], work);
  assert.equal(push.code, 0, push.stderr);
  const clone = await git(['clone', '-q', '--branch', 'main', url, path.join(scratch, 'clone')], scratch);
  assert.equal(clone.code, 0, clone.stderr);
  assert.equal(await readFile(path.join(scratch, 'clone', 'README'), 'utf8'), 'hello over sftpgo\n');
  const used = await h.ctx.provider.users.getUsedQuota('dev');
  assert.ok(used.usedFiles > 0, 'the quota is re-scanned after the push');
});

test('rsync uploads and downloads a tree', clients, async () => {
  const src = path.join(scratch, 'rs-src');
  await mkdir(path.join(src, 'inner'), { recursive: true });
  await writeFile(path.join(src, 'one.txt'), '1');
  await writeFile(path.join(src, 'inner', 'two.txt'), '22');
  let r = await run('rsync', ['-a', '-e', sshCommand(), `${src}/`, 'dev@127.0.0.1:synced/']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(path.join(homeOf(h, 'dev'), 'synced', 'inner', 'two.txt'), 'utf8'), '22');
  const back = path.join(scratch, 'rs-back');
  r = await run('rsync', ['-a', '-e', sshCommand(), 'dev@127.0.0.1:synced/', `${back}/`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(path.join(back, 'one.txt'), 'utf8'), '1');
});

test('system commands need every permission, local storage outside virtual folders, and safe arguments', clients, async () => {
  await h.addUser({ username: 'ro', public_keys: [pub], permissions: { '/': ['list', 'download'] } });
  let r = await sshExec(h, 'ro', 'git-upload-pack /repo.git', { key });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /permission denied/);
  r = await sshExec(h, 'dev', 'rsync --server --log-file=/tmp/x -vlogDtpre.iLsfxCIvu . /synced', { key });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /argument not allowed/);
  r = await sshExec(h, 'dev', 'rsync --server . /a /b', { key });
  assert.equal(r.code, 1);
  const folder = await h.ctx.addFolder({ name: 'sysvf' });
  await h.addUser({ username: 'vfu', public_keys: [pub], virtual_folders: [{ name: 'sysvf', virtual_path: '/vf', mapped_path: folder.mapped_path }] as never });
  r = await sshExec(h, 'vfu', 'git-upload-pack /vf/repo.git', { key });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /virtual folders/);
});
