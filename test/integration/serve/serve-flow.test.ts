/**
 * `serve` end to end in-process on the production wiring (sql.js provider, real core, HTTP and
 * telemetry; a recording stand-in for the file protocols not built yet): start order, printed
 * addresses, SIGINT/SIGTERM stop in reverse order, SIGHUP reload, and the grace period that lets an
 * in-flight download finish (or cuts it once the grace is over).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BASE, startServe, urlOf, type ServeRun } from './serve-fixture.js';

const basic = `Basic ${Buffer.from('admin:password').toString('base64')}`;

async function up(run: ServeRun) {
  const services = await Promise.race([run.ready, run.done.then((code) => { throw new Error(`serve exited ${code}: ${run.stderr()}`); })]);
  return { http: urlOf(services, 'HTTP'), telemetry: urlOf(services, 'telemetry') };
}

const refused = async (url: string) => fetch(url).then(() => false, () => true);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`serve: logger, KMS/provider/core, then listeners; addresses printed; ${signal} stops in reverse order`, async () => {
    let httpUrl = '';
    const run = await startServe(BASE, { onSftpStop: async () => { run.events.push(`HTTP refused at SFTP stop: ${await refused(`${httpUrl}/healthz`)}`); } });
    try {
      const { http, telemetry } = await up(run);
      httpUrl = http;
      assert.equal((await fetch(`${http}/api/v2/token`, { headers: { authorization: basic } })).status, 200, 'default admin created');
      assert.match(await (await fetch(`${telemetry}/metrics`)).text(), /^sftpgo_dataprovider_availability 1$/m);
      run.signals.emit('SIGHUP');
      run.signals.emit(signal, signal);
      assert.equal(await run.done, 0);
      assert.deepEqual(run.stdout().split('\n').filter(Boolean).map((l) => l.replace(/(http:\/\/127\.0\.0\.1:)\d+$/, '$1N')),
        ['SFTP: 127.0.0.1:2022', 'HTTP: http://127.0.0.1:N', 'telemetry: http://127.0.0.1:N']);
      assert.deepEqual(run.events, ['logger', 'context', 'start SFTP (admins: 1)', 'reload SFTP', 'HTTP refused at SFTP stop: true', 'stop SFTP 100', 'close']);
      assert.ok(await refused(`${telemetry}/healthz`), 'telemetry stopped');
      assert.equal(run.signals.listenerCount(signal), 0, 'signal handlers removed');
    } finally { await run.cleanup(); }
  });
}

/** A user with a 2 MB file `held.bin` whose reads wait for the gate. */
async function userWithHeldFile(run: ServeRun, http: string): Promise<{ token: string; content: Buffer }> {
  const home = join(run.dir, 'home');
  await mkdir(home, { recursive: true });
  const content = randomBytes(2 * 1024 * 1024);
  await writeFile(join(home, 'held.bin'), content);
  const admin = ((await (await fetch(`${http}/api/v2/token`, { headers: { authorization: basic } })).json()) as { access_token: string }).access_token;
  const created = await fetch(`${http}/api/v2/users`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify({ username: 'dl', password: 'pw', status: 1, home_dir: home, permissions: { '/': ['*'] } }) });
  assert.equal(created.status, 201);
  const ut = await fetch(`${http}/api/v2/user/token`, { headers: { authorization: `Basic ${Buffer.from('dl:pw').toString('base64')}` } });
  run.gate.hold('held.bin');
  return { token: ((await ut.json()) as { access_token: string }).access_token, content };
}

test('serve: an in-flight download finishes after SIGTERM within the grace period', { timeout: 120_000 }, async () => {
  const run = await startServe(BASE, { graceMs: 60_000 });
  try {
    const { http } = await up(run);
    const { token, content } = await userWithHeldFile(run, http);
    const download = fetch(`${http}/api/v2/user/file?path=%2Fheld.bin`, { headers: { authorization: `Bearer ${token}` } });
    await run.gate.reached('held.bin');
    run.signals.emit('SIGTERM', 'SIGTERM');
    while (!(await refused(`${http}/healthz`))) await new Promise((r) => setTimeout(r, 20));
    run.gate.release('held.bin');
    const res = await download;
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(content), 'the whole file arrived after shutdown began');
    assert.equal(await run.done, 0);
  } finally { await run.cleanup(); }
});

test('serve: a download still running when the grace period ends is cut, and serve still exits 0', { timeout: 120_000 }, async () => {
  const run = await startServe(BASE, { graceMs: 50 });
  try {
    const { http } = await up(run);
    const { token } = await userWithHeldFile(run, http);
    const download = fetch(`${http}/api/v2/user/file?path=%2Fheld.bin`, { headers: { authorization: `Bearer ${token}` } })
      .then(async (r) => Buffer.from(await r.arrayBuffer()).length, (err: unknown) => err as Error);
    await run.gate.reached('held.bin');
    run.signals.emit('SIGTERM', 'SIGTERM');
    assert.equal(await run.done, 0);
    const result = await download;
    assert.ok(result instanceof Error || result < 2 * 1024 * 1024, `download cut: ${String(result)}`);
  } finally { await run.cleanup(); }
});
