/**
 * Client limits on WebDAV requests (INVENTORY §3.5, §4.13, §4.14), with curl: every request passes
 * the core gate for protocol DAV, so a rate limiter refusal is a 429 with `Retry-After` seconds and
 * `X-Retry-In`, and a banned host is refused with 403 before authentication.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curl, startDav } from './harness.js';

test('WebDAV rate limit: 429 with Retry-After and X-Retry-In; limiter events ban the host (403)', async () => {
  const h = await startDav({
    config: {
      common: {
        defender: { enabled: true, threshold: 15 },
        rate_limiters: [{ average: 1, period: 60_000, burst: 1, type: 2, protocols: ['DAV'], generate_defender_events: true, entries_soft_limit: 100, entries_hard_limit: 150 }],
      },
    },
  });
  try {
    assert.equal((await curl(['-u', 'alice:secret', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url])).status, 207);
    const limited = await curl(['-u', 'alice:secret', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url]);
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter >= 59 && retryAfter <= 61, `Retry-After ${retryAfter}`);
    assert.match(limited.headers['x-retry-in'] ?? '', /^1m0\.\d+s$|^(59|60)\.\d+s$/);
    assert.match(limited.body, /rate limit exceeded/);
    // score_limit_exceeded 3, threshold 15: four more refusals ban the host.
    for (let i = 0; i < 4; i++) assert.equal((await curl(['-u', 'alice:secret', h.url])).status, 429);
    assert.ok(h.ctx.core.defender.isBanned('127.0.0.1'));
    assert.equal((await curl(['-u', 'alice:secret', h.url])).status, 403);
  } finally {
    await h.close();
  }
});

test('WebDAV: a banned host is refused (403) even with valid credentials and for OPTIONS', async () => {
  const h = await startDav({ config: { common: { defender: { enabled: true, threshold: 15 } } } });
  try {
    assert.equal((await curl(['-u', 'alice:secret', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url])).status, 207);
    for (let i = 0; i < 5; i++) h.ctx.core.defender.addEvent('127.0.0.1', 'limit_exceeded');
    assert.equal((await curl(['-u', 'alice:secret', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url])).status, 403);
    assert.equal((await curl(['-X', 'OPTIONS', h.url])).status, 403);
    assert.equal((await curl(['-u', 'alice:secret', '-T', '-', h.at('x.txt')])).status, 403);
  } finally {
    await h.close();
  }
});
