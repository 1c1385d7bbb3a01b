/**
 * The one registry of storage backends (STYLE §5): a new backend is a folder and one line here.
 * An instance per app context, never a module-level map.
 */
import type { Fs, FsFactory, FsFactoryOptions } from './types.js';
import { FsProvider, type FsProviderCode, type Secret } from '../dataprovider/models.js';
import { notSupported } from '../util/errors.js';
import { createLocalFs } from './local/index.js';
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

/** How the registry hands secrets to backends. */
export interface FsRegistryOptions {
  /** The KMS: plaintext of a stored secret. Without it only Plain secrets can be used. */
  decryptSecret?: (secret: Secret) => string;
}

/** True for a KMS secret object ({status, payload, key, ...}). */
function isSecret(v: unknown): v is Secret {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && ('payload' in v || 'status' in v);
}

/**
 * The backend config block with every secret field replaced by its plaintext (FsFactoryOptions:
 * backends never see the KMS). Empty secrets are dropped; encrypted ones without a KMS stay as they
 * are, and the backend reports them clearly.
 */
export function decryptConfig(config: unknown, decrypt?: (secret: Secret) => string): unknown {
  if (typeof config !== 'object' || config === null) return config;
  const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const [k, v] of Object.entries(out)) {
    if (!isSecret(v)) continue;
    const plain = (v.status ?? 'Plain') === 'Plain';
    if (!v.payload && plain) delete out[k];
    else if (plain) out[k] = v.payload;
    else if (decrypt && v.status !== 'Redacted') out[k] = decrypt(v);
  }
  return out;
}

/** A registry with the built-in backends registered. */
export function createFsRegistry(opts: FsRegistryOptions = {}): FsRegistry {
  const factories = new Map<string, FsFactory>();
  factories.set('local', createLocalFs);
  factories.set('s3', createS3Fs);
  factories.set('gcs', (o) => createGcsFs(o));
  factories.set('azblob', createAzBlobFs);
  return {
    register(name, factory) {
      factories.set(name, factory);
    },
    async create(provider, o) {
      const name = fsNameOf(provider);
      const factory = factories.get(name);
      if (!factory) throw notSupported(`not supported: storage backend ${name} is not built yet`);
      return factory({ ...o, config: decryptConfig(o.config, opts.decryptSecret) });
    },
    has(name) {
      return factories.has(name);
    },
  };
}
