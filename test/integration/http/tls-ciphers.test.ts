/**
 * `tls_cipher_suites` with SFTPGo's Go names on the HTTPS API binding and the telemetry listener:
 * over TLS 1.2 only the configured suite is negotiated (checked with openssl s_client and curl),
 * TLS 1.3 stays on as in Go, a SIGHUP-style reload keeps the restriction, and a name Go's secure
 * list does not have is a config error naming the key (httpd, telemetry, ftpd, webdavd).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildConfig } from '../../../src/config/index.js';
import { PromMetrics } from '../../../src/protocols/telemetry/metrics.js';
import { createTelemetryServer, type TelemetryServer } from '../../../src/protocols/telemetry/server.js';
import { needsBinaries } from '../../helpers/require.js';
import { startHarness, type Harness } from './harness.js';

const run = promisify(execFile);
const needs = needsBinaries('openssl', 'curl');
let h: Harness | undefined;
let tel: TelemetryServer | undefined;
let dir: string | undefined;

/** Exit code and output of `openssl s_client` forcing TLS 1.2 and one OpenSSL cipher. */
function sClient(port: number, cipher: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_2', '-cipher', cipher, '-brief'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    p.stdin.end();
    p.on('close', (code) => resolve({ code, out }));
  });
}

async function expectOnly(port: number, allowed: string, refused: string): Promise<void> {
  const ok = await sClient(port, allowed);
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, new RegExp(`Ciphersuite: ${allowed}`));
  const no = await sClient(port, refused);
  assert.notEqual(no.code, 0, no.out);
  const { stderr } = await run('curl', ['-sk', '-v', '--tls-max', '1.2', `https://127.0.0.1:${port}/healthz`]);
  assert.match(stderr, new RegExp(`TLSv1\\.2 / ${allowed}`));
}

before(async () => {
  if (needs.skip) return;
  dir = await mkdtemp(join(tmpdir(), 'sftpgo-ciphers-'));
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  h = await startHarness({
    httpd: {
      bindings: [{ address: '127.0.0.1', port: 8080, enable_https: true, tls_cipher_suites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] }],
      certificate_file: join(dir, 'cert.pem'), certificate_key_file: join(dir, 'key.pem'),
    },
    telemetry: {
      bind_port: 10000, bind_address: '127.0.0.1', certificate_file: join(dir, 'cert.pem'), certificate_key_file: join(dir, 'key.pem'),
      tls_cipher_suites: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'],
    },
  });
  tel = createTelemetryServer(h.app, new PromMetrics().registry);
  await tel.start({ ephemeral: true });
});
after(async () => {
  await tel?.stop(100);
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const port = (url: string) => Number(new URL(url).port);

test('httpd binding: TLS 1.2 negotiates only the configured suite; TLS 1.3 stays on; reload keeps it', needs, async () => {
  const p = port(h!.base);
  await expectOnly(p, 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384');
  const { stderr } = await run('curl', ['-sk', '-v', '--tlsv1.3', `https://127.0.0.1:${p}/healthz`]);
  assert.match(stderr, /TLSv1\.3/);
  await h!.server.reload();
  await expectOnly(p, 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305');
});

test('telemetry: TLS 1.2 negotiates only the configured suite; a listed TLS 1.3 name changes nothing; reload keeps it', needs, async () => {
  const p = port(tel!.addresses()[0]!.url);
  await expectOnly(p, 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256');
  const { stderr } = await run('curl', ['-sk', '-v', '--tlsv1.3', '--tls13-ciphers', 'TLS_AES_256_GCM_SHA384', `https://127.0.0.1:${p}/healthz`]);
  assert.match(stderr, /TLSv1\.3 \/ TLS_AES_256_GCM_SHA384/);
  await tel!.reload();
  await expectOnly(p, 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256');
});

test('an unknown or insecure suite name is a config error naming every key', () => {
  assert.throws(() => buildConfig({
    httpd: { bindings: [{ port: 8080, tls_cipher_suites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'] }] },
    telemetry: { tls_cipher_suites: ['TLS_RSA_WITH_3DES_EDE_CBC_SHA'] },
    ftpd: { bindings: [{ port: 2121, tls_cipher_suites: ['TLS_ECDHE_RSA_WITH_RC4_128_SHA'] }] },
    webdavd: { bindings: [{ port: 8090, tls_cipher_suites: ['TLS_NOPE'] }] },
  }), (e: Error) => {
    for (const k of ['httpd.bindings.0.tls_cipher_suites', 'telemetry.tls_cipher_suites', 'ftpd.bindings.0.tls_cipher_suites', 'webdavd.bindings.0.tls_cipher_suites']) {
      assert.ok(e.message.includes(k), `${k} in ${e.message}`);
    }
    assert.match(e.message, /ECDHE-RSA-AES128-GCM-SHA256/);
    assert.doesNotMatch(e.message, /TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256/);
    return true;
  });
});
