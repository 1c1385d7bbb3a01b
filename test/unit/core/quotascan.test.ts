import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { QuotaScans } from '../../../src/core/quotascan/registry.js';
import type { BaseVirtualFolder, User } from '../../../src/dataprovider/models.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { createFsRegistry } from '../../../src/vfs/registry.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';
import { plainScanner, runQuotaScan } from '../../../src/cli/commands/quota.js';
import { buildConfig } from '../../../src/config/index.js';

const logger = pino({ level: 'silent' });

function fakeProvider(users: User[], folders: BaseVirtualFolder[]) {
  const updates: [string, number, number, boolean][] = [];
  const provider = {
    users: {
      async get(n: string) { return users.find((u) => u.username === n)!; },
      async updateQuota(n: string, size: number, files: number, reset: boolean) { updates.push([`user:${n}`, size, files, reset]); },
    },
    folders: {
      async get(n: string) { return folders.find((f) => f.name === n)!; },
      async updateQuota(n: string, size: number, files: number, reset: boolean) { updates.push([`folder:${n}`, size, files, reset]); },
    },
  } as unknown as DataProvider;
  return { provider, updates };
}

test('user scan: home + included folders only, symlinks not counted; folder scan; one at a time', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qscan-'));
  try {
    const home = path.join(dir, 'home');
    const inc = path.join(dir, 'inc');
    const own = path.join(dir, 'own');
    for (const d of [home, path.join(home, 'sub'), inc, own]) await mkdir(d, { recursive: true });
    await writeFile(path.join(home, 'a'), 'x'.repeat(10));
    await writeFile(path.join(home, 'sub', 'b'), 'x'.repeat(5));
    await symlink(path.join(home, 'a'), path.join(home, 'link'));
    await writeFile(path.join(inc, 'c'), 'x'.repeat(7));
    await writeFile(path.join(own, 'd'), 'x'.repeat(100));
    const user: User = {
      username: 'u', status: 1, home_dir: home, permissions: { '/': ['*'] },
      virtual_folders: [
        { name: 'inc', mapped_path: inc, virtual_path: '/inc', quota_size: -1, quota_files: -1 },
        { name: 'own', mapped_path: own, virtual_path: '/own', quota_size: 0, quota_files: 0 },
      ],
    };
    const { provider, updates } = fakeProvider([user], [{ name: 'own', mapped_path: own }]);
    const resets: string[] = [];
    const scans = new QuotaScans({ provider, fsRegistry: createFsRegistry(), logger, trackQuota: 2, onReset: (k, n) => resets.push(`${k}:${n}`) });
    const progress: number[] = [];
    assert.deepEqual(await scans.scanUserNow('u', (f) => progress.push(f)), { files: 3, size: 22 });
    assert.deepEqual(progress, [1, 2, 3]);
    assert.deepEqual(await scans.scanFolderNow('own'), { files: 1, size: 100 });
    assert.deepEqual(updates, [['user:u', 22, 3, true], ['folder:own', 100, 1, true]]);
    assert.deepEqual(resets, ['user:u', 'folder:own'], 'buffered (delayed) changes are dropped before each reset');

    await scans.startUserScan('u');
    assert.equal(scans.listUserScans()[0]?.name, 'u');
    await assert.rejects(scans.startUserScan('u'), (e) => isSftpGoError(e) && e.kind === ErrorKind.Conflict);
    await scans.idle();
    assert.deepEqual(scans.listUserScans(), []);
    await scans.startFolderScan('own');
    await scans.idle();
    assert.equal(updates.length, 4);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('scans refused when quota tracking is disabled', async () => {
  const { provider } = fakeProvider([{ username: 'u', status: 1, home_dir: '/nonexistent', permissions: {} }], []);
  const scans = new QuotaScans({ provider, fsRegistry: createFsRegistry(), logger, trackQuota: 0 });
  await assert.rejects(scans.startUserScan('u'), (e) => isSftpGoError(e) && e.kind === ErrorKind.PermissionDenied);
});

test('CLI quota scan: result line, progress on a TTY, exit 1 on failure', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'qscan-cli-'));
  try {
    await writeFile(path.join(dir, 'f'), 'abc');
    const { provider, updates } = fakeProvider([{ username: 'u', status: 1, home_dir: dir, permissions: {} }], [{ name: 'x', mapped_path: path.join(dir, 'missing') }]);
    const out: string[] = [];
    const err: string[] = [];
    const tty = { write: (t: string) => out.push(t), isTTY: true };
    const errOut = { write: (t: string) => err.push(t) };
    const config = buildConfig();
    assert.equal(await runQuotaScan(plainScanner(provider, config, logger), { username: 'u' }, tty, errOut), 0);
    assert.match(out.join(''), /quota scan for user "u" done: 1 files, 3 bytes\n$/);
    assert.deepEqual(updates, [['user:u', 3, 1, true]]);
    assert.equal(await runQuotaScan(plainScanner(provider, config, logger), { folder: 'x' }, tty, errOut), 1);
    assert.match(err.join(''), /quota scan for folder "x" failed/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
