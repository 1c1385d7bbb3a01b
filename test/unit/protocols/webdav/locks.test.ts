import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LockManager, type LockRequest } from '../../../../src/protocols/webdav/locks.js';
import { DavError } from '../../../../src/protocols/webdav/status-map.js';

const req = (o: Partial<LockRequest>): LockRequest => ({
  username: 'alice', root: '/a', collection: false, depth: 0, scope: 'exclusive', ownerXml: '', timeoutS: 60, ...o,
});
const locked = (e: unknown) => e instanceof DavError && e.status === 423;

test('locks are held per token: a second exclusive lock is refused, the token unlocks', () => {
  const m = new LockManager();
  const l = m.create(req({}));
  assert.match(l.token, /^urn:uuid:[0-9a-f-]{36}$/);
  assert.throws(() => m.create(req({})), locked);
  assert.equal(m.unlock('alice', 'urn:uuid:bogus', '/a'), false);
  assert.equal(m.unlock('alice', l.token, '/other'), false);
  assert.equal(m.unlock('alice', l.token, '/a'), true);
  assert.equal(m.covering('alice', '/a').length, 0);
});

test('shared locks coexist; an exclusive one does not join them', () => {
  const m = new LockManager();
  m.create(req({ scope: 'shared' }));
  m.create(req({ scope: 'shared' }));
  assert.equal(m.covering('alice', '/a').length, 2);
  assert.throws(() => m.create(req({ scope: 'exclusive' })), locked);
});

test('Depth infinity covers descendants and conflicts with locks inside the tree', () => {
  const m = new LockManager();
  const coll = m.create(req({ root: '/c', collection: true, depth: 'infinity' }));
  assert.deepEqual(m.covering('alice', '/c/x/y').map((l) => l.token), [coll.token]);
  assert.equal(m.covering('alice', '/cx').length, 0);
  assert.throws(() => m.create(req({ root: '/c/x' })), locked);
  const m2 = new LockManager();
  m2.create(req({ root: '/c/x' }));
  assert.throws(() => m2.create(req({ root: '/c', depth: 'infinity' })), locked);
  assert.doesNotThrow(() => m2.create(req({ root: '/c', depth: 0 })));
});

test('locks of one user never cover the paths of another user', () => {
  const m = new LockManager();
  m.create(req({}));
  assert.doesNotThrow(() => m.create(req({ username: 'bob' })));
  assert.equal(m.covering('bob', '/a').length, 1);
});

test('expiry and refresh follow the clock', () => {
  let now = 1_000_000;
  const m = new LockManager(() => now);
  const l = m.create(req({ timeoutS: 10 }));
  now += 9_000;
  assert.ok(m.refresh('alice', l.token, '/a', 10));
  now += 9_000;
  assert.equal(m.covering('alice', '/a').length, 1);
  now += 2_000;
  assert.equal(m.covering('alice', '/a').length, 0);
  assert.equal(m.refresh('alice', l.token, '/a', 10), undefined);
});

test('removeTree drops the locks of a deleted or moved tree', () => {
  const m = new LockManager();
  m.create(req({ root: '/t/a' }));
  m.create(req({ root: '/t/b/c' }));
  m.create(req({ root: '/u' }));
  m.removeTree('alice', '/t');
  assert.deepEqual(m.within('alice', '/').map((l) => l.root), ['/u']);
});
