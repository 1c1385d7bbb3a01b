/**
 * OpenSSH user certificates (PROTOCOL.certkeys) signed by a `trusted_user_ca_keys` CA
 * (INVENTORY §3.1): the type must be "user", the username one of the principals (an empty list is
 * valid for every user, as Go's CertChecker), the validity window open, and the only critical
 * option understood is `source-address`. ssh2 does not parse certificates; this module does.
 */
import { cidrList } from '../../core/index.js';
import { WireReader, verifySshSignature, wireStrings } from './ssh-wire.js';

const CERT_SUFFIX = '-cert-v01@openssh.com';
/** Number of key fields after the nonce, per plain key type (sk-* and DSA keys are not accepted). */
const KEY_FIELDS: Record<string, number> = {
  'ssh-rsa': 2, 'ssh-ed25519': 1, 'ecdsa-sha2-nistp256': 2, 'ecdsa-sha2-nistp384': 2, 'ecdsa-sha2-nistp521': 2,
};
const USER_CERT = 1;

/** The fields of an OpenSSH certificate we check. */
export interface UserCertificate {
  /** Plain key type (ssh-ed25519...). */
  keyType: string;
  /** Wire blob of the certified public key (what signs the session). */
  publicKey: Buffer;
  serial: bigint;
  certType: number;
  keyId: string;
  principals: string[];
  validAfter: bigint;
  validBefore: bigint;
  criticalOptions: Map<string, string>;
  extensions: Map<string, string>;
  signatureKey: Buffer;
  signature: Buffer;
  /** The bytes the CA signed. */
  signedData: Buffer;
}

/** True when an SSH key algorithm name denotes a certificate. */
export function isCertificateAlgo(algo: string): boolean {
  return algo.endsWith(CERT_SUFFIX);
}

function stringList(blob: Buffer | undefined): string[] | undefined {
  if (!blob) return undefined;
  const r = new WireReader(blob);
  const out: string[] = [];
  while (!r.done) {
    const s = r.string();
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** Options and extensions: name, then a string holding the value (itself a string when non-empty). */
function optionMap(blob: Buffer | undefined): Map<string, string> | undefined {
  if (!blob) return undefined;
  const r = new WireReader(blob);
  const out = new Map<string, string>();
  while (!r.done) {
    const name = r.string();
    const data = r.bytes();
    if (name === undefined || data === undefined) return undefined;
    out.set(name, data.length >= 4 ? (new WireReader(data).string() ?? '') : '');
  }
  return out;
}

/** Parses a certificate blob; undefined when malformed or of an unsupported key type. */
export function parseCertificate(blob: Buffer): UserCertificate | undefined {
  const r = new WireReader(blob);
  const certType = r.string();
  if (!certType || !isCertificateAlgo(certType)) return undefined;
  const keyType = certType.slice(0, -CERT_SUFFIX.length);
  const fields = KEY_FIELDS[keyType];
  if (r.bytes() === undefined || fields === undefined) return undefined;
  const start = r.offset;
  for (let i = 0; i < fields; i++) if (r.bytes() === undefined) return undefined;
  const publicKey = Buffer.concat([wireStrings([keyType]), blob.subarray(start, r.offset)]);
  const serial = r.uint64();
  const type = r.uint32();
  const keyId = r.string();
  const principals = stringList(r.bytes());
  const validAfter = r.uint64();
  const validBefore = r.uint64();
  const criticalOptions = optionMap(r.bytes());
  const extensions = optionMap(r.bytes());
  const reserved = r.bytes();
  const signatureKey = r.bytes();
  const signedEnd = r.offset;
  const signature = r.bytes();
  if (serial === undefined || type === undefined || keyId === undefined || !principals || validAfter === undefined
    || validBefore === undefined || !criticalOptions || !extensions || !reserved || !signatureKey || !signature) return undefined;
  return {
    keyType, publicKey, serial, certType: type, keyId, principals, validAfter, validBefore, criticalOptions, extensions,
    signatureKey, signature, signedData: blob.subarray(0, signedEnd),
  };
}

/**
 * Why `cert` cannot log in `username` from `ip` now, or undefined when it can. `trustedCAs` are
 * public key wire blobs.
 */
export function checkCertificate(
  cert: UserCertificate, username: string, ip: string, trustedCAs: readonly Buffer[], nowSeconds: number,
): string | undefined {
  if (cert.certType !== USER_CERT) return 'not a user certificate';
  if (!trustedCAs.some((ca) => ca.equals(cert.signatureKey))) return 'certificate signed by an unknown authority';
  if (isCertificateAlgo(new WireReader(cert.signatureKey).string() ?? '')) return 'certificate signed by a certificate';
  if (!verifySshSignature(cert.signatureKey, cert.signedData, cert.signature)) return 'invalid certificate signature';
  if (cert.principals.length > 0 && !cert.principals.includes(username)) return `certificate not valid for user ${username}`;
  const now = BigInt(Math.floor(nowSeconds));
  if (now < cert.validAfter) return 'certificate not yet valid';
  if (cert.validBefore !== 0xffffffffffffffffn && now >= cert.validBefore) return 'certificate expired';
  for (const [name, value] of cert.criticalOptions) {
    if (name !== 'source-address') return `unsupported critical option ${name}`;
    if (!sourceAllowed(value, ip)) return `source address ${ip} not allowed by the certificate`;
  }
  return undefined;
}

/** `source-address` is a comma-separated CIDR list; an unparsable list allows nobody. */
function sourceAllowed(list: string, ip: string): boolean {
  try {
    return cidrList(list.split(',').map((s) => s.trim()).filter(Boolean)).has(ip);
  } catch {
    return false;
  }
}
