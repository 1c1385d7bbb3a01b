/**
 * The DavPropStore contract (WebDAV dead properties), run by every provider that has one. The
 * sqlite provider also proves the properties survive a close and reopen of its file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createProviderRegistry } from '../../../src/dataprovider/registry.js';
import type { DataProvider, DavPropStore } from '../../../src/dataprovider/types.js';

async function open(driver: string, dir: string): Promise<DataProvider> {
  const p = await createProviderRegistry().get(driver)!({ config: { name: driver === 'sqlite' ? path.join(dir, 'db.sqlite') : '', sql_tables_prefix: 'x_' }, configDir: dir });
  await p.initialize();
  return p;
}

const keys = async (s: DavPropStore, user: string, paths: string[]) =>
  Object.fromEntries([...(await s.get(user, paths)).entries()].map(([k, v]) => [k, Object.keys(v).sort()]));

for (const driver of ['memory', 'sqlite']) {
  test(`${driver}: dead properties per user and path, tree copy, move and removal`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-davprops-'));
    let p: DataProvider | undefined;
    try {
      p = await open(driver, dir);
      const s = p.davProps!;
      assert.ok(s, 'the provider stores dead properties');
      await s.set('alice', '/a', { '{urn:x}p': '<p xmlns="urn:x">1</p>' });
      await s.set('alice', '/a/b', { '{urn:x}q': '<q xmlns="urn:x"/>' });
      await s.set('alice', '/ab', { '{urn:x}r': '<r xmlns="urn:x"/>' });
      await s.set('bob', '/a', { '{urn:x}z': '<z xmlns="urn:x"/>' });
      assert.deepEqual(await keys(s, 'alice', ['/a', '/a/b', '/missing']), { '/a': ['{urn:x}p'], '/a/b': ['{urn:x}q'] });
      assert.equal((await s.get('alice', ['/a'])).get('/a')!['{urn:x}p'], '<p xmlns="urn:x">1</p>');

      await s.copyTree('alice', '/a', '/c', false);
      assert.deepEqual(await keys(s, 'alice', ['/a', '/c', '/c/b', '/ab']), { '/a': ['{urn:x}p'], '/c': ['{urn:x}p'], '/c/b': ['{urn:x}q'], '/ab': ['{urn:x}r'] });
      await s.copyTree('alice', '/c', '/d', true);
      assert.deepEqual(await keys(s, 'alice', ['/c', '/c/b', '/d', '/d/b']), { '/d': ['{urn:x}p'], '/d/b': ['{urn:x}q'] });

      await s.removeTree('alice', '/a');
      assert.deepEqual(await keys(s, 'alice', ['/a', '/a/b', '/ab']), { '/ab': ['{urn:x}r'] });
      await s.set('alice', '/ab', {});
      assert.deepEqual(await keys(s, 'alice', ['/ab']), {});
      assert.deepEqual(await keys(s, 'bob', ['/a']), { '/a': ['{urn:x}z'] });
      const many = Array.from({ length: 450 }, (_, i) => `/m${i}`);
      await s.set('alice', '/m449', { '{urn:x}p': '<p xmlns="urn:x"/>' });
      assert.deepEqual(Object.keys(await keys(s, 'alice', many)), ['/m449']);
      if (driver === 'sqlite') {
        await p.close();
        const again = await open(driver, dir);
        assert.deepEqual(await keys(again.davProps!, 'alice', ['/d', '/m449']), { '/d': ['{urn:x}p'], '/m449': ['{urn:x}p'] });
        assert.equal(await again.schemaVersion(), 10, 'the SFTPGo schema version is untouched');
        await again.close();
      }
    } finally {
      if (driver !== 'sqlite') await p?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
}
