/**
 * Several nodes on one database (INVENTORY §6): two provider instances (two "nodes", each with its
 * own pool) on the same tables see each other's writes at once, and quota increments sent from
 * both at the same time add up exactly (each is one atomic UPDATE in SQL, no read-modify-write).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { dropPrefix, openServerProvider, randomPrefix, serverAvailability, SERVER_DRIVERS, type ServerDriver } from '../../helpers/sqlserver.js';
import { fullFolder, fullUser, kindOf } from '../../conformance/dataprovider/harness.js';
import { ErrorKind } from '../../../src/util/errors.js';

const available = await serverAvailability();

async function twoNodes(driver: ServerDriver, fn: (a: DataProvider, b: DataProvider) => Promise<void>): Promise<void> {
  const prefix = randomPrefix();
  const a = await openServerProvider(driver, prefix, { pool_size: 4 });
  const b = await openServerProvider(driver, prefix, { pool_size: 4 });
  try {
    await a.initialize();
    await b.initialize();
    await fn(a, b);
  } finally {
    await a.close();
    await b.close();
    await dropPrefix(driver, prefix);
  }
}

for (const driver of SERVER_DRIVERS) {
  describe(`${driver} multi-node`, { ...available[driver], concurrency: 2 }, () => {
    test(`${driver}: two nodes on one database see each other's writes`, () => twoNodes(driver, async (a, b) => {
      assert.equal(await b.schemaVersion(), 10);
      await a.folders.add(fullFolder('shared'));
      await b.users.add(fullUser('alice', { virtual_folders: [{ name: 'shared', virtual_path: '/s' }] }));
      assert.deepEqual((await a.folders.get('shared')).users, ['alice']);
      await a.users.update(fullUser('alice', { home_dir: '/moved' }));
      assert.equal((await b.users.get('alice')).home_dir, '/moved');
      assert.equal(await kindOf(b.users.add(fullUser('alice'))), ErrorKind.Exists, 'the unique key holds across nodes');
      await b.davProps!.set('alice', '/x', { '{urn:x}p': '<p xmlns="urn:x"/>' });
      assert.deepEqual([...(await a.davProps!.get('alice', ['/x'])).keys()], ['/x']);
      await b.users.delete('alice');
      assert.equal(await kindOf(a.users.get('alice')), ErrorKind.NotFound);
    }));

    test(`${driver}: concurrent quota increments from both nodes add up exactly`, () => twoNodes(driver, async (a, b) => {
      await a.users.add(fullUser('bob', { used_quota_size: 0, used_quota_files: 0 }));
      await a.folders.add(fullFolder('pool', { used_quota_size: 0, used_quota_files: 0 }));
      const N = 100;
      const ops: Promise<void>[] = [];
      for (let i = 0; i < N; i++) {
        for (const node of [a, b]) {
          ops.push(node.users.updateQuota('bob', 1000 + i, 1, false));
          ops.push(node.folders.updateQuota('pool', 7, 1, false));
        }
      }
      await Promise.all(ops);
      const size = 2 * (N * 1000 + (N * (N - 1)) / 2);
      assert.deepEqual(await b.users.getUsedQuota('bob'), { usedSize: size, usedFiles: 2 * N });
      assert.deepEqual(await a.folders.getUsedQuota('pool'), { usedSize: 2 * N * 7, usedFiles: 2 * N });
    }));

    test(`${driver}: two nodes creating the dead-property table at once both succeed`, () => twoNodes(driver, async (a, b) => {
      await Promise.all([
        a.davProps!.set('u', '/a', { '{urn:x}a': '<a xmlns="urn:x"/>' }),
        b.davProps!.set('u', '/b', { '{urn:x}b': '<b xmlns="urn:x"/>' }),
      ]);
      assert.deepEqual([...(await b.davProps!.get('u', ['/a', '/b'])).keys()].sort(), ['/a', '/b']);
    }));
  });
}
