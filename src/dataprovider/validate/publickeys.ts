/**
 * OpenSSH public keys in authorized_keys format ("[options] type base64 [comment]"). A key is valid
 * when its base64 blob decodes and the blob's embedded type name equals the declared type — the
 * same structural check ssh.ParseAuthorizedKey makes. The core compares keys by their wire blob.
 */

export interface ParsedPublicKey {
  type: string;
  blob: Buffer;
  comment: string;
}

/** Parses one authorized_keys line; undefined when it is not a valid key. */
export function parsePublicKey(line: string): ParsedPublicKey | undefined {
  const tokens = line.trim().split(/\s+/);
  for (let i = 0; i + 1 < tokens.length; i++) {
    const type = tokens[i]!;
    const blob = decodeBlob(tokens[i + 1]!);
    if (blob && blobType(blob) === type) return { type, blob, comment: tokens.slice(i + 2).join(' ') };
  }
  return undefined;
}

function decodeBlob(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const buf = Buffer.from(text, 'base64');
  return buf.length >= 4 ? buf : undefined;
}

/** The key type name carried in the first SSH string of a wire blob. */
export function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}
