import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Permissions } from '../../../src/core/permissions.js';

test('permissions: closest configured ancestor wins, no merging', () => {
  const p = new Permissions({ permissions: { '/': ['list', 'download'], '/up': ['upload'], '/up/none': [], '/all/': ['*'] } });
  assert.equal(p.has('/', 'list'), true);
  assert.equal(p.has('/x/y', 'download'), true);
  assert.equal(p.has('/up', 'upload'), true);
  assert.equal(p.has('/up', 'list'), false, 'no merging with /');
  assert.equal(p.has('/up/sub', 'upload'), true);
  assert.equal(p.has('/up/none', 'upload'), false, 'empty list denies all');
  assert.equal(p.has('/up/none/deeper', 'list'), false);
  assert.equal(p.has('/all/z', 'chown'), true);
  assert.equal(p.has('/upx', 'upload'), false, 'prefix is not an ancestor');
  assert.deepEqual(p.dirsBelow('/up'), ['/up/none']);
});
