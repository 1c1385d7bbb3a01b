/**
 * The HTTP API on the real core services (login pipeline, Connection, defender, quota scans) from
 * test/helpers/context.ts, every response validated by Prism against openapi.yaml.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { needsBinaries } from '../../helpers/require.js';
import { createHttpServer, type HttpServer } from '../../../src/protocols/http/server.js';
import { responseViolations, startPrism, type Prism, type Violation } from './prism.js';

const run = promisify(execFile);
let ctx: TestContext;
let server: HttpServer;
let prism: Prism;
const violations: { url: string; v: Violation }[] = [];
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

before(async () => {
  ctx = await createTestContext({
    config: {
      common: { defender: { enabled: true, threshold: 15, score_invalid: 2 } },
      httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: false, enable_web_client: false }] },
    },
  });
  await ctx.data.addAdmin({ username: 'admin', password: 'password', status: 1, permissions: ['*'] });
  server = createHttpServer(ctx);
  await server.start({ ephemeral: true });
  prism = await startPrism(`${server.addresses()[0]!.url}/api/v2`);
});
after(async () => {
  await prism?.stop();
  await server?.stop(100);
  await ctx?.close();
});

async function api(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const res = await fetch(`${prism.base}${path}`, { ...init, headers });
  for (const v of responseViolations(res)) violations.push({ url: path, v });
  return res;
}

async function token(path: string, user: string, pass: string): Promise<string> {
  const r = await api(path, { headers: { authorization: basic(user, pass) } });
  assert.equal(r.status, 200, await r.clone().text());
  return ((await r.json()) as { access_token: string }).access_token;
}

test('user created over the API logs in, lists, downloads ranges and zips through the real core', needsBinaries('unzip'), async () => {
  const admin = await token('/token', 'admin', 'password');
  const home = join(ctx.dir, 'apiuser');
  const created = await api('/users', { method: 'POST', token: admin, body: JSON.stringify({ username: 'apiuser', password: 'secret1', status: 1, home_dir: home, permissions: { '/': ['*'] } }) });
  assert.equal(created.status, 201, await created.clone().text());
  assert.equal(((await created.json()) as { password?: string }).password, undefined, 'hash never returned');
  await mkdir(join(home, 'dir'), { recursive: true });
  await writeFile(join(home, 'file.txt'), '0123456789');
  await writeFile(join(home, 'dir', 'x.txt'), 'x');

  const ut = await token('/user/token', 'apiuser', 'secret1');
  const list = (await (await api('/user/folder?path=/', { token: ut })).json()) as { name: string; size?: number }[];
  assert.deepEqual(list.map((e) => e.name).sort(), ['dir', 'file.txt']);
  const part = await api('/user/file?path=/file.txt', { token: ut, headers: { range: 'bytes=2-4' } });
  assert.equal(part.status, 206);
  assert.equal(await part.text(), '234');
  // Binary bodies are fetched directly: Prism's proxy re-encodes them as text.
  const zip = await fetch(`${server.addresses()[0]!.url}/api/v2/user/streamzip`, { method: 'POST', headers: { authorization: `Bearer ${ut}` }, body: JSON.stringify(['/file.txt', '/dir']) });
  assert.equal(zip.status, 200);
  const zipFile = join(ctx.dir, 'z.zip');
  await writeFile(zipFile, Buffer.from(await zip.arrayBuffer()));
  assert.match((await run('unzip', ['-t', zipFile])).stdout, /No errors detected/);
  assert.equal(ctx.core.connections.list().length, 0, 'per-request HTTP connections are closed');

  const restricted = await api('/users/apiuser', { method: 'PUT', token: admin, body: JSON.stringify({ permissions: { '/': ['list'] } }) });
  assert.equal(restricted.status, 200);
  const ut2 = await token('/user/token', 'apiuser', 'secret1');
  assert.equal((await api('/user/file?path=/file.txt', { token: ut2 })).status, 403, 'download permission enforced by the core');
});

test('failed user logins are scored by the real defender and listed', async () => {
  await ctx.addUser({ username: 'victim', password: 'right' });
  const bad = await api('/user/token', { headers: { authorization: basic('victim', 'wrong') } });
  assert.equal(bad.status, 401);
  const admin = await token('/token', 'admin', 'password');
  const hosts = (await (await api('/defender/hosts', { token: admin })).json()) as { ip: string; score?: number; id: string }[];
  const me = hosts.find((x) => x.ip === '127.0.0.1');
  assert.ok(me && (me.score ?? 0) > 0, JSON.stringify(hosts));
  assert.equal((await api(`/defender/hosts/${me.id}`, { method: 'DELETE', token: admin })).status, 200);
});

test('quota scan on the real registry', async () => {
  await ctx.addUser({ username: 'scanme', password: 'pw' });
  const admin = await token('/token', 'admin', 'password');
  assert.equal((await api('/quotas/users/scanme/scan', { method: 'POST', token: admin })).status, 202);
  for (let i = 0; i < 100 && ctx.core.quotaScans.listUserScans().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal((await api('/quotas/users/scans', { token: admin })).status, 200);
});

test('no spec violations in any response', () => {
  assert.deepEqual(violations, []);
});

test('user token requests go through the connection gate: HTTP rate limit answers 429', async () => {
  const c = await createTestContext({
    config: {
      common: { rate_limiters: [{ average: 1, period: 60_000, burst: 1, type: 2, protocols: ['HTTP'], generate_defender_events: false, entries_soft_limit: 100, entries_hard_limit: 150 }] },
      httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: false, enable_web_client: false }] },
    },
  });
  const s = createHttpServer(c);
  await s.start({ ephemeral: true });
  try {
    await c.addUser({ username: 'rl', password: 'pw' });
    const url = `${s.addresses()[0]!.url}/api/v2/user/token`;
    assert.equal((await fetch(url, { headers: { authorization: basic('rl', 'pw') } })).status, 200);
    const limited = await fetch(url, { headers: { authorization: basic('rl', 'pw') } });
    assert.equal(limited.status, 429);
    assert.match(((await limited.json()) as { error: string }).error, /rate limit/);
  } finally {
    await s.stop(100);
    await c.close();
  }
});
