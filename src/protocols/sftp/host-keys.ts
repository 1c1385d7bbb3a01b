/**
 * Host keys: the configured list, or `id_rsa` (RSA 4096), `id_ecdsa` (P-256) and `id_ed25519` in
 * the config dir, generated on first start (private key 0600 + `.pub`), INVENTORY §3.1.
 */
import { createHash } from 'node:crypto';
import { access, readFile, writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import ssh2 from 'ssh2';
import { generateSsh2PrivateKey, toSsh2PrivateKey } from '../../util/ssh-private-key.js';

type GenType = 'rsa' | 'ecdsa' | 'ed25519';
const DEFAULT_KEYS: Record<string, GenType> = { id_rsa: 'rsa', id_ecdsa: 'ecdsa', id_ed25519: 'ed25519' };

/** A loaded host key. */
export interface HostKey {
  path: string;
  /** Private key text as ssh2 accepts it. */
  key: Buffer;
  /** OpenSSH key type (ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa). */
  type: string;
  /** `SHA256:<base64>` like ssh-keygen -l. */
  fingerprint: string;
}

async function fileExists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

/** Generates one key pair (private key 0600 in a form ssh2 and ssh-keygen read, `.pub` line 0644). */
export async function generateHostKey(path: string, type: GenType): Promise<void> {
  const priv = generateSsh2PrivateKey(type);
  const parsed = ssh2.utils.parseKey(priv);
  if (parsed instanceof Error) throw new Error(`generated ${type} host key does not load: ${parsed.message}`);
  const k = Array.isArray(parsed) ? parsed[0]! : parsed;
  await writeFile(path, priv, { mode: 0o600 });
  await writeFile(`${path}.pub`, `${k.type} ${k.getPublicSSH().toString('base64')}\n`, { mode: 0o644 });
}

/** SHA256 fingerprint of a public key blob. */
export function fingerprint(publicSSH: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicSSH).digest('base64').replace(/=+$/, '')}`;
}

/** Reads one host key; PKCS#8 PEM is converted first (ssh2 cannot read it). */
function parseHostKey(path: string, raw: Buffer): HostKey {
  const key = toSsh2PrivateKey(raw, `host key ${path}`);
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) throw new Error(`host key ${path}: ${parsed.message}`);
  const k = Array.isArray(parsed) ? parsed[0]! : parsed;
  return { path, key, type: k.type, fingerprint: fingerprint(k.getPublicSSH()) };
}

/**
 * Loads host keys, generating the well-known names when missing. Other missing keys are only
 * warned about; no usable key at all is a start-up error.
 */
export async function loadHostKeys(configured: readonly string[], configDir: string, logger: Logger): Promise<HostKey[]> {
  const paths = configured.length > 0 ? configured.map((p) => (isAbsolute(p) ? p : join(configDir, p))) : Object.keys(DEFAULT_KEYS).map((n) => join(configDir, n));
  const keys: HostKey[] = [];
  for (const p of paths) {
    if (!(await fileExists(p))) {
      const gen = DEFAULT_KEYS[basename(p)];
      if (!gen) {
        logger.warn({ path: p }, 'host key not found, skipped');
        continue;
      }
      logger.info({ path: p, type: gen }, 'generating host key');
      await generateHostKey(p, gen);
    }
    keys.push(parseHostKey(p, await readFile(p)));
  }
  if (keys.length === 0) throw new Error('sftpd: no usable host key');
  return keys;
}
