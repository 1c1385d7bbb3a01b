import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkCertificate, isCertificateAlgo, parseCertificate } from '../../../../src/protocols/sftp/certs.js';
import { keyBlob } from '../../../../src/core/index.js';
import { hasBinary, needs } from '../../../helpers/require.js';

const opts = needs(hasBinary('ssh-keygen'), 'ssh-keygen missing');
let dir = '';
const blobOf = async (file: string) => keyBlob(await readFile(file, 'utf8'))!;

before(async () => {
  if (!hasBinary('ssh-keygen')) return;
  dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-certs-'));
  for (const [name, type] of [['ca', 'ed25519'], ['ca2', 'ecdsa'], ['user', 'ed25519'], ['ruser', 'rsa']]) {
    execFileSync('ssh-keygen', ['-q', '-t', type!, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', path.join(dir, name!)]);
  }
  const sign = (ca: string, key: string, extra: string[]) => execFileSync('ssh-keygen', ['-q', '-s', path.join(dir, ca), '-I', 'id', ...extra, path.join(dir, `${key}.pub`)]);
  sign('ca', 'user', ['-n', 'alice,bob', '-V', '-5m:+1h', '-O', 'source-address=10.0.0.0/8,127.0.0.1']);
  sign('ca2', 'ruser', ['-V', 'always:forever']);
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('parses an OpenSSH user certificate', opts, async () => {
  const cert = parseCertificate(await blobOf(path.join(dir, 'user-cert.pub')))!;
  assert.ok(cert);
  assert.equal(cert.keyType, 'ssh-ed25519');
  assert.equal(cert.certType, 1);
  assert.deepEqual(cert.principals, ['alice', 'bob']);
  assert.equal(cert.criticalOptions.get('source-address'), '10.0.0.0/8,127.0.0.1');
  assert.ok(cert.extensions.has('permit-pty'));
  assert.ok(cert.publicKey.equals(await blobOf(path.join(dir, 'user.pub'))));
  assert.ok(cert.signatureKey.equals(await blobOf(path.join(dir, 'ca.pub'))));
  assert.ok(isCertificateAlgo('ssh-ed25519-cert-v01@openssh.com'));
  assert.equal(parseCertificate(Buffer.from('garbage')), undefined);
});

test('checks CA, principals, validity and source address', opts, async () => {
  const cert = parseCertificate(await blobOf(path.join(dir, 'user-cert.pub')))!;
  const ca = [await blobOf(path.join(dir, 'ca.pub'))];
  const now = Date.now() / 1000;
  assert.equal(checkCertificate(cert, 'alice', '10.1.2.3', ca, now), undefined);
  assert.equal(checkCertificate(cert, 'bob', '127.0.0.1', ca, now), undefined);
  assert.match(checkCertificate(cert, 'carol', '10.1.2.3', ca, now)!, /not valid for user carol/);
  assert.match(checkCertificate(cert, 'alice', '192.168.1.1', ca, now)!, /source address/);
  assert.match(checkCertificate(cert, 'alice', '10.1.2.3', [await blobOf(path.join(dir, 'ca2.pub'))], now)!, /unknown authority/);
  assert.match(checkCertificate(cert, 'alice', '10.1.2.3', ca, now + 7200)!, /expired/);
  assert.match(checkCertificate(cert, 'alice', '10.1.2.3', ca, now - 3600)!, /not yet valid/);
  const tampered = Buffer.from(await blobOf(path.join(dir, 'user-cert.pub')));
  tampered[tampered.length - 10]! ^= 0xff;
  assert.match(checkCertificate(parseCertificate(tampered)!, 'alice', '10.1.2.3', ca, now)!, /invalid certificate signature/);
});

test('an RSA certificate signed by an ECDSA CA, without principals, is valid for everyone', opts, async () => {
  const cert = parseCertificate(await blobOf(path.join(dir, 'ruser-cert.pub')))!;
  assert.equal(cert.keyType, 'ssh-rsa');
  assert.equal(checkCertificate(cert, 'anyone', '1.2.3.4', [await blobOf(path.join(dir, 'ca2.pub'))], Date.now() / 1000), undefined);
});
