/**
 * SFTPGo's local secret formats (INVENTORY §8.4), byte-compatible so existing dumps decrypt:
 * - Secretbox: random 32-byte key (hex in `key`); encryption key = HKDF-SHA256(IKM, salt = key,
 *   info = additional_data) where IKM = master key (mode 1) or SHA-256(key‖ad‖key) (mode 0);
 *   NaCl secretbox with a random 24-byte nonce prepended (gocloud localsecrets); base64 payload.
 * - AES-256-GCM (legacy, ≤1.2.x): key = SHA-256(rand‖ad‖rand), AAD = ad, hex(nonce‖ciphertext‖tag).
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import nacl from 'tweetnacl';

const NONCE_LEN = 24;

/** SHA-256(key ‖ additionalData ‖ key): SFTPGo's IKM without a master key, and the legacy AES key. */
export function hashKey(key: Buffer, additionalData: string): Buffer {
  return createHash('sha256').update(key).update(additionalData, 'utf8').update(key).digest();
}

/** The secretbox key for `key` (the per-secret random bytes), as SFTPGo derives it. */
export function deriveSecretboxKey(key: Buffer, additionalData: string, masterKey?: Buffer): Buffer {
  const ikm = masterKey && masterKey.length > 0 ? masterKey : hashKey(key, additionalData);
  return Buffer.from(hkdfSync('sha256', ikm, key, Buffer.from(additionalData, 'utf8'), 32));
}

/** Encrypted fields of a Secretbox secret. */
export interface SealedSecret {
  payload: string;
  key: string;
  mode: number;
}

/** Encrypts `plaintext`; mode 1 when a master key is used. */
export function secretboxEncrypt(plaintext: string, additionalData: string, masterKey?: Buffer): SealedSecret {
  const key = randomBytes(32);
  const derived = deriveSecretboxKey(key, additionalData, masterKey);
  const nonce = randomBytes(NONCE_LEN);
  const box = nacl.secretbox(Buffer.from(plaintext, 'utf8'), nonce, derived);
  return {
    payload: Buffer.concat([nonce, box]).toString('base64'),
    key: key.toString('hex'),
    mode: masterKey && masterKey.length > 0 ? 1 : 0,
  };
}

/**
 * Decrypts a Secretbox payload. Mode 1 uses the master key (SFTPGo falls back to the hashed IKM
 * when none is configured, which then fails to open); mode 0 always uses the hashed IKM.
 * Returns undefined when the box does not open (wrong key or additional data).
 */
export function secretboxDecrypt(s: SealedSecret, additionalData: string, masterKey?: Buffer): string | undefined {
  const key = Buffer.from(s.key, 'hex');
  const data = Buffer.from(s.payload, 'base64');
  if (key.length !== 32 || data.length < NONCE_LEN + nacl.secretbox.overheadLength) return undefined;
  const derived = deriveSecretboxKey(key, additionalData, s.mode === 1 ? masterKey : undefined);
  const opened = nacl.secretbox.open(data.subarray(NONCE_LEN), data.subarray(0, NONCE_LEN), derived);
  return opened ? Buffer.from(opened).toString('utf8') : undefined;
}

/** Legacy AES-256-GCM encryption (kept to build compatibility fixtures; new secrets use Secretbox). */
export function aesGcmEncrypt(plaintext: string, additionalData: string): { payload: string; key: string } {
  const key = randomBytes(32);
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', hashKey(key, additionalData), nonce);
  c.setAAD(Buffer.from(additionalData, 'utf8'));
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
  return { payload: Buffer.concat([nonce, ct]).toString('hex'), key: key.toString('hex') };
}

/** Decrypts a legacy AES-256-GCM secret; undefined when authentication fails. */
export function aesGcmDecrypt(payloadHex: string, keyHex: string, additionalData: string): string | undefined {
  const data = Buffer.from(payloadHex, 'hex');
  if (data.length < 12 + 16) return undefined;
  const d = createDecipheriv('aes-256-gcm', hashKey(Buffer.from(keyHex, 'hex'), additionalData), data.subarray(0, 12));
  d.setAAD(Buffer.from(additionalData, 'utf8'));
  d.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([d.update(data.subarray(12, data.length - 16)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
