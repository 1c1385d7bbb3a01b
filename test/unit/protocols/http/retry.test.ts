import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDuration, retryHeaders } from '../../../../src/protocols/http/retry.js';

test('Go duration strings as time.Duration.String() prints them', () => {
  assert.equal(goDuration(0n), '0s');
  assert.equal(goDuration(999n), '999ns');
  assert.equal(goDuration(1500n), '1.5µs');
  assert.equal(goDuration(750_000_001n), '750.000001ms');
  assert.equal(goDuration(1_499_999_999n), '1.499999999s');
  assert.equal(goDuration(60_499_999_999n), '1m0.499999999s');
  assert.equal(goDuration(3_723_500_000_000n), '1h2m3.5s');
  assert.equal(goDuration(3_600_000_000_000n), '1h0m0s');
});

test('retry headers add 0.499999999 s to the wait, as SFTPGo', () => {
  assert.deepEqual(retryHeaders(1000), { 'Retry-After': '1', 'X-Retry-In': '1.499999999s' });
  assert.deepEqual(retryHeaders(1600), { 'Retry-After': '2', 'X-Retry-In': '2.099999999s' });
  assert.deepEqual(retryHeaders(100), { 'Retry-After': '1', 'X-Retry-In': '599.999999ms' });
});
