import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildConfig } from '../../../src/config/index.js';
import { ServiceSet, anyFileServiceConfigured, formatAddress, type ManagedService } from '../../../src/app/lifecycle.js';
import { installSignalHandlers } from '../../../src/app/signals.js';
import { runStartupHook } from '../../../src/app/startup-hook.js';

const log = pino({ level: 'silent' });

function fakeService(name: string, events: string[], fail = false): ManagedService {
  return {
    name,
    async start() { if (fail) throw new Error(`${name}: address already in use`); events.push(`start ${name}`); },
    async stop(grace) { events.push(`stop ${name} ${grace}`); },
    addresses: () => [{ address: '127.0.0.1', port: 1 }],
  };
}

test('services start together and stop in reverse order with the grace period', async () => {
  const ev: string[] = [];
  const set = new ServiceSet([fakeService('SFTP', ev), fakeService('HTTP', ev), fakeService('telemetry', ev)], log);
  await set.startAll();
  assert.deepEqual(set.describe(), ['SFTP: 127.0.0.1:1', 'HTTP: 127.0.0.1:1', 'telemetry: 127.0.0.1:1']);
  ev.length = 0;
  await set.stopAll(500);
  assert.deepEqual(ev, ['stop telemetry 500', 'stop HTTP 500', 'stop SFTP 500']);
});

test('one failing listener stops the others and fails the start', async () => {
  const ev: string[] = [];
  const set = new ServiceSet([fakeService('SFTP', ev), fakeService('FTP', ev, true)], log);
  await assert.rejects(set.startAll(), /address already in use/);
  assert.ok(ev.includes('stop SFTP 0'));
});

test('"no service configured" detection ignores HTTP and telemetry', () => {
  const off = buildConfig({ sftpd: { bindings: [{ port: 0 }] }, ftpd: { bindings: [{ port: 0 }] }, webdavd: { bindings: [{ port: 0 }] } });
  assert.equal(anyFileServiceConfigured(off), false);
  assert.equal(anyFileServiceConfigured(buildConfig({})), true);
  assert.equal(formatAddress({ address: '::1', port: 22 }), '[::1]:22');
  assert.equal(formatAddress({ url: 'http://x' }), 'http://x');
  assert.equal(formatAddress('/tmp/sock'), '/tmp/sock');
});

test('signals: SIGTERM/SIGINT shut down once, SIGHUP reloads, SIGUSR1 rotates logs, handlers removable', async () => {
  const proc = new EventEmitter();
  const calls: string[] = [];
  const remove = installSignalHandlers({
    shutdown: (s) => { calls.push(s); }, reload: () => { calls.push('reload'); }, rotateLogs: () => { calls.push('rotate'); },
  }, proc);
  proc.emit('SIGHUP');
  proc.emit('SIGUSR1');
  proc.emit('SIGTERM', 'SIGTERM');
  proc.emit('SIGINT', 'SIGINT');
  assert.deepEqual(calls, ['reload', 'rotate', 'SIGTERM']);
  remove();
  assert.equal(proc.listenerCount('SIGHUP'), 0);
  assert.equal(proc.listenerCount('SIGUSR1'), 0);
});

test('startup hook: program and HTTP GET (SFTPGo v2.1.2 uses a retryable GET)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-hook-'));
  try {
    const script = join(dir, 'hook.sh');
    await writeFile(script, `#!/bin/sh\necho ran > ${join(dir, 'out')}\n`);
    await chmod(script, 0o755);
    await runStartupHook(script, log);
    assert.equal((await readFile(join(dir, 'out'), 'utf8')).trim(), 'ran');
    let method = '';
    const srv = createServer((req, res) => { method = req.method ?? ''; res.end(); });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    await runStartupHook(`http://127.0.0.1:${(srv.address() as { port: number }).port}/hook`, log);
    srv.close();
    assert.equal(method, 'GET');
    await runStartupHook('relative/hook', log);
  } finally { await rm(dir, { recursive: true, force: true }); }
});
