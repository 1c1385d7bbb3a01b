/**
 * DARE 2.0 (minio/sio), the package format of SFTPGo's encrypted files.
 *
 * A stream is a sequence of packages: a 16-byte header, the AEAD ciphertext of 1..64 KiB of
 * plaintext and a 16-byte tag. Header: [0] version 0x20, [1] cipher id (0 AES-256-GCM,
 * 1 ChaCha20-Poly1305), [2:4] little-endian payload length - 1, [4:16] a 12-byte random value
 * shared by the whole stream whose top bit of [4] flags the final package. Every package but the
 * final one carries exactly 64 KiB. The AEAD nonce is header[4:16] with its last four bytes XORed
 * with the little-endian sequence number (0 for the first package); the additional data is
 * header[0:4]. An empty stream has no package at all.
 */
import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { failure } from '../../util/errors.js';

export const DARE_VERSION = 0x20;
export const CIPHER_AES_256_GCM = 0x00;
export const CIPHER_CHACHA20_POLY1305 = 0x01;
export const HEADER_SIZE = 16;
export const TAG_SIZE = 16;
export const MAX_PAYLOAD = 64 * 1024;
export const MAX_PACKAGE = HEADER_SIZE + MAX_PAYLOAD + TAG_SIZE;
const FINAL_FLAG = 0x80;
const OVERHEAD = HEADER_SIZE + TAG_SIZE;

/**
 * Node ciphers of the DARE cipher ids. Both are AEADs with the same call shape; the typings only
 * know the GCM overload, hence the single type below.
 */
type Aead = 'aes-256-gcm';
const ALGORITHMS: Record<number, Aead> = {
  [CIPHER_AES_256_GCM]: 'aes-256-gcm',
  [CIPHER_CHACHA20_POLY1305]: 'chacha20-poly1305' as Aead,
};

/** Size of the DARE stream for `plain` plaintext bytes (sio.EncryptedSize). */
export function encryptedSize(plain: number): number {
  const full = Math.floor(plain / MAX_PAYLOAD);
  const rest = plain % MAX_PAYLOAD;
  return full * MAX_PACKAGE + (rest > 0 ? rest + OVERHEAD : 0);
}

/** Plaintext size of a DARE stream of `enc` bytes (sio.DecryptedSize); undefined when no stream has that size. */
export function decryptedSize(enc: number): number | undefined {
  const full = Math.floor(enc / MAX_PACKAGE);
  const rest = enc % MAX_PACKAGE;
  if (rest === 0) return full * MAX_PAYLOAD;
  if (rest <= OVERHEAD) return undefined;
  return full * MAX_PAYLOAD + rest - OVERHEAD;
}

/** The AEAD nonce of package `seq`: header[4:16] with the sequence number XORed into its last word. */
export function packageNonce(header: Buffer, seq: number): Buffer {
  const nonce = Buffer.from(header.subarray(4, HEADER_SIZE));
  nonce.writeUInt32LE((nonce.readUInt32LE(8) ^ seq) >>> 0, 8);
  return nonce;
}

/**
 * Seals one package. `random` is the stream's 12-byte value (its top bit is replaced by the
 * final flag, as sio does).
 */
export function sealPackage(key: Buffer, random: Buffer, seq: number, plain: Buffer, final: boolean, cipherId = CIPHER_AES_256_GCM): Buffer {
  if (plain.length < 1 || plain.length > MAX_PAYLOAD) throw failure(`DARE payload of ${plain.length} bytes`);
  const header = Buffer.alloc(HEADER_SIZE);
  header[0] = DARE_VERSION;
  header[1] = cipherId;
  header.writeUInt16LE(plain.length - 1, 2);
  random.copy(header, 4, 0, 12);
  header[4] = final ? header[4]! | FINAL_FLAG : header[4]! & ~FINAL_FLAG;
  const cipher = createCipheriv(algorithmOf(cipherId), key, packageNonce(header, seq), { authTagLength: TAG_SIZE });
  cipher.setAAD(header.subarray(0, 4));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/** What the reader knows about the package it opens. */
export interface PackageSlot {
  seq: number;
  /** True when this package ends the stream (it must carry the final flag, and only it). */
  last: boolean;
  /** header[4:16] of the stream's first package: every package must repeat it. */
  reference: Buffer;
}

/** Verifies and decrypts one whole package; any mismatch is a Failure, never partial plaintext. */
export function openPackage(key: Buffer, pkg: Buffer, slot: PackageSlot): Buffer {
  if (pkg.length <= OVERHEAD) throw corrupt('package too short');
  const header = pkg.subarray(0, HEADER_SIZE);
  if (header[0] !== DARE_VERSION) throw corrupt(`unsupported version 0x${header[0]!.toString(16)}`);
  const algorithm = ALGORITHMS[header[1]!];
  if (!algorithm) throw corrupt(`unsupported cipher 0x${header[1]!.toString(16)}`);
  const length = header.readUInt16LE(2) + 1;
  if (pkg.length !== OVERHEAD + length) throw corrupt('payload size mismatch');
  const final = (header[4]! & FINAL_FLAG) !== 0;
  if (final !== slot.last) throw corrupt(final ? 'data after the final package' : 'missing final package');
  if (!final && length !== MAX_PAYLOAD) throw corrupt('short package before the end');
  if (!sameStream(header, slot.reference, final)) throw corrupt('header nonce mismatch');
  const decipher = createDecipheriv(algorithm, key, packageNonce(header, slot.seq), { authTagLength: TAG_SIZE });
  decipher.setAAD(header.subarray(0, 4));
  decipher.setAuthTag(pkg.subarray(pkg.length - TAG_SIZE));
  try {
    return Buffer.concat([decipher.update(pkg.subarray(HEADER_SIZE, pkg.length - TAG_SIZE)), decipher.final()]);
  } catch (err) {
    throw corrupt('authentication failed', err);
  }
}

/** header[4:16] equals the reference, the final flag aside. */
function sameStream(header: Buffer, reference: Buffer, final: boolean): boolean {
  const want = Buffer.from(reference);
  want[0] = final ? want[0]! | FINAL_FLAG : want[0]! & ~FINAL_FLAG;
  return timingSafeEqual(header.subarray(4, HEADER_SIZE), want);
}

function algorithmOf(cipherId: number): Aead {
  const a = ALGORITHMS[cipherId];
  if (!a) throw failure(`unknown DARE cipher ${cipherId}`);
  return a;
}

function corrupt(why: string, cause?: unknown): Error {
  return failure(`encrypted file is corrupt or the passphrase is wrong: ${why}`, cause);
}
