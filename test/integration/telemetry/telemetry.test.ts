/**
 * Telemetry on the real stack: its own binding (not the API's), /healthz never authenticated,
 * /metrics behind an htpasswd file with real bcrypt, apr1 and md5crypt hashes, SFTPGo's metric
 * names moved by real logins, HTTP requests and downloads, and Node process metrics.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { PromMetrics } from '../../../src/protocols/telemetry/metrics.js';
import { createTelemetryServer, type TelemetryServer } from '../../../src/protocols/telemetry/server.js';
import { needsBinaries } from '../../helpers/require.js';
import { startHarness, type Harness } from '../http/harness.js';

const run = promisify(execFile);
const metrics = new PromMetrics();
let h: Harness;
let tel: TelemetryServer;
let base: string;

before(async () => {
  h = await startHarness({ telemetry: { bind_port: 10000, bind_address: '127.0.0.1', auth_user_file: 'htpasswd' } }, { metrics });
  const apr1 = (await run('openssl', ['passwd', '-apr1', 'apr-secret'])).stdout.trim();
  const md5 = (await run('openssl', ['passwd', '-1', 'md5-secret'])).stdout.trim();
  const bc = (await bcrypt.hash('bcrypt-secret', 4)).replace(/^\$2[ab]\$/, '$2y$');
  await writeFile(join(h.dir, 'htpasswd'), `# prometheus users\nprom-bcrypt:${bc}\nprom-apr1:${apr1}\nprom-md5:${md5}\n`);
  tel = createTelemetryServer(h.app, metrics.registry);
  await tel.start({ ephemeral: true });
  base = tel.addresses()[0]!.url;
});
after(async () => {
  await tel?.stop(100);
  await h?.close();
});

const auth = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
const scrape = async () => (await fetch(`${base}/metrics`, { headers: auth('prom-bcrypt', 'bcrypt-secret') })).text();
const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

test('telemetry has its own binding: /metrics is not on the API binding, /healthz is on both', needsBinaries('openssl'), async () => {
  assert.notEqual(new URL(base).port, new URL(h.base).port);
  assert.equal(await (await fetch(`${base}/healthz`)).text(), 'ok');
  assert.equal(await (await fetch(`${h.base}/healthz`)).text(), 'ok');
  assert.equal((await fetch(`${h.base}/metrics`)).status, 404);
});

test('htpasswd: bcrypt, apr1 and md5crypt users scrape; anyone else gets 401 with the realm; /healthz stays open', needsBinaries('openssl'), async () => {
  for (const [u, p] of [['prom-bcrypt', 'bcrypt-secret'], ['prom-apr1', 'apr-secret'], ['prom-md5', 'md5-secret']]) {
    assert.equal((await fetch(`${base}/metrics`, { headers: auth(u!, p!) })).status, 200, u);
  }
  for (const headers of [{}, auth('prom-apr1', 'wrong'), auth('nobody', 'apr-secret')]) {
    const denied = await fetch(`${base}/metrics`, { headers });
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('www-authenticate'), 'Basic realm="SFTPGo telemetry"');
  }
  assert.equal((await fetch(`${base}/healthz`, { headers: auth('nobody', 'x') })).status, 200);
});

test('SFTPGo metric names move with real logins, HTTP requests and downloads; Node process metrics are there', needsBinaries('openssl'), async () => {
  const before = await scrape();
  const home = join(h.dir, 'users', 'met');
  await mkdir(home, { recursive: true });
  await writeFile(join(home, 'f.bin'), Buffer.alloc(1234));
  await h.addUser({ username: 'met', home_dir: home });
  const ut = await h.userToken('met', 'pw');
  assert.equal((await fetch(`${h.base}/api/v2/user/token`, { headers: auth('met', 'bad') })).status, 401);
  const file = await fetch(`${h.base}/api/v2/user/file?path=%2Ff.bin`, { headers: { authorization: `Bearer ${ut}` } });
  assert.equal((await file.arrayBuffer()).byteLength, 1234);
  assert.equal((await fetch(`${h.base}/api/v2/users`)).status, 401);
  const after = await scrape();
  const delta = (name: string) => value(after, name) - value(before, name);
  assert.equal(delta('sftpgo_login_attempts_total'), 2);
  assert.equal(delta('sftpgo_password_login_attempts_total'), 2);
  assert.equal(delta('sftpgo_login_ok_total'), 1);
  assert.equal(delta('sftpgo_password_login_ok_total'), 1);
  assert.equal(delta('sftpgo_login_ko_total'), 1);
  assert.equal(delta('sftpgo_password_login_ko_total'), 1);
  assert.equal(delta('sftpgo_downloads_total'), 1);
  assert.equal(delta('sftpgo_download_size'), 1234);
  assert.ok(delta('sftpgo_http_req_total') >= 4);
  assert.ok(delta('sftpgo_http_client_errors_total') >= 2);
  assert.ok(delta('sftpgo_http_req_ok_total') >= 2);
  assert.match(after, /^sftpgo_dataprovider_availability \d$/m);
  assert.match(after, /^sftpgo_active_connections \d+$/m);
  for (const n of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
    assert.match(after, new RegExp(`^${n} `, 'm'), n);
  }
});
