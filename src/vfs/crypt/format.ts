/**
 * SFTPGo's encrypted file layout (INVENTORY §7.2): one version byte 0x10, a 32-byte random nonce,
 * then a DARE 2.0 stream. The file key is HKDF-SHA256(secret = passphrase, salt = nonce, no info),
 * 32 bytes, so every file has its own key even with one passphrase.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { failure } from '../../util/errors.js';
import { decryptedSize, MAX_PACKAGE } from './dare.js';

export const FILE_VERSION = 0x10;
export const NONCE_SIZE = 32;
/** Bytes before the DARE stream. */
export const FILE_HEADER_SIZE = 1 + NONCE_SIZE;

/** The per-file key for a header nonce. */
export function fileKey(passphrase: Buffer, nonce: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', passphrase, nonce, Buffer.alloc(0), 32));
}

/** A fresh header (version + random nonce) and the key it implies. */
export function newFileHeader(passphrase: Buffer): { header: Buffer; key: Buffer } {
  const nonce = randomBytes(NONCE_SIZE);
  return { header: Buffer.concat([Buffer.from([FILE_VERSION]), nonce]), key: fileKey(passphrase, nonce) };
}

/** The key of an existing file from its first 33 bytes. */
export function keyFromHeader(passphrase: Buffer, header: Buffer): Buffer {
  if (header.length < FILE_HEADER_SIZE) throw failure('encrypted file is truncated: no header');
  if (header[0] !== FILE_VERSION) throw failure(`unsupported encryption version: ${header[0]}`);
  return fileKey(passphrase, header.subarray(1, FILE_HEADER_SIZE));
}

/**
 * The size a client sees for an encrypted file of `diskSize` bytes, as SFTPGo reports it: the
 * DARE plaintext size, the raw size minus the header when the stream size is impossible, 0 for a
 * file shorter than its header.
 */
export function plainSizeOf(diskSize: number): number {
  if (diskSize < FILE_HEADER_SIZE) return 0;
  const stream = diskSize - FILE_HEADER_SIZE;
  return decryptedSize(stream) ?? stream;
}

/** Disk offset of DARE package `index`. */
export function packageOffset(index: number): number {
  return FILE_HEADER_SIZE + index * MAX_PACKAGE;
}
