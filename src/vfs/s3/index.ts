/**
 * S3 backend (INVENTORY §7.3), provider code 1. The SDK is imported lazily (a static import string,
 * so the bundler still includes it) the first time an S3 filesystem is built.
 */
import type { S3Config } from '../../dataprovider/models.js';
import type { Fs, FsFactoryOptions } from '../types.js';
import { invalidInput } from '../../util/errors.js';
import { concurrency, partSizeBytes, secretText } from '../shared/cloud.js';
import { meteredDriver } from '../shared/metered.js';
import { ObjectFs } from '../shared/object-fs.js';
import type { S3Settings } from './driver.js';

/** Checks an s3config block and resolves it (part size in bytes, defaults applied). */
export function s3Settings(config: unknown): S3Settings & { keyPrefix?: string } {
  const c = (config ?? {}) as S3Config & { access_secret?: unknown };
  if (!c.bucket) throw invalidInput('s3config.bucket is required');
  if (!c.region) throw invalidInput('s3config.region is required');
  const accessSecret = secretText(c.access_secret, 's3config.access_secret');
  if (!!c.access_key !== !!accessSecret) throw invalidInput('s3config: access_key and access_secret go together (or neither, for the default credential chain)');
  return {
    bucket: c.bucket, region: c.region, accessKey: c.access_key || undefined, accessSecret, endpoint: c.endpoint || undefined,
    storageClass: c.storage_class || undefined, keyPrefix: c.key_prefix,
    // SFTPGo: 0 → the SDK's 5 MB; otherwise 5..5000 MB.
    partSize: partSizeBytes(c.upload_part_size, 5, 5, 5000, 's3config.upload_part_size'),
    concurrency: concurrency(c.upload_concurrency, 's3config.upload_concurrency'),
  };
}

/** Factory registered as "s3". */
export async function createS3Fs(opts: FsFactoryOptions): Promise<Fs> {
  const s = s3Settings(opts.config);
  const { S3Driver } = await import('./driver.js');
  const driver = new S3Driver(s, s.keyPrefix ?? '');
  return new ObjectFs({ driver: meteredDriver(driver, opts.objectStoreMetrics), keyPrefix: s.keyPrefix, partSize: s.partSize });
}
