import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanVirtualPath, isUnder, parentOf } from '../../../src/core/vpath.js';

test('vpath: cleans to a rooted POSIX path without decoding', () => {
  assert.equal(cleanVirtualPath(''), '/');
  assert.equal(cleanVirtualPath('a/b/'), '/a/b');
  assert.equal(cleanVirtualPath('/../../etc/passwd'), '/etc/passwd');
  assert.equal(cleanVirtualPath('/a/./b/../c'), '/a/c');
  assert.equal(cleanVirtualPath('//a//b'), '/a/b');
  assert.equal(cleanVirtualPath('/%2e%2e/x'), '/%2e%2e/x');
  assert.throws(() => cleanVirtualPath('/a\0b'), /NUL/);
  assert.equal(parentOf('/a'), '/');
  assert.equal(isUnder('/a', '/ab'), false);
  assert.equal(isUnder('/a', '/a/b'), true);
});
