/**
 * Small SSH wire-format helpers (RFC 4251 §5) for the parts ssh2 leaves to us: user certificates
 * and signatures carried with their algorithm name.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import ssh2 from 'ssh2';

/** Sequential reader over an SSH wire blob; every read returns undefined past the end. */
export class WireReader {
  private off = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.off >= this.buf.length;
  }

  get offset(): number {
    return this.off;
  }

  uint32(): number | undefined {
    if (this.off + 4 > this.buf.length) return undefined;
    const v = this.buf.readUInt32BE(this.off);
    this.off += 4;
    return v;
  }

  uint64(): bigint | undefined {
    if (this.off + 8 > this.buf.length) return undefined;
    const v = this.buf.readBigUInt64BE(this.off);
    this.off += 8;
    return v;
  }

  bytes(): Buffer | undefined {
    const len = this.uint32();
    if (len === undefined || this.off + len > this.buf.length) return undefined;
    const v = this.buf.subarray(this.off, this.off + len);
    this.off += len;
    return v;
  }

  string(): string | undefined {
    return this.bytes()?.toString('utf8');
  }
}

/** Concatenates length-prefixed strings. */
export function wireStrings(parts: (Buffer | string)[]): Buffer {
  const bufs = parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p));
  const out = Buffer.allocUnsafe(bufs.reduce((n, b) => n + 4 + b.length, 0));
  let off = 0;
  for (const b of bufs) {
    out.writeUInt32BE(b.length, off);
    b.copy(out, off + 4);
    off += 4 + b.length;
  }
  return out;
}

/** Minimal DER INTEGER of an unsigned big-endian magnitude. */
function derInteger(v: Buffer): Buffer {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  let body = v.subarray(i);
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  return n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}

/** SSH ECDSA signature (mpint r, mpint s) → DER, as OpenSSL verifies it. */
function ecdsaSigToDer(sig: Buffer): Buffer | undefined {
  const r = new WireReader(sig);
  const a = r.bytes();
  const b = r.bytes();
  if (!a || !b) return undefined;
  const body = Buffer.concat([derInteger(a), derInteger(b)]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** Hash used by a signature algorithm name (null: the key type fixes it, as Ed25519). */
function hashOf(sigAlgo: string): string | null | undefined {
  switch (sigAlgo) {
    case 'ssh-ed25519': return null;
    case 'rsa-sha2-256': return 'sha256';
    case 'rsa-sha2-512': return 'sha512';
    case 'ssh-rsa': return 'sha1';
    case 'ecdsa-sha2-nistp256': return 'sha256';
    case 'ecdsa-sha2-nistp384': return 'sha384';
    case 'ecdsa-sha2-nistp521': return 'sha512';
    default: return undefined;
  }
}

/** Node KeyObject of an SSH public key blob, or undefined when ssh2 cannot parse it. */
export function publicKeyObject(blob: Buffer): KeyObject | undefined {
  const parsed = ssh2.utils.parseKey(blob);
  if (parsed instanceof Error) return undefined;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  const pem = key?.getPublicPEM();
  return pem ? createPublicKey(pem) : undefined;
}

/**
 * Verifies an SSH signature blob (`string algo, string sig`) made by `publicBlob` over `data`.
 * False on any malformed input, never throws.
 */
export function verifySshSignature(publicBlob: Buffer, data: Buffer, signatureBlob: Buffer): boolean {
  const r = new WireReader(signatureBlob);
  const algo = r.string();
  const raw = r.bytes();
  if (!algo || !raw) return false;
  const hash = hashOf(algo);
  const key = publicKeyObject(publicBlob);
  if (hash === undefined || !key) return false;
  const sig = algo.startsWith('ecdsa-') ? ecdsaSigToDer(raw) : raw;
  if (!sig) return false;
  try {
    return cryptoVerify(hash, data, key, sig);
  } catch {
    return false;
  }
}
