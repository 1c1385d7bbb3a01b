/**
 * Azure Blob backend (INVENTORY §7.5), provider code 3. The SDK is imported lazily (a static import
 * string, so the bundler still includes it) the first time an Azure filesystem is built.
 */
import type { AzureBlobFsConfig } from '../../dataprovider/models.js';
import type { Fs, FsFactoryOptions } from '../types.js';
import { invalidInput } from '../../util/errors.js';
import { concurrency, partSizeBytes, secretText } from '../shared/cloud.js';
import { meteredDriver } from '../shared/metered.js';
import { ObjectFs } from '../shared/object-fs.js';
import type { AzBlobSettings } from './driver.js';

const TIERS = new Set(['', 'Archive', 'Hot', 'Cool']);

/** Checks an azblobconfig block and resolves it (part size in bytes, defaults applied). */
export function azBlobSettings(config: unknown): AzBlobSettings & { keyPrefix?: string } {
  const c = (config ?? {}) as AzureBlobFsConfig & { account_key?: unknown; sas_url?: unknown };
  const sasUrl = secretText(c.sas_url, 'azblobconfig.sas_url');
  const accountKey = secretText(c.account_key, 'azblobconfig.account_key');
  if (!sasUrl) {
    if (!c.container) throw invalidInput('azblobconfig.container is required');
    if (!c.account_name || !accountKey) throw invalidInput('azblobconfig: account_name and account_key are required without a SAS URL');
  }
  if (!TIERS.has(c.access_tier ?? '')) throw invalidInput(`azblobconfig.access_tier: unknown tier "${c.access_tier}"`);
  return {
    container: c.container ?? '', accountName: c.account_name || undefined, accountKey, sasUrl, endpoint: c.endpoint || undefined,
    useEmulator: !!c.use_emulator, accessTier: c.access_tier || undefined, keyPrefix: c.key_prefix,
    // SFTPGo: 0 → 4 MB, at most 100 MB.
    partSize: partSizeBytes(c.upload_part_size, 4, 1, 100, 'azblobconfig.upload_part_size'),
    concurrency: concurrency(c.upload_concurrency, 'azblobconfig.upload_concurrency'),
  };
}

/** Factory registered as "azblob". */
export async function createAzBlobFs(opts: FsFactoryOptions): Promise<Fs> {
  const s = azBlobSettings(opts.config);
  const { AzBlobDriver } = await import('./driver.js');
  const driver = new AzBlobDriver(s, s.keyPrefix ?? '');
  return new ObjectFs({ driver: meteredDriver(driver, opts.objectStoreMetrics), keyPrefix: s.keyPrefix, partSize: s.partSize });
}
