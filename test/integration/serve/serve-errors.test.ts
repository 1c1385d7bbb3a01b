/**
 * `serve` refusing to start, each time with exit code 1 and a message that says what to fix: no
 * file service configured, a taken HTTP or telemetry port, a missing HTTPS or telemetry
 * certificate, a configured file protocol whose server is not built yet, and a KMS failure that
 * stops start-up before the data provider is opened (start order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { BASE, startServe } from './serve-fixture.js';

async function expectFailure(config: unknown, message: RegExp, opts: Parameters<typeof startServe>[1] = {}): Promise<string[]> {
  const run = await startServe(config, opts);
  try {
    assert.equal(await run.done, 1, run.stdout());
    assert.match(run.stderr(), message);
    assert.equal(run.stdout(), '', 'nothing claims to listen');
    return run.events;
  } finally { await run.cleanup(); }
}

async function blocker(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}

test('serve: no file service configured exits 1 with the SFTPGo message', async () => {
  await expectFailure({ sftpd: { bindings: [{ port: 0 }] }, ftpd: { bindings: [{ port: 0 }] }, webdavd: { bindings: [{ port: 0 }] } }, /no service configured, nothing to do/);
});

test('serve: a taken HTTP port exits 1 naming the address; the services already up are stopped', async () => {
  const b = await blocker();
  try {
    const events = await expectFailure({ ...BASE, httpd: { bindings: [{ address: '127.0.0.1', port: b.port }] } },
      new RegExp(`unable to start: cannot listen on 127\\.0\\.0\\.1:${b.port}: address already in use`), { ephemeral: false });
    assert.ok(events.includes('close'), 'context released');
  } finally { b.server.close(); }
});

test('serve: a taken telemetry port exits 1 naming the address', async () => {
  const b = await blocker();
  try {
    await expectFailure({ ...BASE, httpd: { bindings: [{ port: 0 }] }, telemetry: { bind_port: b.port, bind_address: '127.0.0.1' } },
      new RegExp(`127\\.0\\.0\\.1:${b.port}: address already in use`), { ephemeral: false });
  } finally { b.server.close(); }
});

test('serve: a missing HTTPS certificate exits 1 naming the file', async () => {
  await expectFailure({ ...BASE, httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_https: true }], certificate_file: 'missing.crt', certificate_key_file: 'missing.key' } },
    /unable to start: cannot read certificate file ".*missing\.crt"/);
});

test('serve: HTTPS enabled without any certificate configured exits 1', async () => {
  await expectFailure({ ...BASE, httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_https: true }] } }, /HTTPS is enabled but no certificate file is configured/);
});

test('serve: a missing telemetry certificate exits 1 naming the file', async () => {
  await expectFailure({ ...BASE, telemetry: { bind_port: 10000, bind_address: '127.0.0.1', certificate_file: 'tel.crt', certificate_key_file: 'tel.key' } },
    /cannot read certificate file ".*tel\.crt"/);
});

test('serve: a KMS failure stops start-up before the data provider is opened', async () => {
  const run = await startServe({ ...BASE, kms: { secrets: { url: 'bogus://key' } } });
  try {
    assert.equal(await run.done, 1);
    assert.match(run.stderr(), /unable to initialize: .*KMS URL "bogus:\/\/key"/);
    await assert.rejects(access(join(run.dir, 'sftpgo.db')), 'no database file: the provider was never opened');
    assert.deepEqual(run.events, ['logger', 'context']);
  } finally { await run.cleanup(); }
});

test('serve: a data provider this build lacks stops start-up with the reason', async () => {
  await expectFailure({ ...BASE, data_provider: { ...BASE.data_provider, driver: 'bolt' } }, /unable to initialize: not supported: data provider driver "bolt"/);
});
