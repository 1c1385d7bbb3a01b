/**
 * FTPS options with curl: client_auth_type 2 (verify a certificate when given), per-binding
 * tls_cipher_suites given with Go names, and a certificate reload (SIGHUP) taking effect for new
 * connections.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { makeCerts, type TestCerts } from './certs.js';
import { clientHome, curl, show } from './clients.js';
import { startFtp, type FtpFixture } from './fixture.js';

describe('FTPS options', { ...needsBinaries('curl', 'openssl') }, () => {
  let certs: TestCerts;
  let f: FtpFixture;
  let home: { home: string; cleanup(): Promise<void> };
  let certFile: string;
  let keyFile: string;
  const url = (port: number) => `ftp://127.0.0.1:${port}/`;

  before(async () => {
    certs = await makeCerts(['alice']);
    home = await clientHome();
    certFile = path.join(certs.dir, 'active.crt');
    keyFile = path.join(certs.dir, 'active.key');
    await copyFile(certs.serverCert, certFile);
    await copyFile(certs.serverKey, keyFile);
    f = await startFtp({
      config: {
        ftpd: {
          bindings: [
            { address: '127.0.0.1', port: 2121, tls_mode: 1, client_auth_type: 2 },
            { address: '127.0.0.1', port: 2122, tls_mode: 1, tls_cipher_suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] },
          ],
          certificate_file: certFile, certificate_key_file: keyFile, ca_certificates: [certs.caCert], ca_revocation_lists: [certs.crl],
        },
      },
      user: { filters: { tls_username: 'CommonName' } },
    });
  });

  after(async () => {
    await f?.close();
    await home?.cleanup();
    await certs?.cleanup();
  });

  test('client_auth_type 2: no certificate means a password login; a valid one logs in; a revoked one is refused', async () => {
    const tls = ['--ssl-reqd', '--cacert', certs.caCert];
    let r = await curl([...tls, url(f.ports[0]!), '-u', `alice:${f.password}`], home.home);
    assert.equal(r.code, 0, show(r));
    r = await curl([...tls, '--cert', certs.client('alice').cert, '--key', certs.client('alice').key, url(f.ports[0]!), '-u', 'alice:', '-v'], home.home);
    assert.equal(r.code, 0, show(r));
    assert.doesNotMatch(r.stderr, /> PASS/);
    r = await curl([...tls, '--cert', certs.revoked.cert, '--key', certs.revoked.key, url(f.ports[0]!), '-u', `alice:${f.password}`], home.home);
    assert.notEqual(r.code, 0, show(r));
  });

  test('tls_cipher_suites: TLS 1.2 uses the configured suite only', async () => {
    const tls = ['--ssl-reqd', '--cacert', certs.caCert, '--tls-max', '1.2'];
    let r = await curl([...tls, url(f.ports[1]!), '-u', `alice:${f.password}`, '-v'], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /SSL connection using TLSv1\.2 \/ ECDHE-RSA-AES128-GCM-SHA256/);
    r = await curl([...tls, '--ciphers', 'ECDHE-RSA-AES256-GCM-SHA384', url(f.ports[1]!), '-u', `alice:${f.password}`], home.home);
    assert.notEqual(r.code, 0, show(r));
  });

  test('reload: a replaced certificate is served to new connections', async () => {
    let r = await curl(['--ssl-reqd', '-k', url(f.ports[0]!), '-u', `alice:${f.password}`, '-v'], home.home);
    assert.match(r.stderr, /issuer: CN=Test CA/);
    await copyFile(certs.selfSignedCert, certFile);
    await copyFile(certs.selfSignedKey, keyFile);
    await f.server.reload();
    r = await curl(['--ssl-reqd', '-k', url(f.ports[0]!), '-u', `alice:${f.password}`, '-v'], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /issuer: CN=localhost/);
  });
});
