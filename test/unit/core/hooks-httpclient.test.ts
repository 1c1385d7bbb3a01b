import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { buildConfig } from '../../../src/config/index.js';
import type { HttpClientConfig } from '../../../src/config/types.js';
import { NodeHttpClient } from '../../../src/core/httpclient/client.js';

async function server(handler: http.RequestListener) {
  const s = http.createServer(handler);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}`, close: () => new Promise((r) => { s.closeAllConnections(); s.close(r); }) };
}

function client(over: Partial<HttpClientConfig> = {}) {
  const cfg = { ...buildConfig().http, retry_wait_min: 0.01, retry_wait_max: 0.02, ...over };
  return new NodeHttpClient(cfg, '/');
}

test('retryable requests retry 5xx up to retry_max; non-retryable do not', async () => {
  let hits = 0;
  const s = await server((_req, res) => { hits++; res.writeHead(hits < 3 ? 503 : 200).end('ok'); });
  const c = client({ retry_max: 3 });
  try {
    const r = await c.request({ method: 'GET', url: s.url, retryable: true });
    assert.equal(r.status, 200);
    assert.equal(hits, 3);
    hits = 0;
    const r2 = await c.request({ method: 'GET', url: s.url });
    assert.equal(r2.status, 503);
    assert.equal(hits, 1);
    hits = -10;
    const r3 = await client({ retry_max: 1 }).request({ method: 'GET', url: s.url, retryable: true });
    assert.equal(r3.status, 503);
    assert.equal(hits, -8);
  } finally {
    c.close();
    await s.close();
  }
});

test('headers by URL prefix, timeout, response bound', async () => {
  const s = await server((req, res) => {
    if (req.url === '/slow') return; // never answers
    if (req.url === '/big') return void res.end('x'.repeat(2000));
    res.end(JSON.stringify({ a: req.headers['x-a'] ?? null, b: req.headers['x-b'] ?? null }));
  });
  const c = client({ headers: [{ key: 'X-A', value: '1', url: '' }, { key: 'X-B', value: '2', url: `${s.url}/only` }] });
  try {
    assert.deepEqual(JSON.parse((await c.request({ method: 'GET', url: `${s.url}/x` })).body.toString()), { a: '1', b: null });
    assert.deepEqual(JSON.parse((await c.request({ method: 'GET', url: `${s.url}/only/y` })).body.toString()), { a: '1', b: '2' });
    await assert.rejects(c.request({ method: 'GET', url: `${s.url}/slow`, timeoutMs: 100 }), /timed out/);
    await assert.rejects(c.request({ method: 'GET', url: `${s.url}/big`, maxBodyBytes: 100 }), /exceeds/);
  } finally {
    c.close();
    await s.close();
  }
});

test('connection errors are retried then reported', async () => {
  const s = await server(() => {});
  const url = s.url;
  await s.close();
  await assert.rejects(client({ retry_max: 1 }).request({ method: 'GET', url, retryable: true }), /ECONNREFUSED/);
});
