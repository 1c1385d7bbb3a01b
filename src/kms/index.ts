/**
 * Secrets (INVENTORY §8.4): encrypt with the local Secretbox format, decrypt Secretbox and the
 * legacy AES-256-GCM format, redact for API output. Cloud KMS URLs (awskms://, gcpkms://,
 * hashivault://) are not supported in this build and fail at start-up with a clear message.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { KmsConfig } from '../config/types.js';
import type { Secret, SecretStatus } from '../dataprovider/models.js';
import { failure, invalidInput, notSupported } from '../util/errors.js';
import { aesGcmDecrypt, secretboxDecrypt, secretboxEncrypt } from './local.js';

const ENCRYPTED: ReadonlySet<SecretStatus> = new Set(['AES-256-GCM', 'Secretbox', 'GCP', 'AWS', 'VaultTransit']);
const CLOUD_SCHEMES = ['awskms://', 'gcpkms://', 'hashivault://'];

/** Encrypts, decrypts and redacts secrets with the configured (local) key material. */
export class Kms {
  readonly #masterKey: Buffer | undefined;

  /** @param masterKey the local master key (mode 1); absent = per-secret derived keys (mode 0). */
  constructor(masterKey?: string) {
    this.#masterKey = masterKey ? Buffer.from(masterKey, 'utf8') : undefined;
  }

  /** Builds the KMS from `kms.secrets`; `master_key_path` is relative to the config dir. */
  static async fromConfig(cfg: KmsConfig, configDir: string): Promise<Kms> {
    const url = cfg.secrets.url.trim();
    if (CLOUD_SCHEMES.some((s) => url.startsWith(s))) {
      throw notSupported(`not supported: KMS ${url.split('://')[0]} (${url}); only the local secretbox KMS is built in`);
    }
    if (url !== '' && !url.startsWith('local')) throw invalidInput(`kms.secrets.url: unknown KMS URL "${url}"`);
    const p = cfg.secrets.master_key_path;
    if (!p) return new Kms();
    const file = path.isAbsolute(p) ? p : path.join(configDir, p);
    const text = await readFile(file, 'utf8').catch((err: unknown) => {
      throw failure(`cannot read kms.secrets.master_key_path ${file}`, err);
    });
    const key = text.trim();
    if (!key) throw invalidInput(`kms.secrets.master_key_path ${file} is empty`);
    return new Kms(key);
  }

  /** True when the secret holds encrypted data. */
  isEncrypted(secret: Secret | undefined): boolean {
    return !!secret?.status && ENCRYPTED.has(secret.status);
  }

  /** True when the secret has no value at all. */
  isEmpty(secret: Secret | undefined): boolean {
    return !secret || (!secret.payload && (secret.status === undefined || secret.status === 'Plain'));
  }

  /**
   * Encrypts a plain secret for storage (`additionalData`: the username, or `folder_<name>`).
   * Already-encrypted secrets are returned unchanged; empty ones stay empty; redacted ones are refused.
   */
  encrypt(secret: Secret, additionalData: string): Secret {
    if (this.isEncrypted(secret) || this.isEmpty(secret)) return { ...secret };
    if (secret.status === 'Redacted') throw invalidInput('cannot save a redacted secret');
    const sealed = secretboxEncrypt(secret.payload ?? '', additionalData, this.#masterKey);
    return { status: 'Secretbox', payload: sealed.payload, key: sealed.key, additional_data: additionalData, mode: sealed.mode };
  }

  /** The plaintext of a secret (plain secrets return their payload). */
  decrypt(secret: Secret): string {
    const ad = secret.additional_data ?? '';
    switch (secret.status ?? 'Plain') {
      case 'Plain': return secret.payload ?? '';
      case 'Secretbox': return opened(secretboxDecrypt({ payload: secret.payload ?? '', key: secret.key ?? '', mode: secret.mode ?? 0 }, ad, this.#masterKey));
      case 'AES-256-GCM': return opened(aesGcmDecrypt(secret.payload ?? '', secret.key ?? '', ad));
      case 'Redacted': throw invalidInput('cannot decrypt a redacted secret');
      default: throw notSupported(`not supported: decrypting ${secret.status} secrets (cloud KMS is not built in)`);
    }
  }

  /** The secret as the API shows it: status Redacted, payload, key and additional data removed. */
  redact(secret: Secret | undefined): Secret {
    if (this.isEmpty(secret)) return {};
    return { status: 'Redacted', payload: '', key: '', additional_data: '', mode: 0 };
  }
}

function opened(plain: string | undefined): string {
  if (plain === undefined) throw failure('unable to decrypt the secret: wrong key or additional data');
  return plain;
}

export { deriveSecretboxKey, hashKey } from './local.js';
