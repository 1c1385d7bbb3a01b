import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Permissions } from '../../../../src/core/permissions.js';
import { listDate, listLine, mlstFeature, mlsxFacts, modeString, permFact, selectFacts, MLST_FACTS } from '../../../../src/protocols/ftp/listing.js';
import type { FileInfo } from '../../../../src/vfs/types.js';

const file: FileInfo = { name: 'a.txt', type: 'file', size: 1234, mode: 0o644, mtime: new Date('2021-03-04T05:06:07Z') };
const dir: FileInfo = { name: 'sub', type: 'dir', size: 4096, mode: 0o755, mtime: new Date('2021-03-04T05:06:07Z') };

test('ls -l style lines: modes, recent and old dates, symlink targets', () => {
  assert.equal(modeString({ type: 'dir', mode: 0o755 }), 'drwxr-xr-x');
  assert.equal(modeString({ type: 'file', mode: 0o4755 }), '-rwsr-xr-x');
  assert.equal(modeString({ type: 'symlink', mode: 0o1777 }), 'lrwxrwxrwt');
  assert.equal(listDate(new Date('2021-03-04T05:06:07Z'), new Date('2021-04-01T00:00:00Z')), 'Mar  4 05:06');
  assert.equal(listDate(new Date('2019-03-14T05:06:07Z'), new Date('2021-04-01T00:00:00Z')), 'Mar 14  2019');
  assert.equal(listLine(file, new Date('2021-04-01T00:00:00Z')), '-rw-r--r--   1 ftp      ftp          1234 Mar  4 05:06 a.txt');
  assert.match(listLine({ ...file, type: 'symlink' }, new Date(), '/target'), / a\.txt -> \/target$/);
});

test('MLSx facts follow the selection; dirs have no size; perm reflects permissions', () => {
  const all = new Set<string>(MLST_FACTS);
  assert.equal(mlsxFacts(file, all, 'r'), 'type=file;size=1234;modify=20210304050607;perm=r;unix.mode=0644;');
  assert.equal(mlsxFacts(dir, selectFacts('Type;SIZE;unknown;'), ''), 'type=dir;');
  assert.equal(mlstFeature(selectFacts('type;size;')), 'MLST type*;size*;modify;perm;unix.mode;');
  const perms = new Permissions({ permissions: { '/': ['list', 'download'], '/up': ['*'] } });
  assert.equal(permFact(perms, '/', file, '/a.txt'), 'r');
  assert.equal(permFact(perms, '/up', file, '/up/a.txt'), 'adfrw');
  assert.equal(permFact(perms, '/', dir, '/up'), 'celmp');
});
