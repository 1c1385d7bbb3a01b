/**
 * Azure Blob `sas_url` is a Secret in v2.1.2 (openapi.yaml AzureBlobFsConfig.sas_url -> Secret,
 * schema migration 9->10): a plain URL given for a user or a folder is sealed by the KMS with the
 * name as additional data, is redacted when shown, dumps sealed, and opens again after the dump is
 * loaded into another provider. The v2.1.2 fixture's sealed sas_url opens too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../../src/config/defaults.js';
import type { BackupData, Secret, User } from '../../../src/dataprovider/models.js';
import { MemoryProvider } from '../../../src/dataprovider/memory/index.js';
import { redactSecrets } from '../../../src/dataprovider/secrets.js';
import { DataService } from '../../../src/dataprovider/service.js';
import { createSqliteProvider } from '../../../src/dataprovider/sqljs/index.js';
import { Kms } from '../../../src/kms/index.js';

const SAS = 'https://acct.blob.core.windows.net/box?sv=2020-08-04&sr=c&sp=rwdl&sig=c2VjcmV0';
const fixture = fileURLToPath(new URL('../../fixtures/backup-v2.1.2.json', import.meta.url));

const azure = (sas: Secret) => ({ provider: 3, azblobconfig: { container: 'box', sas_url: sas } });

test('a plain sas_url is sealed, redacted when shown, dumped sealed and opens after a load into another provider', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-sas-'));
  const kms = new Kms();
  const source = await createSqliteProvider({ config: { name: 'sftpgo.db' }, configDir: dir });
  try {
    await source.initialize();
    const data = new DataService({ provider: source, config: defaultConfig().data_provider, kms });
    await data.addFolder({ name: 'azf', mapped_path: '', filesystem: azure({ status: 'Plain', payload: SAS }) } as never);
    await data.addUser({
      username: 'sas-user', password: 'pw', status: 1, home_dir: path.join(dir, 'h'), permissions: { '/': ['*'] },
      filesystem: azure({ status: 'Plain', payload: SAS }),
    } as unknown as User);
    const stored = (await data.getUser('sas-user')).filesystem!.azblobconfig!.sas_url!;
    assert.equal(stored.status, 'Secretbox');
    assert.equal(stored.additional_data, 'sas-user');
    assert.ok(!JSON.stringify(stored).includes('sig='), 'the stored form does not carry the signature');
    const shown = redactSecrets(kms, (await data.getUser('sas-user')).filesystem)!.azblobconfig!.sas_url!;
    assert.equal(shown.status, 'Redacted');
    assert.equal(shown.payload, '');
    assert.equal(shown.key ?? '', '');

    const dump = JSON.parse(JSON.stringify(await data.dump())) as BackupData;
    const dumped = dump.users.find((u) => u.username === 'sas-user')!.filesystem!.azblobconfig!.sas_url!;
    assert.equal(dumped.status, 'Secretbox');
    assert.ok(!JSON.stringify(dump).includes('sig=c2VjcmV0'));

    const target = new DataService({ provider: new MemoryProvider(), config: defaultConfig().data_provider, kms: new Kms() });
    await target.restore(dump, 1);
    assert.equal(new Kms().decrypt((await target.getUser('sas-user')).filesystem!.azblobconfig!.sas_url!), SAS);
    assert.equal(new Kms().decrypt((await target.getFolder('azf')).filesystem!.azblobconfig!.sas_url!), SAS);
    assert.deepEqual(await target.dump(), dump, 'dumps back unchanged');
  } finally {
    await source.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('the v2.1.2 fixture: dave\'s Secretbox sas_url opens after a load', async () => {
  const original = JSON.parse(await readFile(fixture, 'utf8')) as BackupData;
  const data = new DataService({ provider: new MemoryProvider(), config: defaultConfig().data_provider, kms: new Kms() });
  await data.restore(original, 1);
  const az = (await data.getUser('dave')).filesystem!.azblobconfig!;
  assert.equal(new Kms().decrypt(az.sas_url!), 'https://myaccount.blob.core.windows.net/cont?sv=2020-08-04&ss=b&sig=abc');
});
