/**
 * Connections driven against the real memory provider: users and folders stored by the provider,
 * quota persisted there and shared between users of one folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { defaultConfig } from '../../../src/config/defaults.js';
import { ConnectionRegistryImpl } from '../../../src/core/connections.js';
import { noopMetrics } from '../../../src/core/types.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { createFsRegistry } from '../../../src/vfs/registry.js';
import { MemoryProvider } from '../../../src/dataprovider/memory/index.js';
import { kindOf, upload } from './fixture.js';

async function setup() {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-coreint-'));
  const provider: DataProvider = new MemoryProvider();
  await provider.initialize();
  const config = defaultConfig();
  config.common.idle_timeout = 0;
  config.data_provider.track_quota = 1;
  const fsRegistry = createFsRegistry();
  const registry = new ConnectionRegistryImpl({ config, logger: pino({ level: 'silent' }), provider, fsRegistry, metrics: noopMetrics });
  await provider.folders.add({ name: 'shared', mapped_path: path.join(base, 'shared') });
  for (const username of ['u1', 'u2']) {
    await provider.users.add({
      username, status: 1, home_dir: path.join(base, username), permissions: { '/': ['*'] }, password: 'x',
      quota_size: username === 'u1' ? 8192 : 0,
      virtual_folders: [{ name: 'shared', mapped_path: path.join(base, 'shared'), virtual_path: '/shared', quota_size: 4096, quota_files: 0 }],
    });
  }
  const connect = async (username: string) => {
    const user = await provider.users.get(username);
    for (const root of [user.home_dir, ...(user.virtual_folders ?? []).map((f) => f.mapped_path!)]) {
      await (await fsRegistry.create(0, { root, config: undefined })).ensureRoot();
    }
    return registry.open({ protocol: 'SFTP', user, remote: { ip: '127.0.0.1', port: 1 } });
  };
  return {
    base, provider, registry, connect,
    cleanup: async () => {
      await registry.shutdown(0);
      await provider.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}

test('core with the memory provider: quota persisted, shared folder quota across users', async () => {
  const env = await setup();
  try {
    const c1 = await env.connect('u1');
    const c2 = await env.connect('u2');
    await upload(c1, '/home.bin', Buffer.alloc(1000));
    assert.deepEqual(await env.provider.users.getUsedQuota('u1'), { usedSize: 1000, usedFiles: 1 });
    await upload(c1, '/shared/a', Buffer.alloc(3000));
    assert.equal(await kindOf(upload(c2, '/shared/b', Buffer.alloc(2000), 500)), 'QuotaExceeded', 'folder quota is shared');
    assert.deepEqual(await readdir(path.join(env.base, 'shared')), ['a']);
    assert.deepEqual(await env.provider.folders.getUsedQuota('shared'), { usedSize: 3000, usedFiles: 1 });
    await c2.remove('/shared/a');
    assert.deepEqual(await env.provider.folders.getUsedQuota('shared'), { usedSize: 0, usedFiles: 0 });
    await upload(c2, '/shared/b', Buffer.alloc(2000));
    assert.deepEqual(await env.provider.folders.getUsedQuota('shared'), { usedSize: 2000, usedFiles: 1 });
    // A quota reset in the provider is seen by the next upload.
    await env.provider.users.updateQuota('u1', 8192, 1, true);
    assert.equal(await kindOf(upload(c1, '/more', 'x')), 'QuotaExceeded');
    await env.provider.users.updateQuota('u1', 0, 0, true);
    await upload(c1, '/more', 'x');
    assert.deepEqual(await env.provider.users.getUsedQuota('u1'), { usedSize: 1, usedFiles: 1 });
  } finally {
    await env.cleanup();
  }
});

test('core with the memory provider: rename moves quota between user and folder; max_sessions', async () => {
  const env = await setup();
  try {
    await env.provider.users.update({ ...(await env.provider.users.get('u2')), max_sessions: 1 });
    const c = await env.connect('u2');
    assert.equal(await kindOf(env.connect('u2')), 'PermissionDenied');
    await upload(c, '/x', Buffer.alloc(100));
    await c.rename('/x', '/shared/x');
    assert.deepEqual(await env.provider.users.getUsedQuota('u2'), { usedSize: 0, usedFiles: 0 });
    assert.deepEqual(await env.provider.folders.getUsedQuota('shared'), { usedSize: 100, usedFiles: 1 });
    await upload(c, '/big', Buffer.alloc(4000));
    assert.equal(await kindOf(c.rename('/big', '/shared/big')), 'QuotaExceeded');
    assert.equal((await c.stat('/big')).size, 4000);
  } finally {
    await env.cleanup();
  }
});
