/**
 * Byte compatibility of the encrypted backend with SFTPGo's files. The reference functions below
 * re-derive the format from the public specs (SFTPGo's 33-byte header, minio/sio's DARE 2.0
 * package layout) with node:crypto directly, independently of src/vfs/crypt's code path: files
 * the backend writes must parse and authenticate with them, files they build must read back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Fs } from '../../../src/vfs/types.js';
import { createFsRegistry } from '../../../src/vfs/registry.js';
import { decryptedSize, encryptedSize, sealPackage } from '../../../src/vfs/crypt/dare.js';

const KIB64 = 65536;

/** HKDF-SHA256(passphrase, salt = nonce, no info) → 32 bytes. */
function refKey(passphrase: string, nonce: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(passphrase), nonce, Buffer.alloc(0), 32));
}

function refAead(cipher: number): 'aes-256-gcm' {
  return (cipher === 0 ? 'aes-256-gcm' : 'chacha20-poly1305') as 'aes-256-gcm';
}

/** DARE 2.0: nonce = header[4:16] with the little-endian seq XORed into bytes 8..12. */
function refNonce(header: Buffer, seq: number): Buffer {
  const n = Buffer.from(header.subarray(4, 16));
  for (let i = 0; i < 4; i++) n[8 + i] = n[8 + i]! ^ ((seq >>> (8 * i)) & 0xff);
  return n;
}

function refSeal(key: Buffer, rand: Buffer, seq: number, plain: Buffer, final: boolean, cipher = 0): Buffer {
  const header = Buffer.alloc(16);
  header[0] = 0x20;
  header[1] = cipher;
  header[2] = (plain.length - 1) & 0xff;
  header[3] = (plain.length - 1) >>> 8;
  rand.copy(header, 4, 0, 12);
  header[4] = final ? header[4]! | 0x80 : header[4]! & 0x7f;
  const c = createCipheriv(refAead(cipher), key, refNonce(header, seq), { authTagLength: 16 });
  c.setAAD(header.subarray(0, 4));
  return Buffer.concat([header, c.update(plain), c.final(), c.getAuthTag()]);
}

/** A whole SFTPGo encrypted file for `plain`. */
function refEncryptFile(passphrase: string, plain: Buffer, cipher = 0): Buffer {
  const nonce = randomBytes(32);
  const key = refKey(passphrase, nonce);
  const rand = randomBytes(12);
  const parts: Buffer[] = [Buffer.from([0x10]), nonce];
  for (let off = 0, seq = 0; off < plain.length; off += KIB64, seq++) {
    parts.push(refSeal(key, rand, seq, plain.subarray(off, off + KIB64), off + KIB64 >= plain.length, cipher));
  }
  return Buffer.concat(parts);
}

/** Parses and authenticates a whole file; returns the plaintext and the payload sizes seen. */
function refDecryptFile(passphrase: string, file: Buffer): { plain: Buffer; payloads: number[] } {
  assert.equal(file[0], 0x10, 'SFTPGo header version');
  const key = refKey(passphrase, file.subarray(1, 33));
  const out: Buffer[] = [];
  const payloads: number[] = [];
  let first: Buffer | undefined;
  for (let off = 33, seq = 0; off < file.length; seq++) {
    const header = file.subarray(off, off + 16);
    assert.equal(header[0], 0x20, 'DARE version 2.0');
    const len = header[2]! + header[3]! * 256 + 1;
    const final = (header[4]! & 0x80) !== 0;
    const end = off + 16 + len + 16;
    assert.equal(final, end === file.length, `final flag exactly on the last package (seq ${seq})`);
    if (!final) assert.equal(len, KIB64, 'non-final packages are full');
    const rand = Buffer.from(header.subarray(4, 16));
    rand[0] = rand[0]! & 0x7f;
    first ??= rand;
    assert.deepEqual(rand, first, 'one random value per stream');
    const d = createDecipheriv(refAead(header[1]!), key, refNonce(header, seq), { authTagLength: 16 });
    d.setAAD(header.subarray(0, 4));
    d.setAuthTag(file.subarray(end - 16, end));
    out.push(d.update(file.subarray(off + 16, end - 16)), d.final());
    payloads.push(len);
    off = end;
  }
  return { plain: Buffer.concat(out), payloads };
}

function pattern(size: number, seed = 7): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + seed) & 0xff;
  return b;
}

async function withCrypt(passphrase: string, fn: (fs: Fs, root: string) => Promise<void>): Promise<void> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-cryptfmt-'));
  try {
    const fs = await createFsRegistry().create('crypt', { root: base, config: { passphrase } });
    await fn(fs, base);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

async function put(fs: Fs, p: string, data: Buffer, chunk = 32 * 1024): Promise<void> {
  const h = await fs.openWrite(p, { mode: 'truncate' });
  for (let off = 0; off < data.length; off += chunk) await h.write(data.subarray(off, off + chunk), off);
  await h.close();
}

async function getFrom(fs: Fs, p: string, offset: number): Promise<Buffer> {
  const h = await fs.openRead(p, { offset });
  const chunks: Buffer[] = [];
  for await (const c of h.stream() as AsyncIterable<Buffer>) chunks.push(c);
  await h.close();
  return Buffer.concat(chunks);
}

test('crypt format: the file key is HKDF-SHA256 as Go x/crypto/hkdf computes it', () => {
  // Published output of golang.org/x/crypto/hkdf: hkdf.New(sha256.New, "foo", salt "bar", nil), 32 bytes.
  const key = Buffer.from(hkdfSync('sha256', Buffer.from('foo'), Buffer.from('bar'), Buffer.alloc(0), 32));
  assert.equal(key.toString('base64'), 'm6E+F3FDAmDcoPBJV2IsEk9Mw3o9l57PJ99lFMhCZtA=');
});

test('crypt format: encrypted and decrypted sizes follow sio', () => {
  const cases: [number, number][] = [[0, 0], [1, 33], [KIB64 - 1, KIB64 + 31], [KIB64, KIB64 + 32], [KIB64 + 1, KIB64 + 32 + 33], [3 * KIB64 + 5, 3 * (KIB64 + 32) + 37]];
  for (const [plain, enc] of cases) {
    assert.equal(encryptedSize(plain), enc, `plain ${plain}`);
    assert.equal(decryptedSize(enc), plain, `enc ${enc}`);
  }
  for (const bad of [1, 16, 32, KIB64 + 32 + 32]) assert.equal(decryptedSize(bad), undefined, `${bad} is no stream size`);
});

test('crypt format: sealed packages equal the reference bytes (AES-256-GCM and ChaCha20-Poly1305)', () => {
  const key = Buffer.alloc(32, 0x42);
  const rand = Buffer.from('000102030405060708090a0b', 'hex');
  for (const cipher of [0, 1]) {
    for (const [seq, final, size] of [[0, true, 1], [0, false, KIB64], [7, true, 1000], [0x1234567, false, KIB64]] as const) {
      const plain = pattern(size, seq);
      assert.deepEqual(sealPackage(key, rand, seq, plain, final, cipher), refSeal(key, rand, seq, plain, final, cipher), `cipher ${cipher} seq ${seq}`);
    }
  }
});

test('crypt format: files written by the backend parse and authenticate with the reference', async () => {
  await withCrypt('pass phrase', async (fs, root) => {
    for (const size of [0, 1, KIB64 - 1, KIB64, KIB64 + 1, 3 * KIB64 + 5]) {
      const data = pattern(size);
      await put(fs, `/f${size}`, data, 10_000);
      const raw = await readFile(path.join(root, `f${size}`));
      assert.equal(raw.length, 33 + encryptedSize(size), `size on disk for ${size}`);
      const { plain, payloads } = refDecryptFile('pass phrase', raw);
      assert.ok(plain.equals(data), `plaintext of ${size}`);
      const full = Math.floor(size / KIB64);
      const want = size % KIB64 ? [...Array<number>(full).fill(KIB64), size % KIB64] : Array<number>(full).fill(KIB64);
      assert.deepEqual(payloads, want, `package sizes for ${size}`);
    }
  });
});

test('crypt format: files built by the reference read back, whole and from any offset, in both ciphers', async () => {
  await withCrypt('shared', async (fs, root) => {
    const data = pattern(3 * KIB64 + 100, 3);
    for (const cipher of [0, 1]) {
      await writeFile(path.join(root, `ref${cipher}`), refEncryptFile('shared', data, cipher));
      assert.equal((await fs.stat(`/ref${cipher}`)).size, data.length);
      for (const offset of [0, 1, KIB64 - 1, KIB64, 2 * KIB64 + 7, data.length - 1, data.length]) {
        assert.ok((await getFrom(fs, `/ref${cipher}`, offset)).equals(data.subarray(offset)), `cipher ${cipher} offset ${offset}`);
      }
    }
    await writeFile(path.join(root, 'empty'), refEncryptFile('shared', Buffer.alloc(0)));
    assert.equal((await getFrom(fs, '/empty', 0)).length, 0);
  });
});

test('crypt format: a reordered package or a dropped final package is refused', async () => {
  await withCrypt('p', async (fs, root) => {
    const file = refEncryptFile('p', pattern(2 * KIB64 + 10));
    const pkg = 16 + KIB64 + 16;
    const swapped = Buffer.concat([file.subarray(0, 33), file.subarray(33 + pkg, 33 + 2 * pkg), file.subarray(33, 33 + pkg), file.subarray(33 + 2 * pkg)]);
    await writeFile(path.join(root, 'swapped'), swapped);
    await assert.rejects(getFrom(fs, '/swapped', 0), /corrupt/);
    await writeFile(path.join(root, 'cut'), file.subarray(0, 33 + 2 * pkg));
    await assert.rejects(getFrom(fs, '/cut', 0), /corrupt/);
  });
});
