import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_LOCK_TIMEOUT_S, DEFAULT_LOCK_TIMEOUT_S, parseDepth, parseDestination, parseOverwrite, parseRange, parseTimeout,
} from '../../../../src/protocols/webdav/headers.js';
import { isSftpGoError } from '../../../../src/util/errors.js';

const invalid = (e: unknown) => isSftpGoError(e) && e.kind === 'InvalidInput';

test('Depth: 0, 1, infinity, fallback when absent, 400 otherwise', () => {
  assert.equal(parseDepth('0', 1), 0);
  assert.equal(parseDepth(' 1 ', 0), 1);
  assert.equal(parseDepth('Infinity', 0), 'infinity');
  assert.equal(parseDepth(undefined, 'infinity'), 'infinity');
  assert.throws(() => parseDepth('2', 0), invalid);
});

test('Overwrite defaults to T; anything but T/F is refused', () => {
  assert.equal(parseOverwrite(undefined), true);
  assert.equal(parseOverwrite('F'), false);
  assert.equal(parseOverwrite('t'), true);
  assert.throws(() => parseOverwrite('yes'), invalid);
});

test('Destination: absolute URI of this host or absolute path; another host is refused', () => {
  assert.equal(parseDestination('http://h:8080/a%20b/c', 'h:8080'), '/a%20b/c');
  assert.equal(parseDestination('/x/y?q=1', 'h'), '/x/y');
  assert.throws(() => parseDestination('http://other/a', 'h'), invalid);
  assert.throws(() => parseDestination(undefined, 'h'), invalid);
  assert.throws(() => parseDestination('not a uri', 'h'), invalid);
});

test('Timeout: first usable value, capped; Infinite becomes the cap', () => {
  assert.equal(parseTimeout(undefined), DEFAULT_LOCK_TIMEOUT_S);
  assert.equal(parseTimeout('Second-60'), 60);
  assert.equal(parseTimeout('Infinite, Second-60'), MAX_LOCK_TIMEOUT_S);
  assert.equal(parseTimeout('Second-99999999999'), MAX_LOCK_TIMEOUT_S);
  assert.throws(() => parseTimeout('soon'), invalid);
});

test('Range: one range served, suffix and open ranges, unsatisfiable past the end', () => {
  assert.deepEqual(parseRange('bytes=0-9', 100), { kind: 'range', range: { start: 0, end: 10 } });
  assert.deepEqual(parseRange('bytes=90-', 100), { kind: 'range', range: { start: 90, end: 100 } });
  assert.deepEqual(parseRange('bytes=-5', 100), { kind: 'range', range: { start: 95, end: 100 } });
  assert.deepEqual(parseRange('bytes=50-500', 100), { kind: 'range', range: { start: 50, end: 100 } });
  assert.deepEqual(parseRange('bytes=100-', 100), { kind: 'unsatisfiable' });
  assert.deepEqual(parseRange('bytes=0-1,5-6', 100), { kind: 'none' });
  assert.deepEqual(parseRange('items=0-1', 100), { kind: 'none' });
  assert.deepEqual(parseRange(undefined, 100), { kind: 'none' });
  assert.throws(() => parseRange('bytes=9-1', 100), invalid);
  assert.throws(() => parseRange('bytes=abc', 100), invalid);
});
