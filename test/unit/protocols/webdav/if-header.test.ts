import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allTokens, evaluateIf, parseIfHeader, type ResourceState } from '../../../../src/protocols/webdav/if-header.js';
import { isSftpGoError } from '../../../../src/util/errors.js';

const state = (s: ResourceState) => async () => s;

test('untagged lists: tokens, etags and Not', () => {
  const lists = parseIfHeader('(<urn:uuid:1> ["e1"]) (Not <DAV:no-lock>)');
  assert.equal(lists.length, 2);
  assert.deepEqual(lists[0]!.conditions, [{ not: false, token: 'urn:uuid:1' }, { not: false, etag: '"e1"' }]);
  assert.deepEqual(lists[1]!.conditions, [{ not: true, token: 'DAV:no-lock' }]);
  assert.equal(lists[0]!.resource, undefined);
  assert.deepEqual(allTokens(lists), ['urn:uuid:1']);
});

test('tagged lists keep their resource', () => {
  const lists = parseIfHeader('<http://h/a> (<urn:uuid:1>) </b> (["x"]) (<urn:uuid:2>)');
  assert.deepEqual(lists.map((l) => l.resource), ['http://h/a', '/b', '/b']);
});

test('malformed headers are InvalidInput (400)', () => {
  for (const bad of ['', 'garbage', '(<a>', '<http://h/a>', '(<a>) <http://h/b> (<c>)', '()', '(Not)']) {
    assert.throws(() => parseIfHeader(bad), (e: unknown) => isSftpGoError(e) && e.kind === 'InvalidInput', bad);
  }
});

test('evaluation: one true list is enough; its tokens are submitted', async () => {
  const s = state({ etag: '"e1"', lockTokens: ['urn:uuid:1'] });
  assert.deepEqual(await evaluateIf(parseIfHeader('(<urn:uuid:1> ["e1"])'), s), { ok: true, tokens: ['urn:uuid:1'] });
  assert.equal((await evaluateIf(parseIfHeader('(<DAV:no-lock> ["e1"])'), s)).ok, false);
  assert.equal((await evaluateIf(parseIfHeader('(<DAV:no-lock>)'), s)).ok, false);
  assert.deepEqual(await evaluateIf(parseIfHeader('(<urn:uuid:1x>) (Not <DAV:no-lock>)'), s), { ok: true, tokens: [] });
  assert.equal((await evaluateIf(parseIfHeader('(<urn:uuid:1> ["e2"]) (Not <DAV:no-lock> ["e2"])'), s)).ok, false);
  assert.equal((await evaluateIf(parseIfHeader('(W/"e1")'.replace('(W/"e1")', '([W/"e1"])')), s)).ok, true);
});

test('a missing resource has no etag: an etag condition is false, Not of it true', async () => {
  const missing = state({ lockTokens: [] });
  assert.equal((await evaluateIf(parseIfHeader('(["e1"])'), missing)).ok, false);
  assert.equal((await evaluateIf(parseIfHeader('(Not ["e1"])'), missing)).ok, true);
});
