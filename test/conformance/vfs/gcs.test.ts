/** The Fs conformance suite on the GCS backend, against the fake GCS JSON API on 127.0.0.1. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGcsFs, gcsSettings, type GcsOverrides } from '../../../src/vfs/gcs/index.js';
import { GcsDriver } from '../../../src/vfs/gcs/driver.js';
import { ObjectFs } from '../../../src/vfs/shared/object-fs.js';
import { startFakeGcs } from '../../helpers/fake-gcs.js';
import { checkBigUpload, checkPaging, checkOpenModes, checkSignalDiscards } from './objstore-helpers.js';
import { entries, writeFile } from './helpers.js';
import { runFsConformance } from './suite.js';

const fake = await startFakeGcs();
after(() => fake.stop());
let n = 0;
const config = (prefix: string) => ({ bucket: 'sftpgo-test', automatic_credentials: 1, key_prefix: prefix });
const make = (prefix: string, over: GcsOverrides = {}) => createGcsFs({ root: '/unused', config: config(prefix) }, { apiEndpoint: fake.url, ...over });

await runFsConformance('gcs', async () => ({ fs: await make(`case${++n}/`), cleanup: async () => undefined }));

test('gcs: small bodies go in one simple upload, longer ones through a resumable upload', async () => {
  const fs = await make(`up${++n}/`, { simpleUploadLimit: 1024 * 1024 });
  try {
    fake.calls.length = 0;
    await writeFile(fs, '/small', 'tiny');
    assert.deepEqual(fake.calls.filter((c) => c.startsWith('POST /upload')), ['POST /upload/storage/v1/b/{bucket}/o?uploadType=multipart']);
    fake.calls.length = 0;
    await checkBigUpload(fs, 3 * 1024 * 1024 + 3);
    assert.deepEqual(fake.calls.filter((c) => c.includes('/upload/')), [
      'POST /upload/storage/v1/b/{bucket}/o?uploadType=resumable', 'PUT /upload/storage/v1/b/{bucket}/o?uploadType=resumable',
    ]);
  } finally {
    await fs.close();
  }
});

test('gcs: listings are paged', async () => {
  const s = gcsSettings(config(`page${++n}/`), { apiEndpoint: fake.url });
  const fs = new ObjectFs({ driver: new GcsDriver(s, s.keyPrefix!), keyPrefix: s.keyPrefix, pageSize: 3 });
  try {
    fake.calls.length = 0;
    await checkPaging(fs);
    assert.ok(fake.calls.filter((c) => c === 'GET /storage/v1/b/{bucket}/o').length >= 7, 'several list pages were requested');
  } finally {
    await fs.close();
  }
});

test('gcs: an upload whose signal fires is discarded; markers are typed application/x-directory', async () => {
  const prefix = `sig${++n}/`;
  const fs = await make(prefix);
  try {
    await checkSignalDiscards(fs);
    await fs.mkdir('/d');
    const marker = fake.objects('sftpgo-test').get(`${prefix}d/`);
    assert.equal(marker?.contentType, 'application/x-directory');
    assert.equal(marker?.data.length, 0);
  } finally {
    await fs.close();
  }
});

test('gcs: config needs a bucket and credentials unless automatic', () => {
  assert.throws(() => gcsSettings({ automatic_credentials: 1 }), /bucket is required/);
  assert.throws(() => gcsSettings({ bucket: 'b' }), /credentials are required/);
  assert.throws(() => gcsSettings({ bucket: 'b', credentials: 'not json' }), /not a valid service account JSON/);
  assert.deepEqual(gcsSettings({ bucket: 'b', credentials: '{"client_email":"a@b"}' }).credentials, { client_email: 'a@b' });
});

test('gcs: a missing bucket is reported as such, not as a missing file', async () => {
  const fs = await createGcsFs({ root: '/unused', config: { ...config(''), bucket: 'no-such-bucket' } }, { apiEndpoint: fake.url });
  try {
    await assert.rejects(entries(fs, '/'), /bucket or container does not exist/);
  } finally {
    await fs.close();
  }
});

test('gcs: only new or empty objects are written; truncate only to 0', async () => {
  const fs = await make(`modes${++n}/`);
  try {
    await checkOpenModes(fs);
  } finally {
    await fs.close();
  }
});
