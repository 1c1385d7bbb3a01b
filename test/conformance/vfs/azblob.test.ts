/** The Fs conformance suite on the Azure Blob backend, against azurite on 127.0.0.1. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { azBlobSettings, createAzBlobFs } from '../../../src/vfs/azblob/index.js';
import { AzBlobDriver } from '../../../src/vfs/azblob/driver.js';
import { ObjectFs } from '../../../src/vfs/shared/object-fs.js';
import { needs } from '../../helpers/require.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from '../../helpers/azurite.js';
import { checkBigUpload, checkPaging, checkOpenModes, checkSignalDiscards } from './objstore-helpers.js';
import { runFsConformance } from './suite.js';

const emu = await startAzurite();
after(() => emu.stop());
let n = 0;

await runFsConformance('azblob', async () => {
  const fs = await createAzBlobFs({ root: '/unused', config: emu.config(`case${++n}/`) });
  return { fs, cleanup: async () => undefined };
}, { unavailable: emu.unavailable });

const avail = needs(emu.unavailable === undefined, `azblob: ${emu.unavailable ?? ''}`);

test('azblob: block upload with upload_part_size and upload_concurrency, out-of-order writes', avail, async () => {
  const prefix = `mp${++n}/`;
  const fs = await createAzBlobFs({ root: '/unused', config: emu.config(prefix, { upload_part_size: 1, upload_concurrency: 3 }) });
  try {
    await checkBigUpload(fs, 2.5 * 1024 * 1024);
    const cred = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
    const blob = new ContainerClient(`${emu.endpoint}/${AZURITE_ACCOUNT}/${emu.container}`, cred).getBlockBlobClient(`${prefix}big.bin`);
    assert.equal((await blob.getBlockList('committed')).committedBlocks?.length, 3, 'three 1 MiB blocks');
  } finally {
    await fs.close();
  }
});

test('azblob: listings are paged', avail, async () => {
  const s = azBlobSettings(emu.config(`page${++n}/`));
  const fs = new ObjectFs({ driver: new AzBlobDriver(s, s.keyPrefix!), keyPrefix: s.keyPrefix, pageSize: 3 });
  try {
    await checkPaging(fs);
  } finally {
    await fs.close();
  }
});

test('azblob: an upload whose signal fires is discarded', avail, async () => {
  const fs = await createAzBlobFs({ root: '/unused', config: emu.config(`sig${++n}/`) });
  try {
    await checkSignalDiscards(fs);
  } finally {
    await fs.close();
  }
});

test('azblob: config is checked (credentials, tier, part size)', () => {
  assert.throws(() => azBlobSettings({ account_name: 'a', account_key: 'k' }), /container is required/);
  assert.throws(() => azBlobSettings({ container: 'c', account_name: 'a' }), /account_name and account_key are required/);
  assert.throws(() => azBlobSettings({ container: 'c', account_name: 'a', account_key: 'k', access_tier: 'Frozen' }), /unknown tier/);
  assert.throws(() => azBlobSettings({ container: 'c', account_name: 'a', account_key: 'k', upload_part_size: 101 }), /between 1 and 100/);
  assert.equal(azBlobSettings({ container: 'c', account_name: 'a', account_key: 'k' }).partSize, 4 * 1024 * 1024);
  assert.equal(azBlobSettings({ sas_url: 'https://a.blob.core.windows.net/c?sv=x' }).sasUrl, 'https://a.blob.core.windows.net/c?sv=x');
});

test('azblob: only new or empty objects are written; truncate only to 0', avail, async () => {
  const fs = await createAzBlobFs({ root: '/unused', config: emu.config(`modes${++n}/`) });
  try {
    await checkOpenModes(fs);
  } finally {
    await fs.close();
  }
});
