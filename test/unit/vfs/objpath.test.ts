import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseKeyPrefix, ObjectPaths } from '../../../src/vfs/shared/objpath.js';

test('object paths: key_prefix is normalised as SFTPGo does and cannot climb', () => {
  assert.equal(normaliseKeyPrefix(undefined), '');
  assert.equal(normaliseKeyPrefix(''), '');
  assert.equal(normaliseKeyPrefix('/'), '');
  assert.equal(normaliseKeyPrefix('a/b'), 'a/b/');
  assert.equal(normaliseKeyPrefix('/a//b/'), 'a/b/');
  assert.throws(() => normaliseKeyPrefix('../x'), /key_prefix: invalid value/);
  assert.throws(() => normaliseKeyPrefix('a/../..'), /key_prefix: invalid value/);
});

test('object paths: keys stay under the prefix whatever the path', () => {
  const p = new ObjectPaths('users/alice');
  assert.equal(p.key('/f.txt'), 'users/alice/f.txt');
  assert.equal(p.key('/../../bob/secret'), 'users/alice/bob/secret');
  assert.equal(p.key('a/./b/../c'), 'users/alice/a/c');
  assert.equal(p.dirPrefix('/'), 'users/alice/');
  assert.equal(p.dirPrefix('/d/'), 'users/alice/d/');
  assert.throws(() => p.key('/a\0b'), /NUL/);
  assert.equal(new ObjectPaths('').dirPrefix('/'), '');
});

test('object paths: characters a service would rewrite are refused, not silently changed', () => {
  const p = new ObjectPaths('', { chars: '\\', why: 'the service turns it into "/"' });
  assert.throws(() => p.key('/a\\b'), /"\\\\" is not allowed on this storage backend/);
  assert.equal(p.key('/a/b'), 'a/b');
});
