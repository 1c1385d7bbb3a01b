/**
 * Login-time filesystem checks (INVENTORY §4.2 step 5, §7.1): the home, every folder root and the
 * directories leading to nested mount points are created (owned by uid/gid when running as root);
 * `disable_fs_checks` skips all of it; a home that cannot be created fails the login clearly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestContext } from '../../helpers/context.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';

const remote = { ip: '127.0.0.1', port: 40001 };
const asRoot = process.getuid?.() === 0;
const login = (ctx: Awaited<ReturnType<typeof createTestContext>>, username: string) =>
  ctx.core.auth.login({ username, protocol: 'SFTP', credentials: { method: 'password', password: 'pw' }, remote });

test('login roots: home, folder roots and intermediate dirs of nested mounts are created', async () => {
  const ctx = await createTestContext();
  try {
    const home = path.join(ctx.dir, 'homes', 'deep', 'alice');
    const mapped = path.join(ctx.dir, 'mapped', 'f1');
    await ctx.provider.folders.add({ name: 'f1', mapped_path: mapped }); // stored only: its root does not exist yet
    await ctx.addUser({
      username: 'alice', password: 'pw', home_dir: home, uid: 2001, gid: 2002,
      virtual_folders: [{ name: 'f1', mapped_path: mapped, virtual_path: '/a/b/c' }],
    });
    await login(ctx, 'alice');
    assert.ok((await stat(home)).isDirectory());
    assert.ok((await stat(mapped)).isDirectory());
    assert.ok((await stat(path.join(home, 'a', 'b'))).isDirectory(), 'path to the mount point exists in the home');
    if (asRoot) {
      assert.equal((await stat(home)).uid, 2001);
      assert.equal((await stat(path.join(home, 'a'))).gid, 2002);
    }
  } finally {
    await ctx.close();
  }
});

test('login roots: disable_fs_checks creates nothing; an impossible home fails the login', async () => {
  const ctx = await createTestContext();
  try {
    const home = path.join(ctx.dir, 'nohome');
    await ctx.addUser({ username: 'bob', password: 'pw', home_dir: home, filters: { disable_fs_checks: true } });
    await login(ctx, 'bob');
    await assert.rejects(stat(home), /ENOENT/);
    const blocker = path.join(ctx.dir, 'file');
    await writeFile(blocker, 'not a dir');
    await ctx.addUser({ username: 'carol', password: 'pw', home_dir: path.join(blocker, 'home') });
    await assert.rejects(login(ctx, 'carol'), (e) => isSftpGoError(e) && e.kind === ErrorKind.AuthFailed
      && e.message === 'unable to create the user home directory');
  } finally {
    await ctx.close();
  }
});
