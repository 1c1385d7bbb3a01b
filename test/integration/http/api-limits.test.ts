/**
 * Client limits on every HTTP request (INVENTORY §3.6, §4.13, §4.14): each request passes the core
 * gate for protocol HTTP before routing, as SFTPGo's checkConnection does, so the REST API (admin
 * and user endpoints alike), /healthz and the web UIs are rate limited (429 with `Retry-After`
 * and `X-Retry-In`) and refused to banned hosts (403).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RateLimiterConfig } from '../../../src/config/types.js';
import { startHarness } from './harness.js';

/** One token a minute per source IP: the second request in a row is refused. */
function perIpLimiter(extra: Partial<RateLimiterConfig> = {}): RateLimiterConfig {
  return { average: 1, period: 60_000, burst: 1, type: 2, protocols: ['HTTP'], generate_defender_events: false, entries_soft_limit: 100, entries_hard_limit: 150, ...extra };
}

test('REST API: every request is rate limited; 429 with Retry-After, X-Retry-In and an ApiResponse body', async () => {
  const h = await startHarness({ common: { rate_limiters: [perIpLimiter()] } });
  try {
    const token = await fetch(`${h.base}/api/v2/token`, { headers: { authorization: h.basic('admin', 'password') } });
    assert.equal(token.status, 200);
    const { access_token } = (await token.json()) as { access_token: string };
    for (const path of ['/api/v2/users', '/api/v2/token', '/healthz']) {
      const limited = await fetch(`${h.base}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(limited.status, 429, path);
      // 1 token a minute, bucket just emptied: the wait is about 60 s (SFTPGo adds 0.499999999 s).
      const retryAfter = Number(limited.headers.get('retry-after'));
      assert.ok(retryAfter >= 59 && retryAfter <= 61, `Retry-After ${retryAfter}`);
      assert.match(limited.headers.get('x-retry-in') ?? '', /^1m0\.\d+s$|^(59|60)\.\d+s$/);
      const body = (await limited.json()) as { error: string; message: string };
      assert.match(body.error, /rate limit exceeded/);
      assert.equal(body.message, 'Too Many Requests');
    }
  } finally {
    await h.close();
  }
});

test('per-IP limiter with generate_defender_events: refusals score in the defender until the host is banned (403)', async () => {
  // threshold 15, score_limit_exceeded 3: five refusals ban the host.
  const h = await startHarness({ common: { rate_limiters: [perIpLimiter({ generate_defender_events: true })] } });
  try {
    const url = `${h.base}/api/v2/token`;
    assert.equal((await fetch(url, { headers: { authorization: h.basic('admin', 'password') } })).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await fetch(url)).status, 429);
    assert.ok(h.core.defender.isBanned('127.0.0.1'));
    const banned = await fetch(url, { headers: { authorization: h.basic('admin', 'password') } });
    assert.equal(banned.status, 403);
    assert.match(((await banned.json()) as { error: string }).error, /banned/);
  } finally {
    await h.close();
  }
});

test('banned hosts are refused on REST endpoints, /healthz and the web UIs (HTML page there)', async () => {
  const h = await startHarness({
    httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: true, enable_web_client: true }] },
  });
  try {
    assert.equal((await fetch(`${h.base}/healthz`)).status, 200);
    for (let i = 0; i < 5; i++) h.core.defender.addEvent('127.0.0.1', 'limit_exceeded');
    for (const path of ['/healthz', '/api/v2/token', '/api/v2/user/token']) {
      const r = await fetch(`${h.base}${path}`, { headers: { authorization: h.basic('admin', 'password') } });
      assert.equal(r.status, 403, path);
      assert.match(((await r.json()) as { error: string }).error, /banned/, path);
    }
    const page = await fetch(`${h.base}/web/client/login`);
    assert.equal(page.status, 403);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /banned/);
  } finally {
    await h.close();
  }
});

test('web UI pages are rate limited with an HTML 429 page; the login form consumes one token, not two', async () => {
  const h = await startHarness({
    common: { rate_limiters: [perIpLimiter({ average: 2, burst: 2 })] },
    httpd: { bindings: [{ address: '127.0.0.1', port: 8080, enable_web_admin: true, enable_web_client: true }] },
  });
  try {
    await h.addUser({ username: 'rl' });
    // Two tokens: the user token request (one, the login no longer re-enters the gate), then a page.
    assert.equal((await fetch(`${h.base}/api/v2/user/token`, { headers: { authorization: h.basic('rl', 'pw') } })).status, 200);
    assert.equal((await fetch(`${h.base}/web/client/login`)).status, 200);
    const page = await fetch(`${h.base}/web/client/login`);
    assert.equal(page.status, 429);
    assert.ok(Number(page.headers.get('retry-after')) > 0);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /rate limit exceeded/);
  } finally {
    await h.close();
  }
});

test('over max_per_host_connections while a download streams: 403, and the slot is freed when the response ends', async () => {
  const h = await startHarness({ common: { max_per_host_connections: 1 } });
  try {
    const user = await h.addUser({ username: 'dl' });
    await writeFile(join(user.home_dir, 'big.bin'), randomBytes(1000));
    const token = await h.userToken('dl', 'pw');
    h.gate.hold('big.bin');
    const download = fetch(`${h.base}/api/v2/user/file?path=big.bin`, { headers: { authorization: `Bearer ${token}` } });
    await h.gate.reached('big.bin');
    const refused = await fetch(`${h.base}/healthz`);
    assert.equal(refused.status, 403);
    assert.match(((await refused.json()) as { error: string }).error, /connections limit/);
    h.gate.release('big.bin');
    const r = await download;
    assert.equal((await r.arrayBuffer()).byteLength, 1000);
    assert.equal((await fetch(`${h.base}/healthz`)).status, 200);
  } finally {
    h.gate.release('big.bin');
    await h.close();
  }
});
