/**
 * httpd configuration on the real stack: quota tracking modes, the web UI placeholders (501 until
 * built), Unix socket and HTTPS bindings, and clear start-up errors (missing certificate, port taken).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { createPki } from '../../helpers/pki.js';
import { needsBinaries } from '../../helpers/require.js';
import { startHarness } from './harness.js';

const run = promisify(execFile);

test('quota tracking off: scans and usage updates answer 403', async () => {
  const h = await startHarness({ data_provider: { track_quota: 0 } });
  try {
    await h.addUser({ username: 'q' });
    const token = await h.adminToken();
    const scan = await fetch(`${h.base}/api/v2/quotas/users/q/scan`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    assert.equal(scan.status, 403);
    const usage = await fetch(`${h.base}/api/v2/quotas/users/q/usage`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: '{}' });
    assert.equal(usage.status, 403);
  } finally { await h.close(); }
});

test('track_quota 2: add mode refused for users without limits', async () => {
  const h = await startHarness({ data_provider: { track_quota: 2 } });
  try {
    await h.addUser({ username: 'q' });
    const token = await h.adminToken();
    const add = await fetch(`${h.base}/api/v2/quotas/users/q/usage?mode=add`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: '{"used_quota_size": 1}' });
    assert.equal(add.status, 403);
    const reset = await fetch(`${h.base}/api/v2/quotas/users/q/usage?mode=reset`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: '{"used_quota_size": 1}' });
    assert.equal(reset.status, 200);
  } finally { await h.close(); }
});

test('web UIs enabled on a binding: / and /web redirect to the client login, API still works; disabled: /web is the API 404', async () => {
  const h = await startHarness({ httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: true, enable_web_client: true }] } });
  try {
    const r = await fetch(`${h.base}/`, { redirect: 'manual' });
    assert.equal(r.status, 301);
    assert.equal(r.headers.get('location'), '/web/client/login');
    assert.equal((await fetch(`${h.base}/web/admin/login`)).status, 200);
    await h.adminToken();
  } finally { await h.close(); }
  const off = await startHarness();
  try {
    const r = await fetch(`${off.base}/web/admin/login`);
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type') ?? '', /json/);
  } finally { await off.close(); }
});

test('unix socket binding serves the API', async () => {
  const sockDir = await mkdtemp(join(tmpdir(), 'sftpgo-sock-'));
  const sock = join(sockDir, 'api.sock');
  const h = await startHarness({ httpd: { bindings: [{ address: sock, port: 0 }] } });
  try {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ socketPath: sock, path: '/healthz' }, (res) => {
        let s = '';
        res.on('data', (d) => { s += d; });
        res.on('end', () => resolve(s));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body, 'ok');
    assert.match(h.server.addresses()[0]!.url, /^unix:/);
  } finally {
    await h.close();
    await rm(sockDir, { recursive: true, force: true });
  }
});

test('HTTPS binding with certificate files; a missing certificate stops start-up with a clear error', needsBinaries('openssl'), async () => {
  const h0 = await startHarness();
  const dir = h0.dir;
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const h = await startHarness({ httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_https: true }], certificate_file: join(dir, 'cert.pem'), certificate_key_file: join(dir, 'key.pem') } });
  try {
    assert.match(h.base, /^https:/);
    const { stdout } = await run('curl', ['-sk', `${h.base}/healthz`]);
    assert.equal(stdout, 'ok');
  } finally { await h.close(); }
  await assert.rejects(
    startHarness({ httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_https: true }], certificate_file: join(dir, 'nope.pem'), certificate_key_file: join(dir, 'key.pem') } }),
    /cannot read certificate file/,
  );
  await h0.close();
});

test('a taken port fails start with "address already in use"', async () => {
  const h = await startHarness();
  try {
    const port = Number(new URL(h.base).port);
    await assert.rejects(startHarness({ httpd: { bindings: [{ address: '127.0.0.1', port }] } }, { ephemeral: false }).then(async (x) => {
      await x.close();
    }), /address already in use/);
  } finally { await h.close(); }
});

test('client_auth_type 1: a client certificate from the configured CA is required; revoked ones (CRL) are refused', needsBinaries('openssl', 'curl'), async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-pki-'));
  try {
    const pki = await createPki(dir);
    await pki.issueClient('good');
    await pki.issueClient('bad');
    const crl = await pki.crl(['bad']);
    const h = await startHarness({ httpd: {
      bindings: [{ address: '127.0.0.1', port: 8080, enable_https: true, client_auth_type: 1 }],
      certificate_file: pki.serverCert, certificate_key_file: pki.serverKey, ca_certificates: [pki.ca], ca_revocation_lists: [crl],
    } });
    try {
      const curl = (...extra: string[]) => run('curl', ['-s', '--cacert', pki.ca, ...extra, `${h.base}/healthz`]).then((r) => r.stdout, () => 'refused');
      assert.equal(await curl('--cert', pki.client('good').cert, '--key', pki.client('good').key), 'ok');
      assert.equal(await curl(), 'refused', 'no client certificate');
      assert.equal(await curl('--cert', pki.client('bad').cert, '--key', pki.client('bad').key), 'refused', 'revoked by the CRL');
    } finally { await h.close(); }
  } finally { await rm(dir, { recursive: true, force: true }); }
});

test('SIGHUP reload swaps the served certificate without a restart', needsBinaries('openssl'), async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-reload-'));
  const cert = (cn: string) => run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${cn}`,
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const servedCn = (url: string) => new Promise<string>((resolve, reject) => {
    const u = new URL(url);
    const s = tlsConnect({ host: u.hostname, port: Number(u.port), rejectUnauthorized: false }, () => {
      resolve(String(s.getPeerCertificate().subject.CN));
      s.end();
    });
    s.once('error', reject);
  });
  try {
    await cert('first');
    const h = await startHarness({ httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_https: true }], certificate_file: join(dir, 'cert.pem'), certificate_key_file: join(dir, 'key.pem') } });
    try {
      assert.equal(await servedCn(h.base), 'first');
      await cert('second');
      await h.server.reload();
      assert.equal(await servedCn(h.base), 'second');
    } finally { await h.close(); }
  } finally { await rm(dir, { recursive: true, force: true }); }
});

test('delayed quota: a REST reset drops what this node buffered, so the reset values stand after the flush', async () => {
  const h = await startHarness({ data_provider: { delayed_quota_update: 3600, track_quota: 1 } });
  try {
    const user = await h.addUser({ username: 'dq' });
    const conn = await h.core.connections.open({ protocol: 'SFTP', user, remote: { ip: '127.0.0.1', port: 1 } });
    const up = await conn.openUpload('/f.bin', { mode: 'truncate' });
    await up.write(Buffer.alloc(100), 0);
    await up.close();
    await conn.close();
    assert.deepEqual(await h.app.provider.users.getUsedQuota('dq'), { usedSize: 0, usedFiles: 0 }, 'the upload is still buffered');
    const token = await h.adminToken();
    const reset = await fetch(`${h.base}/api/v2/quotas/users/dq/usage?mode=reset`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: '{"used_quota_size": 5, "used_quota_files": 1}' });
    assert.equal(reset.status, 200);
    await h.core.connections.quota.flush();
    assert.deepEqual(await h.app.provider.users.getUsedQuota('dq'), { usedSize: 5, usedFiles: 1 });
  } finally {
    await h.close();
  }
});
