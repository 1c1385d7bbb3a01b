/**
 * A dump in SFTPGo v2.1.2's format (test/fixtures/backup-v2.1.2.json, written from openapi.yaml's
 * schemas and INVENTORY §10: version 8, every user/folder/admin field, every storage backend, secrets
 * sealed with the local Secretbox KMS, hashes of every supported format) loads into each provider
 * through the data service and dumps back unchanged; its hashes and secrets still open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { BackupData, Secret } from '../../../src/dataprovider/models.js';
import { MemoryProvider } from '../../../src/dataprovider/memory/index.js';
import { DataService } from '../../../src/dataprovider/service.js';
import { createSqliteProvider } from '../../../src/dataprovider/sqljs/index.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import { Kms } from '../../../src/kms/index.js';

const fixture = fileURLToPath(new URL('../../fixtures/backup-v2.1.2.json', import.meta.url));
const loadFixture = async () => JSON.parse(await readFile(fixture, 'utf8')) as BackupData;

const providers: Record<string, (dir: string) => Promise<DataProvider>> = {
  memory: async () => new MemoryProvider(),
  sqlite: (dir) => createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir }),
};

for (const [name, open] of Object.entries(providers)) {
  test(`${name}: a v2.1.2 dump loads and dumps back unchanged; loading it again in mode 0 changes nothing`, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-roundtrip-'));
    const provider = await open(dir);
    try {
      await provider.initialize();
      const kms = new Kms();
      const data = new DataService({ provider, config: defaultConfig().data_provider, kms });
      const original = await loadFixture();
      const result = await data.restore(structuredClone(original), 1);
      assert.deepEqual(result, { users: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'], folders: ['data', 's3docs', 'vault'], admins: ['admin', 'auditor'] });
      assert.deepEqual(await data.dump(), original);
      await data.restore(structuredClone(original), 0);
      assert.deepEqual(await data.dump(), original);
      const bob = await data.getUser('bob');
      assert.equal(kms.decrypt(bob.filesystem!.s3config!.access_secret as Secret), 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
      assert.equal(await data.verifyPassword('bob-pass', bob.password!), true);
      for (const [u, pw] of [['alice', 'alice-pass'], ['dave', 'dave-pass'], ['erin', 'erin-pass'], ['frank', 'frank-pass']]) {
        assert.equal(await data.verifyPassword(pw!, (await data.getUser(u!)).password!), true, u);
      }
      assert.equal(await data.verifyPassword('auditor-pass', (await data.getAdmin('auditor')).password!), true);
    } finally {
      await provider.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test('mode 1 keeps existing records, mode 0 overwrites them; the first invalid item stops the load', async () => {
  const provider = new MemoryProvider();
  const data = new DataService({ provider, config: defaultConfig().data_provider, kms: new Kms() });
  const original = await loadFixture();
  await data.restore(structuredClone(original), 1);
  const changed = structuredClone(original);
  changed.users[0]!.description = 'changed';
  changed.admins[1]!.email = 'new@example.com';
  await data.restore(structuredClone(changed), 1);
  assert.equal((await data.getUser('alice')).description, 'Alice, finance');
  await data.restore(structuredClone(changed), 0);
  assert.equal((await data.getUser('alice')).description, 'changed');
  assert.equal((await data.getAdmin('auditor')).email, 'new@example.com');
  const bad: BackupData = { version: 8, folders: [], admins: [], users: [
    { username: 'ok1', status: 1, home_dir: '/srv/ok1', password: 'x', permissions: { '/': ['*'] } },
    { username: 'bad', status: 1, home_dir: 'relative', password: 'x', permissions: { '/': ['*'] } },
    { username: 'ok2', status: 1, home_dir: '/srv/ok2', password: 'x', permissions: { '/': ['*'] } },
  ] };
  await assert.rejects(data.restore(bad, 0), /home_dir/);
  assert.equal((await data.getUser('ok1')).username, 'ok1');
  await assert.rejects(data.getUser('ok2'), /does not exist/);
});
