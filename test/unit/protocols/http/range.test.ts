import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange } from '../../../../src/protocols/http/range.js';

test('single byte ranges', () => {
  assert.deepEqual(parseRange('bytes=0-4', 10), { start: 0, end: 4 });
  assert.deepEqual(parseRange('bytes=5-', 10), { start: 5, end: 9 });
  assert.deepEqual(parseRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.deepEqual(parseRange('bytes=8-100', 10), { start: 8, end: 9 });
  assert.deepEqual(parseRange('bytes=-100', 10), { start: 0, end: 9 });
});

test('unsatisfiable and ignored ranges', () => {
  assert.ok(parseRange('bytes=10-', 10) && 'unsatisfiable' in parseRange('bytes=10-', 10)!);
  assert.ok('unsatisfiable' in parseRange('bytes=5-2', 10)!);
  assert.ok('unsatisfiable' in parseRange('bytes=-0', 10)!);
  assert.equal(parseRange('bytes=0-1,3-4', 10), null);
  assert.equal(parseRange('items=0-1', 10), null);
  assert.equal(parseRange('bytes=-', 10), null);
});
