import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kms } from '../../../src/kms/index.js';
import { aesGcmEncrypt, deriveSecretboxKey, hashKey } from '../../../src/kms/local.js';
import type { Secret } from '../../../src/dataprovider/models.js';

const KEY = Buffer.from([...Array(32).keys()]); // 00 01 .. 1f

test('HKDF derivation matches an independent computation (python hashlib/hmac)', () => {
  // Computed with python3: ikm = sha256(key+ad+key); okm = HKDF-SHA256(ikm, salt=key, info=ad, 32).
  assert.equal(hashKey(KEY, 'user1').toString('hex'), '58477022704f1273e9be908f4072365d5efc1f34f12a4150919dc47fa31fe85d');
  assert.equal(deriveSecretboxKey(KEY, 'user1').toString('hex'), '0e025872f503e369d1b4b16ee2f177093d59d0b0fd8e4aed0d8dd782f0f37b87');
  assert.equal(deriveSecretboxKey(KEY, 'folder_f1').toString('hex'), '1b80412182f031cc1ffb8fd7473b33d7f69f3facd9d43648f1e9f8ad9c9bcbd2');
  assert.equal(deriveSecretboxKey(KEY, 'user1', Buffer.from('my-master-key')).toString('hex'),
    'daab8487c74fe28a6fcc9d572cef9524d1629fd2ae0cc8bdddc4c46f10db0a32');
});

test('fixed Secretbox vectors decrypt (24-byte nonce prepended, base64), mode 0 and mode 1', () => {
  // Regression vectors: nonce = 24 x 0x07, plaintext "s3cr3t", keys as above.
  const mode0: Secret = {
    status: 'Secretbox', key: KEY.toString('hex'), additional_data: 'user1', mode: 0,
    payload: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHoPwktBz4Ggzph/nzVldNWFXsHIuNwQ==',
  };
  assert.equal(new Kms().decrypt(mode0), 's3cr3t');
  assert.equal(new Kms('any-master').decrypt(mode0), 's3cr3t', 'mode 0 ignores the master key');
  const mode1: Secret = { ...mode0, mode: 1, payload: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHYn5QwWmeKjcHTsd5AKHVz9XYIREQsA==' };
  assert.equal(new Kms('my-master-key').decrypt(mode1), 's3cr3t');
  assert.throws(() => new Kms().decrypt(mode1), /unable to decrypt/);
  // Structure: nonce (24) + secretbox overhead (16) + plaintext.
  assert.equal(Buffer.from(mode0.payload!, 'base64').length, 24 + 16 + 's3cr3t'.length);
});

test('round trip; the wrong additional data does not decrypt', () => {
  const kms = new Kms();
  const enc = kms.encrypt({ status: 'Plain', payload: 'pässwörd' }, 'alice');
  assert.equal(enc.status, 'Secretbox');
  assert.equal(enc.mode, 0);
  assert.equal(enc.additional_data, 'alice');
  assert.match(enc.key!, /^[0-9a-f]{64}$/);
  assert.notEqual(enc.payload, 'pässwörd');
  assert.equal(kms.decrypt(enc), 'pässwörd');
  assert.throws(() => kms.decrypt({ ...enc, additional_data: 'bob' }), /unable to decrypt/);
  assert.deepEqual(kms.encrypt(enc, 'alice'), enc, 'already encrypted stays as is');
  assert.deepEqual(kms.encrypt({}, 'alice'), {}, 'empty stays empty');
});

test('master key mode: mode 1, needs the same master key', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-kms-'));
  try {
    await writeFile(path.join(dir, 'mk'), '  secret-master\n');
    const kms = await Kms.fromConfig({ secrets: { url: '', master_key_path: 'mk' } }, dir);
    const enc = kms.encrypt({ status: 'Plain', payload: 'x' }, 'u');
    assert.equal(enc.mode, 1);
    assert.equal(kms.decrypt(enc), 'x');
    assert.equal(new Kms('secret-master').decrypt(enc), 'x', 'file content is trimmed');
    assert.throws(() => new Kms('other').decrypt(enc));
    assert.throws(() => new Kms().decrypt(enc));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('legacy AES-256-GCM secrets decrypt; tampering fails', () => {
  const { payload, key } = aesGcmEncrypt('legacy', 'user2');
  const s: Secret = { status: 'AES-256-GCM', payload, key, additional_data: 'user2' };
  assert.equal(new Kms().decrypt(s), 'legacy');
  assert.throws(() => new Kms().decrypt({ ...s, additional_data: 'x' }), /unable to decrypt/);
});

test('cloud KMS URLs are refused clearly; redact and isEncrypted', async () => {
  for (const url of ['awskms://alias/x', 'gcpkms://projects/p', 'hashivault://k']) {
    await assert.rejects(Kms.fromConfig({ secrets: { url, master_key_path: '' } }, '/'), /not supported: KMS/);
  }
  const kms = new Kms();
  assert.throws(() => kms.decrypt({ status: 'AWS', payload: 'x' }), /not supported/);
  const enc = kms.encrypt({ status: 'Plain', payload: 'p' }, 'u');
  assert.equal(kms.isEncrypted(enc), true);
  assert.equal(kms.isEncrypted({ status: 'Plain', payload: 'p' }), false);
  assert.deepEqual(kms.redact(enc), { status: 'Redacted', payload: '', key: '', additional_data: '', mode: 0 });
  assert.throws(() => kms.encrypt({ status: 'Redacted', payload: '' , key: 'k'}, 'u'), /redacted/);
  assert.throws(() => kms.decrypt({ status: 'Redacted' }), /redacted/);
});
