/**
 * Opening the KMS secrets of a backend config block before a factory sees it (FsFactoryOptions:
 * "secrets already decrypted as plain strings"). In every SFTPGo backend block (s3config,
 * gcsconfig, azblobconfig, cryptconfig, sftpconfig) the object-valued fields are exactly the
 * secrets, so each one becomes its plaintext string; everything else is copied unchanged.
 */
import type { Secret } from '../dataprovider/models.js';
import { failure } from '../util/errors.js';

/** Turns a stored secret into its plaintext (the app passes the KMS's decrypt). */
export type SecretOpener = (secret: Secret) => string;

/** Without a KMS only plain secrets can be opened; an encrypted one fails loudly. */
export const plainSecretOpener: SecretOpener = (secret) => {
  const status = secret.status ?? 'Plain';
  if (status === 'Plain') return secret.payload ?? '';
  throw failure(`cannot open a ${status} secret: no KMS available to this backend registry`);
};

/**
 * A copy of `config` where every secret-shaped field holds its plaintext. An empty plain secret is
 * dropped (the field is "not set"); a redacted one is never opened and stays as it is, for the
 * backend to report.
 */
export function openBackendSecrets(config: unknown, open: SecretOpener): unknown {
  if (!config || typeof config !== 'object' || Array.isArray(config)) return config;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (!isSecret(value)) out[key] = value;
    else if (value.status === 'Redacted') out[key] = value;
    else if ((value.status ?? 'Plain') !== 'Plain') out[key] = open(value);
    else if (value.payload) out[key] = value.payload;
  }
  return out;
}

function isSecret(v: unknown): v is Secret {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
