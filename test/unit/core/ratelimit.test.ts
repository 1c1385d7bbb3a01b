import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RateLimiterConfig } from '../../../src/config/types.js';
import { maxDelayMs, RateLimiter, RateLimiters, validateRateLimiterConfig } from '../../../src/core/ratelimit/ratelimiter.js';
import type { Defender, DefenderEvent } from '../../../src/core/types.js';

function cfg(over: Partial<RateLimiterConfig> = {}): RateLimiterConfig {
  return {
    average: 1, period: 1000, burst: 1, type: 2, protocols: ['SSH', 'FTP', 'DAV', 'HTTP'],
    generate_defender_events: false, entries_soft_limit: 100, entries_hard_limit: 150, ...over,
  };
}

/** A manual clock whose sleep advances time instantly. */
function manual() {
  const c = { t: 0, slept: [] as number[] };
  return { c, now: () => c.t, sleep: async (ms: number) => { c.slept.push(ms); c.t += ms; } };
}

test('max delay rule', () => {
  assert.equal(maxDelayMs(cfg({ average: 1, period: 1000 })), 500);
  assert.equal(maxDelayMs(cfg({ average: 1, period: 10_000 })), 5000);
  assert.equal(maxDelayMs(cfg({ average: 1, period: 60_000 })), 10_000);
  assert.equal(maxDelayMs(cfg({ average: 10, period: 1000 })), 50);
});

test('token bucket: burst passes, then waits up to max delay, beyond that rejects', async () => {
  const m = manual();
  const l = new RateLimiter(cfg({ average: 2, period: 1000, burst: 2, type: 1 }), { now: m.now, sleep: m.sleep });
  assert.equal((await l.wait('a')).allowed, true);
  assert.equal((await l.wait('b')).allowed, true);
  assert.deepEqual(m.c.slept, []);
  // Empty bucket: next token in 500 ms, max delay 250 ms → rejected.
  assert.deepEqual(await l.wait('c'), { allowed: false, retryAfterMs: 500 });
  m.c.t += 300; // 0.6 tokens: wait 200 ms
  assert.equal((await l.wait('c')).allowed, true);
  assert.equal(Math.round(m.c.slept[0]!), 200);
});

test('per-IP buckets are independent and bounded (LRU), defender events on rejection', async () => {
  const m = manual();
  const events: [string, DefenderEvent][] = [];
  const defender = { addEvent: (ip: string, e: DefenderEvent) => events.push([ip, e]) } as unknown as Defender;
  const l = new RateLimiter(cfg({ average: 1, period: 10_000, entries_soft_limit: 2, entries_hard_limit: 3, generate_defender_events: true }),
    { now: m.now, sleep: m.sleep, defender });
  assert.equal((await l.wait('1.1.1.1')).allowed, true);
  assert.equal((await l.wait('2.2.2.2')).allowed, true);
  assert.equal((await l.wait('1.1.1.1')).allowed, false);
  assert.deepEqual(events, [['1.1.1.1', 'limit_exceeded']]);
  await l.wait('3.3.3.3');
  await l.wait('4.4.4.4');
  assert.ok(l.size <= 3);
});

test('limiters apply per protocol; validation; disabled when average is 0', async () => {
  const m = manual();
  const ls = new RateLimiters([cfg({ protocols: ['FTP'], period: 10_000 }), cfg({ average: 0 })], { now: m.now, sleep: m.sleep });
  assert.equal(ls.limiters.length, 1);
  assert.equal((await ls.allow('FTP', '1.2.3.4')).allowed, true);
  assert.equal((await ls.allow('FTP', '1.2.3.4')).allowed, false);
  assert.equal((await ls.allow('SSH', '1.2.3.4')).allowed, true);
  assert.ok(validateRateLimiterConfig(cfg({ burst: 0, period: 10, type: 3, protocols: ['X'] }), 0).length >= 4);
  assert.throws(() => new RateLimiters([cfg({ burst: 0 })]));
});
