/**
 * Walks every operation of openapi.yaml against a running server through Stoplight Prism (proxy
 * mode), which validates each real response against the spec; the test fails on any response
 * violation and when an operation of the spec was not exercised.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startHarness, type Harness } from './harness.js';
import { responseViolations, SPEC_PATH, startPrism, type Prism, type Violation } from './prism.js';

let h: Harness;
let prism: Prism;
const seen = new Set<string>();
const violations: { op: string; status: number; v: Violation }[] = [];

before(async () => {
  h = await startHarness();
  prism = await startPrism(`${h.base}/api/v2`);
});
after(async () => {
  await prism?.stop();
  await h?.close();
});

interface CallOpts { token?: string; basic?: [string, string]; body?: unknown; headers?: Record<string, string> }

/**
 * The one defect of the spec itself: dumpdata's 200 is `oneOf [ApiResponse, BackupData]`, but both
 * schemas have only optional properties and no additionalProperties limit, so every object matches
 * both and no response can satisfy `oneOf` (SFTPGo's own answers fail it too). Only that exact
 * violation is tolerated; the bodies are checked by hand in the walk instead.
 */
function isKnownSpecDefect(op: string, status: number, v: Violation): boolean {
  return op === '/dumpdata' && status === 200 && v.code === 'oneOf' && v.location.join('.') === 'response.body';
}

/** Calls `path` (spec form, e.g. /users/{username}) with concrete `url` through prism. */
async function call(method: string, op: string, url: string, status: number, opts: CallOpts = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.basic) headers.authorization = h.basic(...opts.basic);
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${prism.base}${url}`, { method, headers, body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined });
  seen.add(`${method} ${op}`);
  for (const v of responseViolations(res)) {
    if (!isKnownSpecDefect(op, res.status, v)) violations.push({ op: `${method} ${url}`, status: res.status, v });
  }
  assert.equal(res.status, status, `${method} ${url}: ${res.status} ${res.status !== status ? await res.clone().text() : ''}`);
  return res;
}

test('every operation answers as the spec says', async () => {
  const home = join(h.dir, 'home');
  await mkdir(home, { recursive: true });
  await writeFile(join(home, 'a.txt'), 'hello range world');
  await mkdir(join(home, 'sub'));
  await writeFile(join(home, 'sub', 'b.txt'), 'bbb');

  await call('GET', '/token', '/token', 401, { basic: ['admin', 'bad'] });
  const tok = ((await (await call('GET', '/token', '/token', 200, { basic: ['admin', 'password'] })).json()) as { access_token: string }).access_token;
  const t = { token: tok };
  await call('GET', '/version', '/version', 200, t);
  await call('GET', '/version', '/version', 401);

  // folders
  await call('POST', '/folders', '/folders', 201, { ...t, body: { name: 'f1', mapped_path: join(h.dir, 'f1'), description: 'folder' } });
  await call('POST', '/folders', '/folders', 400, { ...t, body: { description: 'no name' } });
  await call('GET', '/folders', '/folders?limit=10&offset=0&order=DESC', 200, t);
  await call('GET', '/folders', '/folders?limit=1000', 400, t);
  await call('GET', '/folders/{name}', '/folders/f1', 200, t);
  await call('GET', '/folders/{name}', '/folders/nope', 404, t);
  await call('PUT', '/folders/{name}', '/folders/f1', 200, { ...t, body: { mapped_path: join(h.dir, 'f1b') } });

  // users
  const user = { username: 'walker', password: 'pw', status: 1, home_dir: home, permissions: { '/': ['*'] }, quota_size: 0 };
  await call('POST', '/users', '/users', 201, { ...t, body: user });
  await call('POST', '/users', '/users', 400, { ...t, body: { username: 'bad', status: 1 } });
  await call('GET', '/users', '/users', 200, t);
  await call('GET', '/users/{username}', '/users/walker', 200, t);
  await call('GET', '/users/{username}', '/users/nobody', 404, t);
  await call('PUT', '/users/{username}', '/users/walker?disconnect=1', 200, { ...t, body: { description: 'walks' } });

  // admins
  await call('POST', '/admins', '/admins', 201, { ...t, body: { username: 'adm2', password: 'pw', status: 1, permissions: ['view_users'], email: 'a@example.com' } });
  await call('GET', '/admins', '/admins?order=ASC', 200, t);
  await call('GET', '/admins/{username}', '/admins/adm2', 200, t);
  await call('PUT', '/admins/{username}', '/admins/adm2', 200, { ...t, body: { description: 'second' } });
  const t2 = { token: ((await (await call('GET', '/token', '/token', 200, { basic: ['adm2', 'pw'] })).json()) as { access_token: string }).access_token };
  await call('GET', '/admins', '/admins', 403, t2);
  await call('PUT', '/admin/changepwd', '/admin/changepwd', 200, { ...t2, body: { current_password: 'pw', new_password: 'pw2' } });
  await call('PUT', '/changepwd/admin', '/changepwd/admin', 200, { ...t2, body: { current_password: 'pw2', new_password: 'pw3' } });
  await call('PUT', '/admin/changepwd', '/admin/changepwd', 400, { ...t2, body: { current_password: 'wrong', new_password: 'x' } });

  // connections
  const conn = await h.core.connections.open({ protocol: 'SFTP', user: await h.data.getUser('walker'), remote: { ip: '10.1.1.1', port: 5555 }, clientVersion: 'SSH-2.0-test' });
  const list = (await (await call('GET', '/connections', '/connections', 200, t)).json()) as unknown[];
  assert.equal(list.length, 1);
  await call('DELETE', '/connections/{connectionID}', `/connections/${conn.id}`, 200, t);
  await call('DELETE', '/connections/{connectionID}', '/connections/unknown', 404, t);

  // defender
  await call('GET', '/user/token', '/user/token', 401, { basic: ['walker', 'wrong'] });
  const hosts = (await (await call('GET', '/defender/hosts', '/defender/hosts', 200, t)).json()) as { id: string }[];
  assert.ok(hosts.length >= 1);
  await call('GET', '/defender/hosts/{id}', `/defender/hosts/${hosts[0]!.id}`, 200, t);
  await call('GET', '/defender/hosts/{id}', '/defender/hosts/ffff', 404, t);
  await call('GET', '/defender/bantime', '/defender/bantime?ip=127.0.0.1', 200, t);
  await call('GET', '/defender/bantime', '/defender/bantime?ip=notanip', 400, t);
  await call('GET', '/defender/score', '/defender/score?ip=127.0.0.1', 200, t);
  await call('DELETE', '/defender/hosts/{id}', `/defender/hosts/${hosts[0]!.id}`, 200, t);
  h.core.defender.addEvent('10.0.0.9', 'login_failed');
  await call('POST', '/defender/unban', '/defender/unban', 200, { ...t, body: { ip: '10.0.0.9' } });
  await call('POST', '/defender/unban', '/defender/unban', 404, { ...t, body: { ip: '10.0.0.9' } });

  // quota
  await call('POST', '/quotas/users/{username}/scan', '/quotas/users/walker/scan', 202, t);
  await call('POST', '/quotas/users/{username}/scan', '/quotas/users/walker/scan', 409, t);
  await call('POST', '/quotas/users/{username}/scan', '/quotas/users/nobody/scan', 404, t);
  assert.equal(((await (await call('GET', '/quotas/users/scans', '/quotas/users/scans', 200, t)).json()) as unknown[]).length, 1);
  await call('GET', '/quota-scans', '/quota-scans', 200, t);
  await call('PUT', '/quotas/users/{username}/usage', '/quotas/users/walker/usage', 409, { ...t, body: { used_quota_size: 1 } });
  h.core.quotaScans.finish();
  await call('PUT', '/quotas/users/{username}/usage', '/quotas/users/walker/usage?mode=reset', 200, { ...t, body: { used_quota_size: 10, used_quota_files: 2 } });
  await call('PUT', '/quotas/users/{username}/usage', '/quotas/users/walker/usage', 400, { ...t, body: { used_quota_size: -1 } });
  await call('PUT', '/quota-update', '/quota-update?mode=add', 200, { ...t, body: { username: 'walker', used_quota_size: 5, used_quota_files: 1 } });
  assert.equal((await h.data.getUser('walker')).used_quota_size, 15);
  await call('POST', '/quota-scans', '/quota-scans', 202, { ...t, body: { username: 'walker' } });
  await call('POST', '/quotas/folders/{name}/scan', '/quotas/folders/f1/scan', 202, t);
  await call('GET', '/quotas/folders/scans', '/quotas/folders/scans', 200, t);
  await call('GET', '/folder-quota-scans', '/folder-quota-scans', 200, t);
  await call('POST', '/folder-quota-scans', '/folder-quota-scans', 409, { ...t, body: { name: 'f1' } });
  h.core.quotaScans.finish();
  await call('POST', '/folder-quota-scans', '/folder-quota-scans', 202, { ...t, body: { name: 'f1' } });
  h.core.quotaScans.finish();
  await call('PUT', '/quotas/folders/{name}/usage', '/quotas/folders/f1/usage', 200, { ...t, body: { used_quota_size: 3, used_quota_files: 1 } });
  await call('PUT', '/folder-quota-update', '/folder-quota-update?mode=add', 200, { ...t, body: { name: 'f1', used_quota_size: 1, used_quota_files: 1 } });

  // maintenance
  await call('GET', '/status', '/status', 200, t);
  await call('GET', '/dumpdata', '/dumpdata?output-file=dump.json&indent=1', 200, t);
  await call('GET', '/dumpdata', '/dumpdata?output-file=../escape.json', 400, t);
  await call('GET', '/dumpdata', '/dumpdata', 400, t);
  const dumpRes = await call('GET', '/dumpdata', '/dumpdata?output-data=1', 200, t);
  assert.match(dumpRes.headers.get('content-disposition') ?? '', /attachment/);
  const dump = (await dumpRes.json()) as { version: number };
  assert.equal(dump.version, 8);
  const dumpFile = join(h.dir, 'backups', 'dump.json');
  assert.equal(JSON.parse(await readFile(dumpFile, 'utf8')).users.length, 1);
  assert.equal(JSON.parse(await readFile(dumpFile, 'utf8')).version, 8);
  const saved = (await call('GET', '/dumpdata', '/dumpdata?output-file=dump2.json', 200, t).then((r) => r.json())) as { message: string };
  assert.equal(saved.message, 'Data saved');
  await call('GET', '/loaddata', `/loaddata?input-file=${encodeURIComponent(dumpFile)}&mode=1&scan-quota=0`, 200, t);
  await call('GET', '/loaddata', `/loaddata?input-file=${encodeURIComponent(join(h.dir, 'missing.json'))}`, 400, t);
  await call('POST', '/loaddata', '/loaddata?mode=0', 200, { ...t, body: dump });
  await call('POST', '/loaddata', '/loaddata?mode=7', 400, { ...t, body: dump });

  // user API
  const ut = { token: ((await (await call('GET', '/user/token', '/user/token', 200, { basic: ['walker', 'pw'] })).json()) as { access_token: string }).access_token };
  await call('GET', '/user/publickeys', '/user/publickeys', 200, ut);
  await call('PUT', '/user/publickeys', '/user/publickeys', 200, { ...ut, body: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPVILdH2u3yV5SAeE6XksD1z1vXRg0E4hJUov8ITDAZ2 user@host'] });
  await call('PUT', '/user/publickeys', '/user/publickeys', 400, { ...ut, body: ['not a key'] });
  await call('PUT', '/user/changepwd', '/user/changepwd', 200, { ...ut, body: { current_password: 'pw', new_password: 'pw-new' } });
  const entries = (await (await call('GET', '/user/folder', '/user/folder?path=/', 200, ut)).json()) as { name: string; mode: number }[];
  assert.deepEqual(entries.map((e) => e.name), ['a.txt', 'sub']);
  assert.ok((entries[1]!.mode & 2147483648) !== 0, 'dir bit');
  assert.equal(await (await call('GET', '/user/file', '/user/file?path=/a.txt', 200, ut)).text(), 'hello range world');
  const part = await call('GET', '/user/file', '/user/file?path=/a.txt', 206, { ...ut, headers: { range: 'bytes=6-10' } });
  assert.equal(await part.text(), 'range');
  await call('GET', '/user/file', '/user/file?path=/sub', 400, ut);
  const zip = await call('POST', '/user/streamzip', '/user/streamzip', 200, { ...ut, body: ['/a.txt', '/sub'] });
  assert.ok((await zip.arrayBuffer()).byteLength > 0);
  await call('GET', '/user/logout', '/user/logout', 200, ut);
  await call('GET', '/user/publickeys', '/user/publickeys', 401, ut);

  // deletes and logout
  await call('DELETE', '/users/{username}', '/users/walker', 200, t);
  await call('DELETE', '/folders/{name}', '/folders/f1', 200, t);
  await call('DELETE', '/admins/{username}', '/admins/adm2', 200, t);
  await call('DELETE', '/admins/{username}', '/admins/adm2', 404, t);
  await call('GET', '/logout', '/logout', 200, t);

  // /healthz lives outside the /api/v2 server URL: checked directly.
  const hz = await fetch(`${h.base}/healthz`);
  assert.equal(await hz.text(), 'ok');
  seen.add('GET /healthz');

  assert.deepEqual(violations, [], `spec violations:\n${JSON.stringify(violations, null, 1)}`);
});

test('no operation of the spec was left out', () => {
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const ops = Object.entries(spec.paths).flatMap(([p, o]) => ['get', 'put', 'post', 'delete'].filter((m) => o[m]).map((m) => `${m.toUpperCase()} ${p}`));
  assert.equal(ops.length, 53);
  assert.deepEqual(ops.filter((o) => !seen.has(o)), []);
});
