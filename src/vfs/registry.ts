/**
 * The one registry of storage backends (STYLE §5): a new backend is a folder and one line here.
 * An instance per app context, never a module-level map.
 */
import type { Fs, FsFactory, FsFactoryOptions, ObjectStoreMetrics } from './types.js';
import { FsProvider, type FsProviderCode } from '../dataprovider/models.js';
import { notSupported } from '../util/errors.js';
import { createLocalFs } from './local/index.js';
import { createCryptFs } from './crypt/index.js';
import { createSftpFs } from './sftp/index.js';
import { openBackendSecrets, plainSecretOpener, type SecretOpener } from './secrets.js';
import { createS3Fs } from './s3/index.js';
import { createGcsFs } from './gcs/index.js';
import { createAzBlobFs } from './azblob/index.js';

const NAMES_BY_CODE: Record<number, string> = {
  [FsProvider.Local]: 'local',
  [FsProvider.S3]: 's3',
  [FsProvider.GCS]: 'gcs',
  [FsProvider.AzureBlob]: 'azblob',
  [FsProvider.Crypt]: 'crypt',
  [FsProvider.SFTP]: 'sftp',
};

/** Backend name for a provider code ("local", "s3"...). */
export function fsNameOf(provider: FsProviderCode | string): string {
  return typeof provider === 'string' ? provider : (NAMES_BY_CODE[provider] ?? `provider ${String(provider)}`);
}

export interface FsRegistry {
  register(name: string, factory: FsFactory): void;
  /** Builds a backend; throws NotSupported for backends not registered (not built yet). */
  create(provider: FsProviderCode | string, opts: FsFactoryOptions): Promise<Fs>;
  has(name: string): boolean;
}

export type { SecretOpener } from './secrets.js';

export interface FsRegistryOptions {
  /** Opens the KMS secrets of backend configs (the app passes the KMS); plain secrets only when absent. */
  openSecret?: SecretOpener;
  /** Counters of object-store calls, handed to every backend built (telemetry's metrics). */
  metrics?: ObjectStoreMetrics;
}

/** A registry with the built-in backends registered. */
export function createFsRegistry(ropts: FsRegistryOptions = {}): FsRegistry {
  const factories = new Map<string, FsFactory>();
  factories.set('local', createLocalFs);
  factories.set('crypt', (o) => createCryptFs(o, createLocalFs({ ...o, config: undefined })));
  factories.set('sftp', (o) => createSftpFs(o));
  factories.set('s3', createS3Fs);
  factories.set('gcs', (o) => createGcsFs(o));
  factories.set('azblob', createAzBlobFs);
  return {
    register(name, factory) {
      factories.set(name, factory);
    },
    async create(provider, opts) {
      const name = fsNameOf(provider);
      const factory = factories.get(name);
      if (!factory) throw notSupported(`not supported: storage backend ${name} is not built yet`);
      const objectStoreMetrics = opts.objectStoreMetrics ?? ropts.metrics;
      return factory({ ...opts, config: openBackendSecrets(opts.config, ropts.openSecret ?? plainSecretOpener), ...(objectStoreMetrics ? { objectStoreMetrics } : {}) });
    },
    has(name) {
      return factories.has(name);
    },
  };
}
