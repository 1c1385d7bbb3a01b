import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildConfig } from '../../../src/config/index.js';
import { loadInitialData, prepareProvider } from '../../../src/app/provider-init.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { FakeData } from '../http/fake-data.js';

const log = pino({ level: 'silent' });

test('update_mode 0 initializes; create_default_admin adds admin only when none exists', async () => {
  const data = new FakeData();
  let inits = 0;
  const provider = { initialize: async () => { inits++; }, admins: { count: async () => data.admins.size } } as unknown as DataProvider;
  await prepareProvider(provider, data, buildConfig({ data_provider: { update_mode: 0, create_default_admin: true } }), log);
  assert.equal(inits, 1);
  assert.deepEqual((await data.getAdmin('admin')).permissions, ['*']);
  assert.ok(await data.verifyPassword('password', (await data.getAdmin('admin')).password!));
  await prepareProvider(provider, data, buildConfig({ data_provider: { update_mode: 1, create_default_admin: true } }), log);
  assert.equal(inits, 1);
});

test('loaddata-from imports a dump, scans when asked, cleans the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-load-'));
  try {
    const file = join(dir, 'dump.json');
    await writeFile(file, JSON.stringify({
      version: 8, folders: [{ name: 'f', mapped_path: '/tmp/f' }],
      users: [{ username: 'a', status: 1, home_dir: '/tmp/a', permissions: { '/': ['*'] }, quota_files: 5 }, { username: 'b', status: 1, home_dir: '/tmp/b', permissions: { '/': ['*'] } }],
      admins: [{ username: 'x', password: 'y', status: 1, permissions: ['*'] }],
    }));
    const data = new FakeData();
    const scanned: string[] = [];
    const core = { quotaScans: { startUserScan: async (u: string) => { scanned.push(u); }, startFolderScan: async (f: string) => { scanned.push(`folder:${f}`); } } } as never;
    await loadInitialData({ from: file, mode: 1, scan: 2, clean: true }, data, core, buildConfig({}), log);
    assert.deepEqual([...data.users.keys()].sort(), ['a', 'b']);
    assert.ok(data.admins.has('x') && data.folders.has('f'));
    assert.deepEqual(scanned.sort(), ['a', 'folder:f']);
    await assert.rejects(access(file));
    await assert.rejects(loadInitialData({ from: 'rel.json', mode: 0, scan: 0, clean: false }, data, core, buildConfig({}), log), /absolute/);
    await assert.rejects(loadInitialData({ from: file, mode: 2, scan: 0, clean: false }, data, core, buildConfig({}), log), /0 or 1/);
  } finally { await rm(dir, { recursive: true, force: true }); }
});
