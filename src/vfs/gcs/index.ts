/**
 * Google Cloud Storage backend (INVENTORY §7.4), provider code 2. The SDK is imported lazily (a
 * static import string, so the bundler still includes it) the first time a GCS filesystem is built.
 */
import type { GCSConfig } from '../../dataprovider/models.js';
import type { Fs, FsFactoryOptions } from '../types.js';
import { invalidInput } from '../../util/errors.js';
import { secretText } from '../shared/cloud.js';
import { meteredDriver } from '../shared/metered.js';
import { ObjectFs } from '../shared/object-fs.js';
import type { GcsSettings } from './driver.js';

/** What only tests set: another API endpoint (a local fake GCS). */
export interface GcsOverrides {
  apiEndpoint?: string;
  /** Size up to which an upload is one simple request (default 16 MiB). */
  simpleUploadLimit?: number;
}

/** Checks a gcsconfig block: explicit service-account credentials, or automatic ones (ADC). */
export function gcsSettings(config: unknown, overrides: GcsOverrides = {}): GcsSettings & { keyPrefix?: string } {
  const c = (config ?? {}) as GCSConfig & { credentials?: unknown };
  if (!c.bucket) throw invalidInput('gcsconfig.bucket is required');
  const text = secretText(c.credentials, 'gcsconfig.credentials');
  let credentials: GcsSettings['credentials'];
  if (c.automatic_credentials !== 1) {
    if (!text) throw invalidInput('gcsconfig: credentials are required unless automatic_credentials is 1');
    try {
      credentials = JSON.parse(text) as GcsSettings['credentials'];
    } catch {
      throw invalidInput('gcsconfig.credentials: not a valid service account JSON');
    }
  }
  return {
    bucket: c.bucket, credentials, storageClass: c.storage_class || undefined, keyPrefix: c.key_prefix,
    apiEndpoint: overrides.apiEndpoint, simpleUploadLimit: overrides.simpleUploadLimit,
  };
}

/** Factory registered as "gcs"; `overrides` exist for tests only. */
export async function createGcsFs(opts: FsFactoryOptions, overrides?: GcsOverrides): Promise<Fs> {
  const s = gcsSettings(opts.config, overrides);
  const { GcsDriver } = await import('./driver.js');
  return new ObjectFs({ driver: meteredDriver(new GcsDriver(s, s.keyPrefix ?? ''), opts.objectStoreMetrics), keyPrefix: s.keyPrefix });
}
