/**
 * Proves the walk's checks can fail: a fake upstream answers with bodies that drift from the spec
 * (wrong types, a bad error body, an unknown field name, a leaked password) and the same Walker
 * the walk uses must flag each one, while a correct answer stays clean.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { startPrisms, type Prism } from './prism.js';
import { loadSpec, StrictResponses } from './spec.js';
import { leakedSecrets, Walker } from './walker.js';

/** path -> [status, body] the fake upstream answers. */
const ANSWERS: Record<string, [number, unknown]> = {
  '/api/v2/version': [200, { version: '2.1.2', build_date: '', commit_hash: '', features: ['+metrics'] }],
  '/api/v2/status': [200, { ssh: { is_active: 'yes' }, data_provider: { driver: 7 } }],
  '/api/v2/users': [200, [{ username: 5, status: 3, permissions: { '/': ['*'] } }]],
  '/api/v2/users/ghost': [404, { error: 42 }],
  '/api/v2/admins/typo': [200, { username: 'a', permisions: ['*'] }],
  '/api/v2/admins/leak': [200, { username: 'a', password: '$2a$10$hash', permissions: ['*'] }],
};

let upstream: Server;
let base: string;
let api: Prism;
let root: Prism;
const spec = loadSpec();

before(async () => {
  upstream = createServer((req, res) => {
    const [status, body] = ANSWERS[req.url ?? ''] ?? [500, { error: 'unexpected', message: '' }];
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  [api, root] = await startPrisms([`${base}/api/v2`, base]) as [Prism, Prism];
});
after(async () => {
  await Promise.all([api?.stop(), root?.stop()]);
  upstream?.close();
});

async function problemsOf(operationId: string, url: string, status: number): Promise<string[]> {
  const w = new Walker(spec, new StrictResponses(spec), { api, root, direct: `${base}/api/v2` });
  await w.call(operationId, url, status, { token: 'x' });
  return w.problems.map((p) => `${p.kind}: ${JSON.stringify(p.detail)}`);
}

test('a correct body has no problems', async () => {
  assert.deepEqual(await problemsOf('get_version', '/version', 200), []);
});

test('Prism flags wrong types in success bodies', async () => {
  const status = await problemsOf('get_status', '/status', 200);
  assert.ok(status.some((p) => p.startsWith('prism:') && p.includes('is_active')), status.join('\n'));
  const users = await problemsOf('get_users', '/users', 200);
  assert.ok(users.some((p) => p.startsWith('prism:') && p.includes('username')), users.join('\n'));
  assert.ok(users.some((p) => p.startsWith('prism:') && p.includes('status')), users.join('\n'));
});

test('an error body that is not an ApiResponse is flagged', async () => {
  const problems = await problemsOf('get_user_by_username', '/users/ghost', 404);
  assert.ok(problems.some((p) => p.startsWith('prism:') && p.includes('error')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('error body:')), problems.join('\n'));
});

test('a misspelled field passes Prism (the spec never closes its objects) but not the strict check', async () => {
  const problems = await problemsOf('get_admin_by_username', '/admins/typo', 200);
  assert.ok(problems.every((p) => !p.startsWith('prism:')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('field:') && p.includes('permisions')), problems.join('\n'));
});

test('a password hash in a response is flagged as a leak', async () => {
  const problems = await problemsOf('get_admin_by_username', '/admins/leak', 200);
  assert.ok(problems.some((p) => p.startsWith('secret:') && p.includes('password')), problems.join('\n'));
  assert.deepEqual(leakedSecrets({ filesystem: { s3config: { access_secret: { status: 'Secretbox', payload: 'abc', key: 'k' } } } }),
    ['.filesystem.s3config.access_secret.status=Secretbox', '.filesystem.s3config.access_secret.payload', '.filesystem.s3config.access_secret.key']);
  assert.deepEqual(leakedSecrets({ access_secret: { status: 'Redacted', payload: '' } }), []);
});

test('an unexpected status fails the call', async () => {
  const w = new Walker(spec, new StrictResponses(spec), { api, root, direct: `${base}/api/v2` });
  await assert.rejects(w.call('get_version', '/version', 201, { token: 'x' }), /200 !== 201|Expected values to be strictly equal/);
});
