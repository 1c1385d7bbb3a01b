/**
 * HTTP behaviour common to every route (INVENTORY §3.6) on the real stack: JSON 404 for unknown
 * routes, HEAD for GET handlers, trailing slashes stripped, a request id on every answer, the
 * 1 MB JSON body limit, admin self-protection, and the web UI paths while the UIs are off.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
let token: string;
before(async () => { h = await startHarness(); token = await h.adminToken(); });
after(async () => { await h.close(); });

const api = (path: string, init: RequestInit & { bearer?: string } = {}) =>
  fetch(`${h.base}${path}`, { ...init, headers: { authorization: `Bearer ${init.bearer ?? token}`, ...(init.headers ?? {}) } });

async function expectJsonError(res: Response, status: number): Promise<string> {
  assert.equal(res.status, status, res.url);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = (await res.json()) as { error: string; message: string };
  assert.ok(body.error && typeof body.message === 'string');
  return body.error;
}

test('unknown routes and methods are a JSON 404 naming the request', async () => {
  assert.match(await expectJsonError(await api('/api/v2/nope'), 404), /GET \/api\/v2\/nope/);
  await expectJsonError(await api('/definitely/not/here'), 404);
  await expectJsonError(await api('/api/v2/version', { method: 'DELETE' }), 404);
  await expectJsonError(await api('/web/admin'), 404);
});

test('GET routes answer HEAD; trailing slashes are stripped; every answer carries X-Request-ID', async () => {
  const head = await api('/api/v2/users', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  const slash = await api('/api/v2/users/');
  assert.equal(slash.status, 200);
  assert.ok(Array.isArray(await slash.json()));
  const ids = new Set([slash, head, await api('/api/v2/nope')].map((r) => r.headers.get('x-request-id')));
  assert.equal(ids.size, 3);
  assert.ok([...ids].every((id) => id && /^[0-9a-f-]{36}$/.test(id)));
});

test('JSON bodies over 1 MB are refused with 413 before being parsed', async () => {
  const big = JSON.stringify({ username: 'x'.repeat(1024 * 1024 + 10) });
  assert.match(await expectJsonError(await api('/api/v2/users', { method: 'POST', body: big }), 413), /too large/);
});

test('admin self-protection: cannot delete, disable or drop manage_admins on itself', async () => {
  await h.addAdmin('self', ['manage_admins', 'view_users']);
  const bearer = await h.adminToken('self', 'pw');
  const put = (body: unknown) => api('/api/v2/admins/self', { bearer, method: 'PUT', body: JSON.stringify(body) });
  assert.match(await expectJsonError(await api('/api/v2/admins/self', { bearer, method: 'DELETE' }), 400), /yourself/);
  assert.match(await expectJsonError(await put({ status: 0, permissions: ['manage_admins'] }), 400), /disable yourself/);
  assert.match(await expectJsonError(await put({ status: 1, permissions: ['view_users'] }), 400), /permissions/);
  assert.equal((await put({ status: 1, permissions: ['manage_admins'], description: 'me' })).status, 200);
  assert.equal((await h.data.getAdmin('self')).description, 'me');
});
