/**
 * The DavPropStore contract (WebDAV dead properties), run by every provider that has one (the
 * PostgreSQL and MySQL ones on the real servers, under a random table prefix). The sqlite provider
 * also proves the properties survive a close and reopen of its file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createProviderRegistry } from '../../../src/dataprovider/registry.js';
import type { DataProvider, DavPropStore } from '../../../src/dataprovider/types.js';
import { dropPrefix, openServerProvider, randomPrefix, serverAvailability, SERVER_DRIVERS, type ServerDriver } from '../../helpers/sqlserver.js';

const available = await serverAvailability();
const isServer = (d: string): d is ServerDriver => (SERVER_DRIVERS as readonly string[]).includes(d);

async function open(driver: string, dir: string, prefix: string): Promise<DataProvider> {
  const p = isServer(driver)
    ? await openServerProvider(driver, prefix)
    : await createProviderRegistry().get(driver)!({ config: { name: driver === 'sqlite' ? path.join(dir, 'db.sqlite') : '', sql_tables_prefix: prefix }, configDir: dir });
  await p.initialize();
  return p;
}

const keys = async (s: DavPropStore, user: string, paths: string[]) =>
  Object.fromEntries([...(await s.get(user, paths)).entries()].map(([k, v]) => [k, Object.keys(v).sort()]));

for (const driver of ['memory', 'sqlite', ...SERVER_DRIVERS]) {
  test(`${driver}: dead properties per user and path, tree copy, move and removal`, isServer(driver) ? available[driver] : {}, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-davprops-'));
    const prefix = isServer(driver) ? randomPrefix() : 'x_';
    let p: DataProvider | undefined;
    try {
      p = await open(driver, dir, prefix);
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
      // Paths are compared byte for byte (no case folding) and prefixes count characters, not bytes.
      await s.set('carol', '/A', { '{urn:x}u': '<u xmlns="urn:x"/>' });
      await s.set('carol', '/a', { '{urn:x}l': '<l xmlns="urn:x"/>' });
      await s.set('carol', '/été/x', { '{urn:x}e': '<e xmlns="urn:x"/>' });
      await s.set('carol', '/étéa', { '{urn:x}f': '<f xmlns="urn:x"/>' });
      await s.removeTree('carol', '/été');
      assert.deepEqual(await keys(s, 'carol', ['/A', '/a', '/été/x', '/étéa']), { '/A': ['{urn:x}u'], '/a': ['{urn:x}l'], '/étéa': ['{urn:x}f'] });
      const many = Array.from({ length: 450 }, (_, i) => `/m${i}`);
      await s.set('alice', '/m449', { '{urn:x}p': '<p xmlns="urn:x"/>' });
      assert.deepEqual(Object.keys(await keys(s, 'alice', many)), ['/m449']);
      if (driver === 'sqlite') {
        await p.close();
        const again = await open(driver, dir, prefix);
        assert.deepEqual(await keys(again.davProps!, 'alice', ['/d', '/m449']), { '/d': ['{urn:x}p'], '/m449': ['{urn:x}p'] });
        assert.equal(await again.schemaVersion(), 10, 'the SFTPGo schema version is untouched');
        await again.close();
      }
    } finally {
      if (driver !== 'sqlite') await p?.close();
      if (isServer(driver)) await dropPrefix(driver, prefix);
      await rm(dir, { recursive: true, force: true });
    }
  });
}
