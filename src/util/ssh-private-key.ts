/**
 * Private keys in PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, what `openssl genpkey` writes) turned
 * into a form ssh2's key parser reads: ssh2 knows OpenSSH, PKCS#1 (RSA) and SEC1 (EC) PEM, and PPK,
 * but not PKCS#8. RSA becomes PKCS#1, EC (P-256/384/521) SEC1, and Ed25519 the OpenSSH format (the
 * only one ssh2 reads for it). Anything else is passed through untouched for ssh2 to judge.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

const PKCS8 = '-----BEGIN PRIVATE KEY-----';
const PKCS8_ENCRYPTED = '-----BEGIN ENCRYPTED PRIVATE KEY-----';

/** A key that cannot be used; the message names where it came from. */
export class PrivateKeyError extends Error {}

/**
 * The key as ssh2 reads it. `source` names the key in errors (a file path, a config field).
 * Encrypted PKCS#8 keys are refused: there is no passphrase setting for them.
 */
export function toSsh2PrivateKey(key: Buffer | string, source: string): Buffer {
  const buf = Buffer.isBuffer(key) ? key : Buffer.from(key);
  const text = buf.toString('latin1');
  if (text.includes(PKCS8_ENCRYPTED)) {
    throw new PrivateKeyError(`${source}: encrypted PKCS#8 private keys are not supported, store it unencrypted (openssl pkey -in <file> -out <new file>)`);
  }
  if (!text.includes(PKCS8)) return buf;
  let k: KeyObject;
  try {
    k = createPrivateKey({ key: buf, format: 'pem' });
  } catch (err) {
    throw new PrivateKeyError(`${source}: cannot read the PKCS#8 private key: ${err instanceof Error ? err.message : String(err)}`);
  }
  switch (k.asymmetricKeyType) {
    case 'rsa': return Buffer.from(k.export({ type: 'pkcs1', format: 'pem' }));
    case 'ec': return Buffer.from(k.export({ type: 'sec1', format: 'pem' }));
    case 'ed25519': return ed25519ToOpenSsh(k);
    default: throw new PrivateKeyError(`${source}: ${k.asymmetricKeyType ?? 'unknown'} private keys are not supported (RSA, ECDSA P-256/384/521 and Ed25519 are)`);
  }
}

/**
 * A new private key in the form ssh2 and OpenSSH read: RSA as PKCS#1 PEM, ECDSA P-256 as SEC1 PEM
 * (as SFTPGo writes them), Ed25519 in the OpenSSH format. Made with node:crypto, not ssh2's
 * generator: ssh2 1.17 drops a leading zero byte of the Ed25519 public key (about one key in 256),
 * and the key it writes then fails to load ("Malformed OpenSSH private key").
 */
export function generateSsh2PrivateKey(type: 'rsa' | 'ecdsa' | 'ed25519'): Buffer {
  if (type === 'ed25519') return ed25519ToOpenSsh(generateKeyPairSync('ed25519').privateKey);
  if (type === 'ecdsa') return Buffer.from(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }));
  return Buffer.from(generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs1', format: 'pem' }));
}

function sshString(b: Buffer | string): Buffer {
  const data = Buffer.isBuffer(b) ? b : Buffer.from(b);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** An unencrypted `openssh-key-v1` container (PROTOCOL.key in OpenSSH) holding one Ed25519 key. */
function ed25519ToOpenSsh(k: KeyObject): Buffer {
  const jwk = k.export({ format: 'jwk' });
  const pub = Buffer.from(jwk.x!, 'base64url');
  const seed = Buffer.from(jwk.d!, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString('')]);
  // Padded with 1, 2, 3... to the cipher block size (8 for "none").
  const pad = (8 - (priv.length % 8)) % 8;
  priv = Buffer.concat([priv, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), uint32(1), sshString(pubBlob), sshString(priv),
  ]);
  const b64 = body.toString('base64').replace(/.{1,70}/g, '$&\n');
  return Buffer.from(`-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}-----END OPENSSH PRIVATE KEY-----\n`);
}
