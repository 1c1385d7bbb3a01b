import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AppContext } from '../../../../src/app/context.js';
import { buildConfig } from '../../../../src/config/index.js';
import { PromMetrics } from '../../../../src/protocols/telemetry/metrics.js';
import { createTelemetryServer } from '../../../../src/protocols/telemetry/server.js';
import { parseHtpasswd } from '../../../../src/protocols/telemetry/htpasswd.js';

async function start(authFile: string) {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-tel-'));
  if (authFile) await writeFile(join(dir, 'users'), authFile);
  const app = {
    config: buildConfig({ telemetry: { bind_port: 10000, bind_address: '127.0.0.1', auth_user_file: authFile ? 'users' : '' } }),
    configDir: dir, logger: pino({ level: 'silent' }),
    data: { verifyPassword: async (plain: string, hash: string) => hash === `plain:${plain}` },
  } as unknown as AppContext;
  const metrics = new PromMetrics();
  const server = createTelemetryServer(app, metrics.registry);
  await server.start({ ephemeral: true });
  return { base: server.addresses()[0]!.url, metrics, close: async () => { await server.stop(100); await rm(dir, { recursive: true, force: true }); } };
}

test('healthz and metrics without auth', async () => {
  const s = await start('');
  try {
    assert.equal(await (await fetch(`${s.base}/healthz`)).text(), 'ok');
    s.metrics.httpRequest(200);
    const text = await (await fetch(`${s.base}/metrics`)).text();
    assert.match(text, /^sftpgo_http_req_total 1$/m);
    assert.match(text, /process_resident_memory_bytes/);
    assert.equal((await fetch(`${s.base}/other`)).status, 404);
  } finally { await s.close(); }
});

test('htpasswd protects /metrics but never /healthz', async () => {
  const s = await start('# comment\nprom:plain:secret\n');
  try {
    assert.equal((await fetch(`${s.base}/healthz`)).status, 200);
    const denied = await fetch(`${s.base}/metrics`);
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('www-authenticate'), 'Basic realm="SFTPGo telemetry"');
    const bad = await fetch(`${s.base}/metrics`, { headers: { authorization: `Basic ${Buffer.from('prom:nope').toString('base64')}` } });
    assert.equal(bad.status, 401);
    const ok = await fetch(`${s.base}/metrics`, { headers: { authorization: `Basic ${Buffer.from('prom:secret').toString('base64')}` } });
    assert.equal(ok.status, 200);
  } finally { await s.close(); }
});

test('htpasswd parsing', () => {
  assert.deepEqual([...parseHtpasswd('a:$apr1$x$y\n\n#c\nb:$2y$10$z\r\n')], [['a', '$apr1$x$y'], ['b', '$2y$10$z']]);
});
