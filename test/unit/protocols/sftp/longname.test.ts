import { test } from 'node:test';
import assert from 'node:assert/strict';
import { longName, lsDate, modeString } from '../../../../src/protocols/sftp/longname.js';

const base = { name: 'f', size: 1234, mtime: new Date('2024-03-05T07:08:00Z'), uid: 1000, gid: 100 };

test('mode strings as ls prints them', () => {
  assert.equal(modeString({ ...base, type: 'file', mode: 0o644 }), '-rw-r--r--');
  assert.equal(modeString({ ...base, type: 'dir', mode: 0o1777 }), 'drwxrwxrwt');
  assert.equal(modeString({ ...base, type: 'file', mode: 0o4754 }), '-rwsr-xr--');
  assert.equal(modeString({ ...base, type: 'file', mode: 0o6644 }), '-rwSr-Sr--');
  assert.equal(modeString({ ...base, type: 'symlink', mode: 0o777 }), 'lrwxrwxrwx');
});

test('recent dates show the time, old ones the year', () => {
  const now = new Date('2024-04-01T00:00:00Z');
  assert.equal(lsDate(base.mtime, now), 'Mar  5 07:08');
  assert.equal(lsDate(new Date('2021-12-25T10:00:00Z'), now), 'Dec 25  2021');
});

test('the whole long name', () => {
  assert.equal(longName({ ...base, type: 'file', mode: 0o640 }, new Date('2024-04-01T00:00:00Z')), '-rw-r-----    1 1000     100          1234 Mar  5 07:08 f');
});
