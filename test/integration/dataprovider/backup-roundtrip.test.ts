/**
 * A dump in SFTPGo v2.1.2's format (test/fixtures/backup-v2.1.2.json, written from openapi.yaml's
 * schemas and INVENTORY §10: version 8, every user/folder/admin field, every storage backend, secrets
 * sealed with the local Secretbox KMS, hashes of every supported format) loads into each provider
 * through the data service and dumps back unchanged; its hashes and secrets still open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadProviderDump, prepareProvider } from '../../../src/app/provider-init.js';
import { buildConfig } from '../../../src/config/index.js';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { BackupData, Secret } from '../../../src/dataprovider/models.js';
import { createMemoryProvider, MemoryProvider } from '../../../src/dataprovider/memory/index.js';
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

test('memory provider with a dump file: loaded through the data service at start, replaced on reload', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-memdump-'));
  try {
    const file = path.join(dir, 'users.json');
    const original = await loadFixture();
    const withPlain = structuredClone(original);
    withPlain.users.push({ username: 'plain', status: 1, home_dir: '/srv/plain', password: 'clear-text', permissions: { '/': ['*'] } });
    await writeFile(file, JSON.stringify(withPlain));
    const config = buildConfig({ data_provider: { driver: 'memory', name: 'users.json' } });
    const provider = await createMemoryProvider({ config: config.data_provider as unknown as Record<string, unknown>, configDir: dir });
    assert.equal(provider.dumpFile, file);
    const data = new DataService({ provider, config: config.data_provider, kms: new Kms() });
    await prepareProvider(provider, data, config, pino({ level: 'silent' }));
    const plain = await data.getUser('plain');
    assert.match(plain.password!, /^\$2[aby]\$10\$/, 'a clear-text password in the dump file is hashed');
    assert.equal(await data.verifyPassword('clear-text', plain.password!), true);
    const dumped = await data.dump();
    assert.deepEqual({ ...dumped, users: dumped.users.filter((u) => u.username !== 'plain') }, original);
    await writeFile(file, JSON.stringify({ ...original, users: original.users.slice(0, 1), admins: [] }));
    await loadProviderDump(provider, data, pino({ level: 'silent' }));
    assert.deepEqual((await data.listUsers({ limit: 10, offset: 0, order: 'ASC' })).map((u) => u.username), ['alice']);
    assert.equal(await provider.admins.count(), 0);
    await writeFile(file, '');
    await assert.rejects(loadProviderDump(provider, data, pino({ level: 'silent' })), /between 1 byte and 10 MB/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
