import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { User } from '../../../../src/dataprovider/models.js';
import { recordFingerprint, secretDigest, UserCache } from '../../../../src/protocols/webdav/user-cache.js';

const user = (name: string): User => ({ username: name, status: 1, home_dir: `/h/${name}`, permissions: { '/': ['*'] } });
const entry = (name: string) => ({ user: user(name), method: 'password' as const, secret: secretDigest('pw', undefined), record: 'r' });

test('a cached login matches only the same secret', () => {
  const c = new UserCache(0, 0);
  c.put('a', entry('a'));
  assert.ok(c.lookup('a', secretDigest('pw', undefined)));
  assert.equal(c.lookup('a', secretDigest('other', undefined)), undefined);
  assert.equal(c.lookup('a', secretDigest('pw', 'certfp')), undefined);
  assert.equal(c.lookup('b', secretDigest('pw', undefined)), undefined);
});

test('entries expire after expiration_time minutes (0 = never)', () => {
  let now = 0;
  const c = new UserCache(2, 0, () => now);
  c.put('a', entry('a'));
  now = 119_000;
  assert.ok(c.lookup('a', secretDigest('pw', undefined)));
  now = 120_000;
  assert.equal(c.lookup('a', secretDigest('pw', undefined)), undefined);
  assert.equal(c.size, 0);
});

test('max_size evicts the entry expiring first', () => {
  let now = 0;
  const c = new UserCache(10, 2, () => now);
  c.put('a', entry('a'));
  now = 1000;
  c.put('b', entry('b'));
  c.put('c', entry('c'));
  assert.equal(c.size, 2);
  assert.equal(c.lookup('a', secretDigest('pw', undefined)), undefined);
  assert.ok(c.lookup('c', secretDigest('pw', undefined)));
});

test('the record fingerprint ignores quota counters and last_login, not real changes', () => {
  const u = user('a');
  const fp = recordFingerprint(u);
  assert.equal(recordFingerprint({ ...u, used_quota_size: 5, used_quota_files: 1, last_login: 9, last_quota_update: 3 }), fp);
  assert.notEqual(recordFingerprint({ ...u, password: 'new' }), fp);
  assert.notEqual(recordFingerprint({ ...u, permissions: { '/': ['list'] } }), fp);
});
