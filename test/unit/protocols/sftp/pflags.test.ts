import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants as fsc } from 'node:fs';
import { OpenFlag as F } from '../../../../src/protocols/sftp/constants.js';
import { osOpenFlags, planOpen } from '../../../../src/protocols/sftp/pflags.js';

test('read-only opens are downloads', () => {
  assert.deepEqual(planOpen(F.READ), { kind: 'download' });
});

test('write opens: TRUNC truncates, APPEND appends, neither resumes (what scp and reput send)', () => {
  const t = planOpen(F.WRITE | F.CREAT | F.TRUNC);
  const a = planOpen(F.WRITE | F.APPEND);
  const r = planOpen(F.WRITE | F.CREAT);
  const x = planOpen(F.READ | F.WRITE | F.CREAT | F.EXCL);
  assert.ok(t.kind === 'upload' && a.kind === 'upload' && r.kind === 'upload' && x.kind === 'upload');
  assert.equal(t.mode, 'truncate');
  assert.equal(a.mode, 'append');
  assert.equal(r.mode, 'resume');
  assert.equal(x.read, true);
  assert.equal(x.exclusive, true);
  assert.equal(osOpenFlags(F.WRITE | F.CREAT | F.TRUNC), fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC);
  assert.equal(osOpenFlags(F.READ | F.WRITE | F.APPEND), fsc.O_RDWR | fsc.O_APPEND);
});
