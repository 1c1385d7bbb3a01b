/**
 * The whole core (login pipeline, registry, quota, memory provider) with several users racing for
 * one shared folder and their own limits at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createTestContext } from '../../helpers/context.js';
import type { Connection } from '../../../src/core/types.js';
import { kindOf } from './fixture.js';

const KB = 1024;

async function put(c: Connection, p: string, size: number, chunk: number): Promise<void> {
  const t = await c.openUpload(p, { mode: 'truncate' });
  try {
    for (let off = 0; off < size; off += chunk) await t.write(Buffer.alloc(Math.min(chunk, size - off)), off);
  } catch (err) {
    await t.abort(err);
    throw err;
  }
  await t.close();
}

test('many users: a shared folder quota holds under concurrent uploads, each user keeps its own limits', async () => {
  const ctx = await createTestContext({ config: { data_provider: { track_quota: 1 } } });
  try {
    const team = await ctx.addFolder({ name: 'team' });
    const names = ['u1', 'u2', 'u3', 'u4'];
    for (const username of names) {
      await ctx.addUser({
        username, password: 'pw', quota_size: 40 * KB, max_sessions: 2,
        virtual_folders: [{ name: 'team', mapped_path: team.mapped_path, virtual_path: '/team', quota_size: 64 * KB, quota_files: 0 }],
      });
    }
    const conns: Connection[] = [];
    for (const username of names) {
      const { user } = await ctx.core.auth.login({ username, protocol: 'SFTP', credentials: { method: 'password', password: 'pw' }, remote: { ip: '127.0.0.1', port: 1 } });
      conns.push(await ctx.core.connections.open({ protocol: 'SFTP', user, remote: { ip: '127.0.0.1', port: 1 } }));
    }
    // Every user: 24 KiB into the shared folder (64 KiB for all) and 24 KiB twice at home (40 KiB each).
    const shared = await Promise.all(conns.map((c, i) => kindOf(put(c, `/team/${names[i]}`, 24 * KB, 4 * KB))));
    const home = await Promise.all(conns.flatMap((c) => [kindOf(put(c, '/a', 24 * KB, 4 * KB)), kindOf(put(c, '/b', 24 * KB, 4 * KB))]));
    assert.ok([...shared, ...home].every((r) => r === 'ok' || r === 'QuotaExceeded'), [...shared, ...home].join());
    const oks = (rs: string[]) => rs.filter((r) => r === 'ok').length;
    assert.ok(oks(shared) >= 1 && oks(shared) <= 2, `shared: ${shared.join()}`);
    for (let i = 0; i < names.length; i++) assert.equal(oks(home.slice(2 * i, 2 * i + 2)), 1, `${names[i]}: ${home.join()}`);
    let onDisk = 0;
    for (const n of await readdir(team.mapped_path!)) onDisk += (await stat(path.join(team.mapped_path!, n))).size;
    assert.ok(onDisk <= 64 * KB, `shared folder holds ${onDisk}`);
    assert.deepEqual(await ctx.provider.folders.getUsedQuota('team'), { usedSize: onDisk, usedFiles: (await readdir(team.mapped_path!)).length });
    for (const [i, username] of names.entries()) {
      const used = await ctx.provider.users.getUsedQuota(username);
      assert.ok(used.usedSize <= 40 * KB, `${username} uses ${used.usedSize}`);
      const files = await readdir(path.join(ctx.dir, 'users', username));
      let size = 0;
      for (const f of files) size += (await stat(path.join(ctx.dir, 'users', username, f))).size;
      assert.deepEqual(used, { usedSize: size, usedFiles: files.length }, `user ${i} quota equals the disk`);
    }
    // max_sessions: a second session is fine, a third login is refused.
    const login = () => ctx.core.auth.login({ username: 'u1', protocol: 'FTP', credentials: { method: 'password', password: 'pw' }, remote: { ip: '127.0.0.1', port: 2 } });
    const { user } = await login();
    await ctx.core.connections.open({ protocol: 'FTP', user, remote: { ip: '127.0.0.1', port: 2 } });
    await assert.rejects(login(), /too many open sessions: 2/);
  } finally {
    await ctx.close();
  }
});
