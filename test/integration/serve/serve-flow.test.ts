/**
 * `runServe` end to end with fake wiring (data layer and protocol servers faked; HTTP and
 * telemetry real): exit codes, printed addresses, SIGTERM stop in reverse order, SIGHUP reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { runServe, type ServeRuntime } from '../../../src/app/serve.js';
import type { ServeWiring } from '../../../src/app/wiring-types.js';
import type { ManagedService } from '../../../src/app/lifecycle.js';
import { FakeData, fakeProvider } from '../http/fake-data.js';
import { fakeCore } from '../http/fake-core.js';
import { notSupported } from '../../../src/util/errors.js';

function capture() {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d) => { text += d; });
  return { stream: s, text: () => text };
}

function fakeWiring(events: string[], failStart = false): ServeWiring {
  return {
    createLogger: () => pino({ level: 'silent' }),
    async createContext(loaded, logger, metrics, build) {
      const data = new FakeData();
      const core = { ...fakeCore(data), metrics };
      const provider = { ...fakeProvider(data), admins: { count: async () => data.admins.size } } as never;
      return { ctx: { config: loaded.config, configDir: loaded.configDir, logger, build, provider, data, core }, close: async () => { events.push('close'); } };
    },
    protocolServers: () => [{
      name: 'SFTP',
      async start() { if (failStart) throw new Error('cannot listen on 127.0.0.1:2022: address already in use'); events.push('start SFTP'); },
      async stop() { events.push('stop SFTP'); },
      addresses: () => [{ address: '127.0.0.1', port: 2022 }],
      async reload() { events.push('reload SFTP'); },
    } satisfies ManagedService],
  };
}

async function withConfigDir<T>(config: unknown, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-serve-'));
  try {
    await writeFile(join(dir, 'sftpgo.json'), JSON.stringify(config));
    return await fn(dir);
  } finally { await rm(dir, { recursive: true, force: true }); }
}

const base = {
  data_provider: { create_default_admin: true },
  httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: false, enable_web_client: false }] },
  telemetry: { bind_port: 10000, bind_address: '127.0.0.1' },
};

test('serve: starts all, prints addresses, answers token, stops on SIGTERM in reverse order', async () => {
  await withConfigDir(base, async (dir) => {
    const events: string[] = [];
    const out = capture();
    const err = capture();
    const signals = new EventEmitter();
    let ready: ManagedService[] = [];
    const runtime: ServeRuntime = {
      stdout: out.stream, stderr: err.stream, env: {}, build: { version: '2.1.2', commit: 't', buildDate: '' }, signals, ephemeral: true,
      graceMs: 100, wiring: fakeWiring(events), onReady: (s) => { ready = s; },
    };
    const done = runServe(runtime, { configDir: dir, configFile: 'sftpgo.json' });
    while (ready.length === 0) await new Promise((r) => setTimeout(r, 20));
    const http = ready.find((s) => s.name === 'HTTP')!;
    const url = (http.addresses()[0] as { url: string }).url;
    const tok = await fetch(`${url}/api/v2/token`, { headers: { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` } });
    assert.equal(tok.status, 200, 'default admin created');
    const tel = (ready.find((s) => s.name === 'telemetry')!.addresses()[0] as { url: string }).url;
    assert.match(await (await fetch(`${tel}/metrics`)).text(), /sftpgo_dataprovider_availability 1/);
    signals.emit('SIGHUP');
    await new Promise((r) => setTimeout(r, 20));
    signals.emit('SIGTERM', 'SIGTERM');
    assert.equal(await done, 0);
    assert.match(out.text(), /SFTP: 127\.0\.0\.1:2022/);
    assert.match(out.text(), /HTTP: http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out.text(), /telemetry: http:\/\/127\.0\.0\.1:\d+/);
    assert.deepEqual(events, ['start SFTP', 'reload SFTP', 'stop SFTP', 'close']);
    assert.equal(signals.listenerCount('SIGTERM'), 0);
  });
});

test('serve: no file service configured exits 1 with the SFTPGo message', async () => {
  await withConfigDir({ sftpd: { bindings: [{ port: 0 }] }, ftpd: { bindings: [{ port: 0 }] }, webdavd: { bindings: [{ port: 0 }] } }, async (dir) => {
    const err = capture();
    const code = await runServe({ stdout: capture().stream, stderr: err.stream, env: {}, build: { version: '', commit: '', buildDate: '' }, wiring: fakeWiring([]) }, { configDir: dir, configFile: 'sftpgo.json' });
    assert.equal(code, 1);
    assert.match(err.text(), /no service configured, nothing to do/);
  });
});

test('serve: a failing listener or a taken HTTP port exits 1 with a clear message', async () => {
  await withConfigDir(base, async (dir) => {
    const err = capture();
    const events: string[] = [];
    const code = await runServe({ stdout: capture().stream, stderr: err.stream, env: {}, build: { version: '', commit: '', buildDate: '' }, ephemeral: true, wiring: fakeWiring(events, true) }, { configDir: dir, configFile: 'sftpgo.json' });
    assert.equal(code, 1);
    assert.match(err.text(), /address already in use/);
    assert.ok(events.includes('close'));
  });
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  try {
    await withConfigDir({ ...base, httpd: { bindings: [{ address: '127.0.0.1', port }] } }, async (dir) => {
      const err = capture();
      const code = await runServe({ stdout: capture().stream, stderr: err.stream, env: {}, build: { version: '', commit: '', buildDate: '' }, wiring: fakeWiring([]) }, { configDir: dir, configFile: 'sftpgo.json' });
      assert.equal(code, 1);
      assert.match(err.text(), new RegExp(`127\\.0\\.0\\.1:${port}: address already in use`));
    });
  } finally { blocker.close(); }
});

test('serve: a configured protocol that is not built exits 1 saying so and releases the provider', async () => {
  await withConfigDir(base, async (dir) => {
    const err = capture();
    const events: string[] = [];
    const wiring: ServeWiring = { ...fakeWiring(events), protocolServers: () => { throw notSupported('not supported: SFTP server not built yet'); } };
    const code = await runServe({ stdout: capture().stream, stderr: err.stream, env: {}, build: { version: '', commit: '', buildDate: '' }, ephemeral: true, wiring }, { configDir: dir, configFile: 'sftpgo.json' });
    assert.equal(code, 1);
    assert.equal(err.text(), 'unable to start: not supported: SFTP server not built yet\n');
    assert.deepEqual(events, ['close']);
  });
});
