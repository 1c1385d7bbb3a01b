/**
 * WebDAV over HTTPS with certificates generated here: curl and rclone trusting a self-signed
 * server certificate; TLS client certificates (client_auth_type 1) logging a user in by their
 * common name, refused without a certificate and when the CRL revokes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { curl, run, startDav } from './harness.js';
import { makePki } from './pki.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('HTTPS with a self-signed certificate: curl and rclone upload and download', needsBinaries('curl', 'openssl', 'rclone'), async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-dav-tls-'));
  const pki = await makePki(dir, []);
  const h = await startDav({ https: true, config: { webdavd: { certificate_file: pki.serverCert, certificate_key_file: pki.serverKey } } });
  try {
    assert.match(h.url, /^https:/);
    const data = randomBytes(1024 * 1024);
    await writeFile(path.join(dir, 'f.bin'), data);
    assert.equal((await curl(['--cacert', pki.serverCert, '-u', 'alice:secret', '-T', path.join(dir, 'f.bin'), h.at('f.bin')])).status, 201);
    const back = path.join(dir, 'back.bin');
    assert.equal((await curl(['--cacert', pki.serverCert, '-u', 'alice:secret', '-o', back, h.at('f.bin')])).status, 200);
    assert.equal(sha(await readFile(back)), sha(data));
    const untrusted = await run('curl', ['-sS', '-u', 'alice:secret', h.at('f.bin')]);
    assert.notEqual(untrusted.code, 0, 'an unknown certificate is not accepted by default');

    const obscured = (await run('rclone', ['obscure', 'secret'])).stdout.trim();
    const remote = `:webdav,url='${h.url}',vendor=other,user=alice,pass=${obscured}:`;
    const env = { ...process.env, RCLONE_CONFIG: '/nonexistent', HOME: dir };
    const r = await run('rclone', ['--ca-cert', pki.serverCert, 'copyto', `${remote}f.bin`, path.join(dir, 'rclone.bin')], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sha(await readFile(path.join(dir, 'rclone.bin'))), sha(data));
  } finally {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('TLS client certificates: the common name logs in; no certificate or a revoked one is refused', needsBinaries('curl', 'openssl'), async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-dav-mtls-'));
  const pki = await makePki(dir, ['alice', 'mallory'], ['mallory']);
  const h = await startDav({
    binding: { port: 1, address: '127.0.0.1', enable_https: true, client_auth_type: 1 },
    users: [
      { username: 'alice', password: 'secret', filters: { tls_username: 'CommonName' } },
      { username: 'mallory', password: 'secret', filters: { tls_username: 'CommonName' } },
    ],
    config: {
      webdavd: {
        certificate_file: pki.serverCert, certificate_key_file: pki.serverKey,
        ca_certificates: [pki.caCert], ca_revocation_lists: [pki.crl],
      },
    },
  });
  const tls = (cn: string) => ['--cacert', pki.serverCert, '--cert', pki.client(cn).cert, '--key', pki.client(cn).key];
  try {
    const byCert = await curl([...tls('alice'), '-X', 'PROPFIND', '-H', 'Depth: 0', h.url]);
    assert.equal(byCert.status, 207, byCert.body);
    const both = await curl([...tls('alice'), '-u', 'alice:secret', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url]);
    assert.equal(both.status, 207);
    const wrongPw = await curl([...tls('alice'), '-u', 'alice:wrong', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url]);
    assert.equal(wrongPw.status, 401);
    const noCert = await run('curl', ['-sS', '--cacert', pki.serverCert, '-u', 'alice:secret', h.url]);
    assert.notEqual(noCert.code, 0, 'the handshake needs a client certificate');
    const revoked = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', ...tls('mallory'), '-X', 'PROPFIND', '-H', 'Depth: 0', h.url]);
    assert.notEqual(revoked.stdout, '207', 'a revoked certificate never logs in');
    assert.notEqual(revoked.code, 0, `the CRL refuses the handshake: ${revoked.stdout} ${revoked.stderr}`);
  } finally {
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
});
