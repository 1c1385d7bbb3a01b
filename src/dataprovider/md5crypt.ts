/**
 * md5crypt (`$1$`, Poul-Henning Kamp's FreeBSD scheme) and Apache's `$apr1$` variant (the same
 * algorithm with another magic). It works on the UTF-8 bytes of the password, as Go's crypt
 * packages and OpenSSL do; the npm `apache-md5` package hashes non-ASCII passwords wrongly.
 */
import { createHash } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const md5 = (...parts: Buffer[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
};

function to64(value: number, chars: number): string {
  let out = '';
  for (let v = value; chars-- > 0; v >>= 6) out += ITOA64[v & 63];
  return out;
}

/** The 22 characters that encode the final digest, in md5crypt's byte order. */
function encode(f: Buffer): string {
  const triple = (a: number, b: number, c: number) => to64((f[a]! << 16) | (f[b]! << 8) | f[c]!, 4);
  return triple(0, 6, 12) + triple(1, 7, 13) + triple(2, 8, 14) + triple(3, 9, 15) + triple(4, 10, 5) + to64(f[11]!, 2);
}

function digest(pw: Buffer, salt: Buffer, magic: Buffer): Buffer {
  const alt = md5(pw, salt, pw);
  const parts: Buffer[] = [pw, magic, salt];
  for (let left = pw.length; left > 0; left -= 16) parts.push(alt.subarray(0, Math.min(16, left)));
  for (let i = pw.length; i; i >>= 1) parts.push(i & 1 ? Buffer.alloc(1) : pw.subarray(0, 1));
  let final = md5(...parts);
  // 1000 rounds "to slow things down" (the original comment), mixing password, salt and digest.
  for (let i = 0; i < 1000; i++) {
    const round: Buffer[] = [i & 1 ? pw : final];
    if (i % 3) round.push(salt);
    if (i % 7) round.push(pw);
    round.push(i & 1 ? final : pw);
    final = md5(...round);
  }
  return final;
}

/** md5crypt of `password` with the magic and salt (at most 8 characters) of `stored` (`$1$salt$...` or `$apr1$salt$...`). */
export function md5Crypt(password: string, stored: string): string | undefined {
  const m = /^\$(1|apr1)\$([^$]{0,8})/.exec(stored);
  if (!m) return undefined;
  const magic = `$${m[1]}$`;
  const salt = m[2]!;
  return `${magic}${salt}$${encode(digest(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), Buffer.from(magic)))}`;
}
