import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePath, hasTrailingSlash, hrefOf, requestVirtualPath, stripPrefix } from '../../../../src/protocols/webdav/paths.js';
import { DavError } from '../../../../src/protocols/webdav/status-map.js';

const status = (n: number) => (e: unknown) => e instanceof DavError && e.status === n;

test('URLs decode per segment into clean virtual paths', () => {
  assert.equal(requestVirtualPath('/a%20b/c%C3%A9/', ''), '/a b/cé');
  assert.equal(requestVirtualPath('/./a//b?x=1', ''), '/a/b');
  assert.equal(requestVirtualPath('http://host:1/dav/x', '/dav'), '/x');
  assert.equal(requestVirtualPath('/dav', '/dav'), '/');
  assert.ok(hasTrailingSlash('/a/'));
  assert.ok(!hasTrailingSlash('/'));
});

test('traversal, encoded slashes, NUL, bad escapes and fragments are 400', () => {
  for (const bad of ['/../etc/passwd', '/a/%2e%2e/%2e%2e/etc', '/a%2Fb', '/a%00b', '/a%zz', '/a#frag']) {
    assert.throws(() => requestVirtualPath(bad, ''), status(400), bad);
  }
  assert.throws(() => decodePath('/..'), status(400));
});

test('paths outside the prefix are 404; the prefix is stripped on segment boundaries only', () => {
  assert.throws(() => requestVirtualPath('/other/x', '/dav'), status(404));
  assert.throws(() => requestVirtualPath('/davx', '/dav'), status(404));
  assert.equal(stripPrefix('/dav/a', '/dav/'), '/a');
  assert.equal(stripPrefix('/a', ''), '/a');
});

test('hrefs encode each segment, keep the prefix and mark collections', () => {
  assert.equal(hrefOf('', '/', true), '/');
  assert.equal(hrefOf('/dav', '/', true), '/dav/');
  assert.equal(hrefOf('/dav', '/a b/c#d', false), '/dav/a%20b/c%23d');
  assert.equal(hrefOf('', '/dir', true), '/dir/');
  assert.equal(hrefOf('', '/é', false), '/%C3%A9');
});
