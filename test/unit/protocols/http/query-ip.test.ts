import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePagination, enumInt } from '../../../../src/protocols/http/query.js';
import { ipInList, realIp, normalizeIp } from '../../../../src/protocols/http/ip.js';

test('pagination defaults and limits', () => {
  assert.deepEqual(parsePagination({}), { limit: 100, offset: 0, order: 'ASC' });
  assert.deepEqual(parsePagination({ limit: '500', offset: '3', order: 'DESC' }), { limit: 500, offset: 3, order: 'DESC' });
  for (const q of [{ limit: '0' }, { limit: '501' }, { offset: '-1' }, { order: 'asc' }, { limit: '1.5' }]) {
    assert.throws(() => parsePagination(q), /validation error/);
  }
  assert.throws(() => parsePagination({ limit: '0', order: 'x' }), /limit.*order/);
  assert.equal(enumInt({ mode: '2' }, 'mode', [0, 1, 2] as const, 0), 2);
  assert.throws(() => enumInt({ mode: '3' }, 'mode', [0, 1, 2] as const, 0), /mode/);
});

test('CIDR allow lists and trusted proxy headers', () => {
  assert.ok(ipInList('192.0.2.7', ['192.0.2.0/24']));
  assert.ok(ipInList('::ffff:192.0.2.7', ['192.0.2.0/24']));
  assert.ok(!ipInList('192.0.3.7', ['192.0.2.0/24', '2001:db8::/32']));
  assert.ok(ipInList('2001:db8::1', ['2001:db8::/32']));
  assert.ok(ipInList('10.0.0.1', ['10.0.0.1']));
  assert.equal(normalizeIp('::ffff:127.0.0.1'), '127.0.0.1');
  const headers = { 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'x-real-ip': undefined };
  assert.equal(realIp('10.0.0.1', headers, []), '10.0.0.1', 'untrusted peer: headers ignored');
  assert.equal(realIp('10.0.0.1', headers, ['10.0.0.0/8']), '203.0.113.9');
  assert.equal(realIp('10.0.0.1', { 'x-real-ip': '198.51.100.2', 'x-forwarded-for': '203.0.113.9' }, ['10.0.0.0/8']), '198.51.100.2');
});
