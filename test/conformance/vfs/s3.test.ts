/** The Fs conformance suite on the S3 backend, against s3rver on 127.0.0.1. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3Fs, s3Settings } from '../../../src/vfs/s3/index.js';
import { ErrorKind } from '../../../src/util/errors.js';
import { needs } from '../../helpers/require.js';
import { startS3rver } from '../../helpers/s3rver.js';
import { entries, kindOf } from './helpers.js';
import { checkBigUpload, checkOpenModes, checkSignalDiscards } from './objstore-helpers.js';
import { runFsConformance } from './suite.js';

const emu = await startS3rver();
after(() => emu.stop());
let n = 0;

await runFsConformance('s3', async () => {
  const fs = await createS3Fs({ root: '/unused', config: emu.config(`case${++n}/`) });
  return { fs, cleanup: async () => undefined };
}, { unavailable: emu.unavailable });

const avail = needs(emu.unavailable === undefined, `s3: ${emu.unavailable ?? ''}`);
const raw = () => new S3Client({
  region: 'us-east-1', endpoint: emu.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
});

test('s3: multipart upload with upload_part_size and upload_concurrency, out-of-order writes', avail, async () => {
  const fs = await createS3Fs({ root: '/unused', config: emu.config(`mp${++n}/`, { upload_part_size: 5, upload_concurrency: 3 }) });
  try {
    await checkBigUpload(fs, 11 * 1024 * 1024 + 5);
  } finally {
    await fs.close();
  }
});

// Paging is checked on GCS and Azure: s3rver fails delimiter listings with MaxKeys below the
// number of entries (InternalError), whereas real S3 pages them; here all fits in one page.

test('s3: an upload whose signal fires is discarded', avail, async () => {
  const fs = await createS3Fs({ root: '/unused', config: emu.config(`sig${++n}/`) });
  try {
    await checkSignalDiscards(fs);
  } finally {
    await fs.close();
  }
});

test('s3: directories are "name/" markers typed application/x-directory; key_prefix confines', avail, async () => {
  const prefix = `conf${++n}/`;
  const fs = await createS3Fs({ root: '/unused', config: emu.config(prefix) });
  const client = raw();
  try {
    await fs.mkdir('/d');
    const head = await client.send(new HeadObjectCommand({ Bucket: emu.bucket, Key: `${prefix}d/` }));
    assert.equal(head.ContentType, 'application/x-directory');
    assert.equal(head.ContentLength, 0);
    await client.send(new PutObjectCommand({ Bucket: emu.bucket, Key: 'outside.txt', Body: 'secret', ContentLength: 6 }));
    await client.send(new PutObjectCommand({ Bucket: emu.bucket, Key: `${prefix}implicit/child`, Body: 'c', ContentLength: 1 }));
    assert.deepEqual((await entries(fs, '/')).map((e) => [e.name, e.type]), [['d', 'dir'], ['implicit', 'dir']]);
    assert.equal(await kindOf(fs.stat('/../outside.txt')), ErrorKind.NotFound);
    assert.equal((await fs.stat('/implicit')).type, 'dir', 'a prefix with children is a directory without a marker');
  } finally {
    client.destroy();
    await fs.close();
  }
});

test('s3: config is checked (bucket, region, key pair, part size, concurrency)', async () => {
  assert.throws(() => s3Settings({ region: 'r' }), /bucket is required/);
  assert.throws(() => s3Settings({ bucket: 'b' }), /region is required/);
  assert.throws(() => s3Settings({ bucket: 'b', region: 'r', access_key: 'k' }), /go together/);
  assert.throws(() => s3Settings({ bucket: 'b', region: 'r', upload_part_size: 4 }), /between 5 and 5000/);
  assert.throws(() => s3Settings({ bucket: 'b', region: 'r', upload_concurrency: 65 }), /between 0 and 64/);
  assert.throws(() => s3Settings({ bucket: 'b', region: 'r', access_key: 'k', access_secret: { status: 'Secretbox', payload: 'x' } }), /not decrypted/);
  const s = s3Settings({ bucket: 'b', region: 'r' });
  assert.equal(s.partSize, 5 * 1024 * 1024);
  assert.equal(s.concurrency, 2);
});

test('s3: a missing bucket is reported as such, not as a missing file', avail, async () => {
  const fs = await createS3Fs({ root: '/unused', config: { ...emu.config(''), bucket: 'no-such-bucket' } });
  try {
    await assert.rejects(entries(fs, '/'), /bucket or container does not exist/);
  } finally {
    await fs.close();
  }
});

test('s3: only new or empty objects are written; truncate only to 0', avail, async () => {
  const fs = await createS3Fs({ root: '/unused', config: emu.config(`modes${++n}/`) });
  try {
    await checkOpenModes(fs);
  } finally {
    await fs.close();
  }
});
