/**
 * Client limits on user logins over HTTP (INVENTORY §3.6): user token requests go through the
 * core's connection gate, so the HTTP rate limiter answers 429 with its reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness.js';

test('user token requests go through the connection gate: HTTP rate limit answers 429', async () => {
  const h = await startHarness({
    common: { rate_limiters: [{ average: 1, period: 60_000, burst: 1, type: 2, protocols: ['HTTP'], generate_defender_events: false, entries_soft_limit: 100, entries_hard_limit: 150 }] },
  });
  try {
    await h.addUser({ username: 'rl' });
    const url = `${h.base}/api/v2/user/token`;
    assert.equal((await fetch(url, { headers: { authorization: h.basic('rl', 'pw') } })).status, 200);
    const limited = await fetch(url, { headers: { authorization: h.basic('rl', 'pw') } });
    assert.equal(limited.status, 429);
    assert.match(((await limited.json()) as { error: string }).error, /rate limit/);
    assert.equal((await fetch(`${h.base}/api/v2/token`, { headers: { authorization: h.basic('admin', 'password') } })).status, 200, 'admin tokens are not rate limited by the user gate');
  } finally {
    await h.close();
  }
});
