/**
 * The secrets inside a filesystem config, walked once for encryption (on save), preservation of
 * stored values sent back "Redacted" (on update) and redaction (on output).
 */
import type { FilesystemConfig, Secret } from './models.js';

/** Anything that can seal and redact a secret (the KMS). */
export interface SecretSealer {
  encrypt(secret: Secret, additionalData: string): Secret;
  redact(secret: Secret | undefined): Secret;
}

const SECRET_FIELDS: Record<string, string[]> = {
  s3config: ['access_secret'],
  gcsconfig: ['credentials'],
  azblobconfig: ['account_key', 'sas_url'],
  cryptconfig: ['passphrase'],
  sftpconfig: ['password', 'private_key'],
};

type SecretVisitor = (secret: Secret | undefined, path: string) => Secret | undefined;

/** Returns a copy of `fs` with every secret replaced by `visit(secret)`. */
export function mapSecrets(fs: FilesystemConfig | undefined, visit: SecretVisitor): FilesystemConfig | undefined {
  if (!fs) return fs;
  const out = structuredClone(fs) as unknown as Record<string, Record<string, unknown> | number>;
  for (const [block, fields] of Object.entries(SECRET_FIELDS)) {
    const b = out[block];
    if (!b || typeof b !== 'object') continue;
    for (const f of fields) {
      const next = visit(b[f] as Secret | undefined, `${block}.${f}`);
      if (next === undefined) delete b[f];
      else b[f] = next;
    }
  }
  return out as unknown as FilesystemConfig;
}

/** Seals plain secrets; a Redacted one takes the stored value at the same place (or is refused by the KMS). */
export function sealSecrets(
  kms: SecretSealer, fs: FilesystemConfig | undefined, additionalData: string, stored?: FilesystemConfig,
): FilesystemConfig | undefined {
  return mapSecrets(fs, (secret, path) => {
    if (!secret) return undefined;
    if (secret.status === 'Redacted') {
      const [block, field] = path.split('.') as [string, string];
      const previous = (stored as unknown as Record<string, Record<string, Secret> | undefined> | undefined)?.[block]?.[field];
      if (previous && previous.status !== 'Redacted') return previous;
    }
    return kms.encrypt(secret, additionalData);
  });
}

export function redactSecrets(kms: SecretSealer, fs: FilesystemConfig | undefined): FilesystemConfig | undefined {
  return mapSecrets(fs, (secret) => (secret ? kms.redact(secret) : undefined));
}
