/**
 * PKCS#8 conversion for ssh2: every supported type parses with ssh2 to the same public key node
 * derives from the PKCS#8 original; other formats pass through; encrypted and unsupported keys are
 * refused with the source named (and as a field problem of sftpconfig).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import ssh2 from 'ssh2';
import { generateSsh2PrivateKey, PrivateKeyError, toSsh2PrivateKey } from '../../../src/util/ssh-private-key.js';
import { parseSftpConfig } from '../../../src/vfs/sftp/config.js';

const pkcs8 = (type: string, opts: object = {}) =>
  (generateKeyPairSync as (t: string, o: object) => { privateKey: string })(type, { ...opts, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }).privateKey;

test('PKCS#8 RSA, EC P-256/384/521 and Ed25519 become keys ssh2 parses, with the same public key', () => {
  const cases: [string, string, object][] = [
    ['ssh-rsa', 'rsa', { modulusLength: 2048 }],
    ['ecdsa-sha2-nistp256', 'ec', { namedCurve: 'P-256' }],
    ['ecdsa-sha2-nistp384', 'ec', { namedCurve: 'P-384' }],
    ['ecdsa-sha2-nistp521', 'ec', { namedCurve: 'P-521' }],
    ['ssh-ed25519', 'ed25519', {}],
  ];
  for (const [sshType, type, opts] of cases) {
    const pem = pkcs8(type, opts);
    assert.ok(ssh2.utils.parseKey(pem) instanceof Error, 'ssh2 alone refuses PKCS#8');
    const parsed = ssh2.utils.parseKey(toSsh2PrivateKey(pem, 'k'));
    assert.ok(!(parsed instanceof Error), `${sshType}: ${String(parsed)}`);
    const k = Array.isArray(parsed) ? parsed[0]! : parsed;
    assert.equal(k.type, sshType);
    const spki = (p: string | Buffer) => createPublicKey(p).export({ type: 'spki', format: 'der' });
    assert.deepEqual(spki(k.getPublicPEM()), spki(pem), sshType);
    // The converted key signs and its public half verifies.
    const sig = k.sign(Buffer.from('data'));
    assert.ok(!(sig instanceof Error) && k.verify(Buffer.from('data'), sig as Buffer), sshType);
  }
});

test('non-PKCS#8 keys pass through; encrypted and unsupported PKCS#8 keys are refused naming the source', () => {
  const openssh = generateSsh2PrivateKey('ed25519').toString();
  assert.equal(toSsh2PrivateKey(openssh, 'k').toString(), openssh);
  const enc = (generateKeyPairSync as (t: string, o: object) => { privateKey: string })('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'x' },
  }).privateKey;
  assert.throws(() => toSsh2PrivateKey(enc, 'host key /etc/k.pem'), (e: Error) => e instanceof PrivateKeyError && /^host key \/etc\/k\.pem: encrypted PKCS#8/.test(e.message));
  assert.throws(() => toSsh2PrivateKey(pkcs8('ed448'), 'host key /x'), /host key \/x: ed448 private keys are not supported/);
  assert.throws(() => toSsh2PrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'f'), /f: cannot read the PKCS#8 private key/);
  assert.throws(() => parseSftpConfig({ endpoint: '127.0.0.1:22', username: 'u', private_key: enc }), (e: { problems?: { field: string; message: string }[] }) => {
    assert.equal(e.problems?.[0]?.field, 'sftpconfig.private_key');
    assert.match(e.problems[0]!.message, /encrypted PKCS#8/);
    return true;
  });
  assert.match(parseSftpConfig({ endpoint: '127.0.0.1:22', username: 'u', private_key: pkcs8('rsa', { modulusLength: 2048 }) }).privateKey!, /BEGIN RSA PRIVATE KEY/);
});

test('generated keys always load: 2000 Ed25519 keys (ssh2 1.17\'s own generator loses about one in 256), ECDSA and RSA', () => {
  for (let i = 0; i < 2000; i++) {
    const parsed = ssh2.utils.parseKey(generateSsh2PrivateKey('ed25519'));
    assert.ok(!(parsed instanceof Error), `key ${i}: ${String(parsed)}`);
    const k = Array.isArray(parsed) ? parsed[0]! : parsed;
    assert.equal(k.type, 'ssh-ed25519');
    // ssh-ed25519 public blob: string "ssh-ed25519" (4 + 11) then string of the 32-byte key.
    assert.equal(k.getPublicSSH().readUInt32BE(15), 32, `key ${i}: public key length`);
  }
  for (const [type, sshType, pem] of [['ecdsa', 'ecdsa-sha2-nistp256', 'EC PRIVATE KEY'], ['rsa', 'ssh-rsa', 'RSA PRIVATE KEY']] as const) {
    const priv = generateSsh2PrivateKey(type);
    assert.match(priv.toString(), new RegExp(`^-----BEGIN ${pem}-----`));
    const parsed = ssh2.utils.parseKey(priv);
    assert.ok(!(parsed instanceof Error), String(parsed));
    const k = Array.isArray(parsed) ? parsed[0]! : parsed;
    assert.equal(k.type, sshType);
    const sig = k.sign(Buffer.from('data'));
    assert.ok(!(sig instanceof Error) && k.verify(Buffer.from('data'), sig as Buffer), sshType);
  }
});
