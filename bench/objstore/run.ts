/**
 * Object-store benchmark: what the Fs layer (reorder buffer, upload pipe, ranged positional reads)
 * costs over the official SDK used directly, against the same local emulator in the same run
 * (s3rver, azurite, the fake GCS). Uploads are 32 KiB positional writes sent in swapped pairs, as
 * SFTP clients do with writes in flight; downloads are 32 KiB positional reads. The reference does
 * one SDK upload of the same bytes and one ranged GET stream. Prints MB/s and ratios (ours/reference
 * time: 1.0 = no overhead). Run: node --import tsx bench/objstore/run.ts [MiB]
 */
import { Readable } from 'node:stream';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ContainerClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import type { Fs } from '../../src/vfs/types.js';
import { createS3Fs } from '../../src/vfs/s3/index.js';
import { createAzBlobFs } from '../../src/vfs/azblob/index.js';
import { createGcsFs } from '../../src/vfs/gcs/index.js';
import { startS3rver } from '../../test/helpers/s3rver.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite } from '../../test/helpers/azurite.js';
import { startFakeGcs } from '../../test/helpers/fake-gcs.js';

const CHUNK = 32 * 1024;

interface Reference {
  upload(key: string, data: Buffer): Promise<void>;
  download(key: string): Promise<number>;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function oursUpload(fs: Fs, data: Buffer): Promise<void> {
  const h = await fs.openWrite('/bench.bin', { mode: 'truncate' });
  for (let off = 0; off < data.length; off += 2 * CHUNK) {
    const later = off + CHUNK < data.length ? h.write(data.subarray(off + CHUNK, off + 2 * CHUNK), off + CHUNK) : undefined;
    await Promise.all([later, h.write(data.subarray(off, off + CHUNK), off)]);
  }
  await h.close();
}

async function oursDownload(fs: Fs): Promise<number> {
  const size = (await fs.stat('/bench.bin')).size;
  const r = await fs.openRead('/bench.bin');
  const buf = Buffer.alloc(CHUNK);
  let total = 0;
  for (let n = await r.read(buf, 0); n > 0; n = await r.read(buf, total)) total += n;
  await r.close();
  if (total !== size) throw new Error(`read ${total} of ${size}`);
  return total;
}

async function drain(s: NodeJS.ReadableStream): Promise<number> {
  let n = 0;
  for await (const c of s as AsyncIterable<Buffer>) n += c.length;
  return n;
}

async function run(name: string, fs: Fs, ref: Reference, data: Buffer): Promise<void> {
  const mb = data.length / 1048576;
  const refUp = await timed(() => ref.upload('ref/bench.bin', data));
  const ourUp = await timed(() => oursUpload(fs, data));
  const refDown = await timed(() => ref.download('ref/bench.bin'));
  const ourDown = await timed(() => oursDownload(fs));
  const f = (s: number) => `${(mb / s).toFixed(1)} MB/s`;
  console.log(`${name}: upload ours ${f(ourUp)} vs SDK ${f(refUp)} (ratio ${(ourUp / refUp).toFixed(2)}); ` +
    `download ours ${f(ourDown)} vs SDK ${f(refDown)} (ratio ${(ourDown / refDown).toFixed(2)})`);
  await fs.close();
}

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 32);
  const data = Buffer.alloc(mib * 1048576);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);
  console.log(`node ${process.version}, ${mib} MiB, 32 KiB writes/reads, part size 5 MiB (S3) / 4 MiB (Azure), concurrency 2`);
  const [s3, az, gcs] = await Promise.all([startS3rver(), startAzurite(), startFakeGcs()]);
  try {
    if (!s3.unavailable) {
      const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }, requestChecksumCalculation: 'WHEN_REQUIRED' });
      await run('s3', await createS3Fs({ root: '/', config: s3.config('ours/') }), {
        upload: (Key, d) => new Upload({ client, params: { Bucket: s3.bucket, Key, Body: Readable.from([d]) }, partSize: 5 * 1048576, queueSize: 2 }).done().then(() => undefined),
        download: async (Key) => drain((await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key }))).Body as Readable),
      }, data);
      client.destroy();
    }
    if (!az.unavailable) {
      const container = new ContainerClient(`${az.endpoint}/${AZURITE_ACCOUNT}/${az.container}`, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
      await run('azblob', await createAzBlobFs({ root: '/', config: az.config('ours/') }), {
        upload: (k, d) => container.getBlockBlobClient(k).uploadStream(Readable.from([d]), 4 * 1048576, 2).then(() => undefined),
        download: async (k) => drain((await container.getBlobClient(k).download(0)).readableStreamBody!),
      }, data);
    }
    const bucket = new Storage({ apiEndpoint: gcs.url }).bucket('sftpgo-test');
    await run('gcs', await createGcsFs({ root: '/', config: { bucket: 'sftpgo-test', automatic_credentials: 1, key_prefix: 'ours/' } }, { apiEndpoint: gcs.url }), {
      upload: (k, d) => bucket.file(k).save(d, { resumable: true, validation: false }),
      download: (k) => drain(bucket.file(k).createReadStream({ validation: false })),
    }, data);
  } finally {
    await Promise.all([s3.stop(), az.stop(), gcs.stop()]);
  }
}

void main();
