/**
 * FTPS with real clients: explicit (AUTH TLS) and implicit TLS with a self-signed certificate made
 * in the test, data connections protected (PROT P), TLS required mode (tls_mode 1), and client
 * certificates (client_auth_type 1 with a CA and a CRL; TLSCertificate login with tls_username).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { makeCerts, type TestCerts } from './certs.js';
import { clientHome, curl, lftp, rclone, sha256File, show } from './clients.js';
import { startFtp, type FtpFixture } from './fixture.js';
import { RawFtp } from './raw-client.js';

describe('FTPS: explicit and implicit TLS', { ...needsBinaries('lftp', 'curl', 'rclone', 'openssl') }, () => {
  let certs: TestCerts;
  let f: FtpFixture;
  let home: { home: string; cleanup(): Promise<void> };
  let payload: string;
  const user = () => ['-u', `alice:${f.password}`];
  const explicit = () => f.ports[0]!;
  const implicit = () => f.ports[1]!;

  before(async () => {
    certs = await makeCerts();
    f = await startFtp({
      config: {
        ftpd: {
          bindings: [{ address: '127.0.0.1', port: 2121, tls_mode: 0 }, { address: '127.0.0.1', port: 2122, tls_mode: 2 }],
          certificate_file: certs.selfSignedCert, certificate_key_file: certs.selfSignedKey,
        },
        common: { max_per_host_connections: 100 },
      },
    });
    home = await clientHome();
    await mkdir(f.home, { recursive: true });
    payload = path.join(home.home, 'payload.bin');
    await writeFile(payload, randomBytes(2 * 1024 * 1024 + 3));
  });

  after(async () => {
    await f?.close();
    await home?.cleanup();
    await certs?.cleanup();
  });

  test('FEAT advertises AUTH TLS, PBSZ and PROT on the explicit binding only', async () => {
    const { ftp } = await RawFtp.connect(explicit());
    const feat = await ftp.cmd('FEAT');
    ftp.close();
    assert.ok(feat.lines.includes(' AUTH TLS') && feat.lines.includes(' PBSZ') && feat.lines.includes(' PROT'), feat.lines.join('\n'));
  });

  test('curl: explicit FTPS upload, list and download with protected data', async () => {
    const base = `ftp://127.0.0.1:${explicit()}`;
    let r = await curl(['--ssl-reqd', '-k', '-T', payload, `${base}/exp/curl.bin`, '--ftp-create-dirs', ...user(), '-v'], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stderr, /> AUTH (TLS|SSL)/);
    assert.match(r.stderr, /PROT P/);
    assert.equal(await sha256File(path.join(f.home, 'exp/curl.bin')), await sha256File(payload));
    r = await curl(['--ssl-reqd', '-k', `${base}/exp/`, ...user()], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /curl\.bin/);
    const back = path.join(home.home, 'back-curl.bin');
    r = await curl(['--ssl-reqd', '-k', `${base}/exp/curl.bin`, '-o', back, ...user()], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(await sha256File(back), await sha256File(payload));
  });

  test('curl: 30 parallel explicit FTPS sessions all succeed (AUTH TLS has no race)', async () => {
    await writeFile(path.join(f.home, 'race.txt'), 'race-free\n');
    const runs = await Promise.all(Array.from({ length: 30 }, () =>
      curl(['--ssl-reqd', '-k', `ftp://127.0.0.1:${explicit()}/race.txt`, ...user()], home.home)));
    for (const r of runs) {
      assert.equal(r.code, 0, show(r));
      assert.equal(r.stdout, 'race-free\n');
    }
  });

  test('curl: implicit FTPS upload and download', async () => {
    const base = `ftps://127.0.0.1:${implicit()}`;
    let r = await curl(['-k', '-T', payload, `${base}/imp-curl.bin`, ...user()], home.home);
    assert.equal(r.code, 0, show(r));
    const back = path.join(home.home, 'back-imp.bin');
    r = await curl(['-k', `${base}/imp-curl.bin`, '-o', back, ...user()], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(await sha256File(back), await sha256File(payload));
  });

  test('lftp: explicit and implicit FTPS transfers with PROT P', async () => {
    const back = path.join(home.home, 'back-lftp.bin');
    let r = await lftp({ port: explicit(), user: 'alice', password: f.password, tls: true },
      [`put ${payload} -o lftp-exp.bin`, 'cls -l', `get lftp-exp.bin -o ${back}`], home.home);
    assert.equal(r.code, 0, show(r));
    assert.match(r.debug!, /---> AUTH TLS/);
    assert.match(r.debug!, /---> PROT P/);
    assert.equal(await sha256File(back), await sha256File(payload));
    r = await lftp({ port: implicit(), user: 'alice', password: f.password, scheme: 'ftps' },
      [`put ${payload} -o lftp-imp.bin`, `get lftp-imp.bin -o ${back}`], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(await sha256File(path.join(f.home, 'lftp-imp.bin')), await sha256File(payload));
    assert.equal(await sha256File(back), await sha256File(payload));
  });

  test('rclone: explicit and implicit FTPS copy both ways', async () => {
    for (const [tls, port] of [['explicit', explicit()], ['implicit', implicit()]] as const) {
      const t = { port, user: 'alice', password: f.password, tls };
      let r = await rclone(t, ['copyto', payload, `:ftp:rc-${tls}/p.bin`], home.home);
      assert.equal(r.code, 0, show(r));
      const back = path.join(home.home, `rc-${tls}.bin`);
      r = await rclone(t, ['copyto', `:ftp:rc-${tls}/p.bin`, back], home.home);
      assert.equal(r.code, 0, show(r));
      assert.equal(await sha256File(back), await sha256File(payload));
      r = await rclone(t, ['lsf', `:ftp:rc-${tls}`], home.home);
      assert.equal(r.code, 0, show(r));
      assert.equal(r.stdout.trim(), 'p.bin');
    }
  });

  test('AUTH TLS, PBSZ and PROT answer per RFC 4217 (536 for PROT S, 503 for a second AUTH)', async () => {
    const { ftp } = await RawFtp.connect(explicit());
    assert.equal((await ftp.startTls()).code, 234);
    assert.equal((await ftp.login('alice', f.password)).code, 230);
    assert.equal((await ftp.cmd('PBSZ 0')).code, 200);
    assert.equal((await ftp.cmd('PROT P')).code, 200);
    assert.equal((await ftp.cmd('PROT S')).code, 536);
    assert.equal((await ftp.cmd('AUTH TLS')).code, 503);
    ftp.close();
  });
});

describe('FTPS: TLS required (tls_mode 1)', { ...needsBinaries('curl', 'lftp', 'openssl') }, () => {
  let certs: TestCerts;
  let f: FtpFixture;
  let home: { home: string; cleanup(): Promise<void> };

  before(async () => {
    certs = await makeCerts();
    f = await startFtp({
      config: { ftpd: { bindings: [{ address: '127.0.0.1', port: 2121, tls_mode: 1 }], certificate_file: certs.serverCert, certificate_key_file: certs.serverKey } },
    });
    home = await clientHome();
    await mkdir(f.home, { recursive: true });
    await writeFile(path.join(f.home, 'secret.txt'), 'only over TLS\n');
  });

  after(async () => {
    await f?.close();
    await home?.cleanup();
    await certs?.cleanup();
  });

  test('a clear-text login is refused with 530; clear data (PROT C) with 534', async () => {
    const { ftp } = await RawFtp.connect(f.port);
    assert.equal((await ftp.cmd('USER alice')).code, 530);
    await ftp.startTls();
    assert.equal((await ftp.login('alice', f.password)).code, 230);
    assert.equal((await ftp.cmd('PROT C')).code, 534);
    assert.equal((await ftp.cmd('PASV')).code, 227);
    assert.equal((await ftp.cmd('RETR secret.txt')).code, 521);
    ftp.close();
    const r = await curl([`ftp://127.0.0.1:${f.port}/secret.txt`, '-u', `alice:${f.password}`], home.home);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /530/);
  });

  test('curl and lftp with TLS work, the certificate verified against our CA', async () => {
    const r = await curl(['--ssl-reqd', '--cacert', certs.caCert, `ftp://127.0.0.1:${f.port}/secret.txt`, '-u', `alice:${f.password}`], home.home);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout, 'only over TLS\n');
    const l = await lftp({ port: f.port, user: 'alice', password: f.password, tls: true }, ['cat secret.txt'], home.home);
    assert.equal(l.code, 0, show(l));
    assert.equal(l.stdout, 'only over TLS\n');
  });
});

describe('FTPS: client certificates (client_auth_type 1, CA and CRL)', { ...needsBinaries('curl', 'openssl') }, () => {
  let certs: TestCerts;
  let f: FtpFixture;
  let home: { home: string; cleanup(): Promise<void> };
  const base = () => `ftp://127.0.0.1:${f.port}/`;
  const tlsArgs = (cn?: string) => ['--ssl-reqd', '--cacert', certs.caCert, ...(cn ? ['--cert', certs.client(cn).cert, '--key', certs.client(cn).key] : [])];

  before(async () => {
    certs = await makeCerts(['alice', 'bob', 'carol']);
    f = await startFtp({
      config: {
        ftpd: {
          bindings: [{ address: '127.0.0.1', port: 2121, tls_mode: 1, client_auth_type: 1 }],
          certificate_file: certs.serverCert, certificate_key_file: certs.serverKey,
          ca_certificates: [certs.caCert], ca_revocation_lists: [certs.crl],
        },
      },
      user: { filters: { tls_username: 'CommonName' } },
    });
    await f.ctx.addUser({ username: 'bob', password: 'bob-Secret-2' });
    await f.ctx.addUser({ username: 'carol', password: 'carol-Secret-3', filters: { tls_username: 'CommonName', denied_login_methods: ['TLSCertificate'] } });
    home = await clientHome();
  });

  after(async () => {
    await f?.close();
    await home?.cleanup();
    await certs?.cleanup();
  });

  test('tls_username CommonName: the certificate alone logs alice in (TLSCertificate)', async () => {
    const r = await curl([...tlsArgs('alice'), base(), '-u', 'alice:', '-v'], home.home);
    assert.equal(r.code, 0, show(r));
    assert.doesNotMatch(r.stderr, /> PASS/);
  });

  test('a certificate that is not the login identity still needs the password (bob)', async () => {
    let r = await curl([...tlsArgs('bob'), base(), '-u', 'bob:bob-Secret-2'], home.home);
    assert.equal(r.code, 0, show(r));
    r = await curl([...tlsArgs('bob'), base(), '-u', 'bob:wrong'], home.home);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /530/);
  });

  test('TLSCertificate denied: carol logs in with certificate and password only', async () => {
    let r = await curl([...tlsArgs('carol'), base(), '-u', 'carol:', '-v'], home.home);
    assert.notEqual(r.code, 0, show(r));
    r = await curl([...tlsArgs('carol'), base(), '-u', 'carol:carol-Secret-3'], home.home);
    assert.equal(r.code, 0, show(r));
  });

  test('a certificate for another name does not log in as alice', async () => {
    const r = await curl([...tlsArgs('bob'), base(), '-u', 'alice:'], home.home);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /530/);
  });

  test('no certificate or a revoked one: the handshake is refused', async () => {
    let r = await curl([...tlsArgs(), base(), '-u', `alice:${f.password}`], home.home);
    assert.notEqual(r.code, 0, show(r));
    r = await curl(['--ssl-reqd', '--cacert', certs.caCert, '--cert', certs.revoked.cert, '--key', certs.revoked.key, base(), '-u', `alice:${f.password}`], home.home);
    assert.notEqual(r.code, 0, show(r));
  });
});
