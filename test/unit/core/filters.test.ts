import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, FileFilters } from '../../../src/core/filters.js';

test('filters: Go filepath.Match semantics', () => {
  assert.equal(compileGlob('*.jpg')('a.jpg'), true);
  assert.equal(compileGlob('*.jpg')('.jpg'), true, 'leading dot matches *');
  assert.equal(compileGlob('*')('a/b'), false, '* does not cross /');
  assert.equal(compileGlob('?.txt')('ab.txt'), false);
  assert.equal(compileGlob('[a-c]x')('bx'), true);
  assert.equal(compileGlob('[^a-c]x')('bx'), false);
  assert.equal(compileGlob('{a,b}')('a'), false, 'no brace expansion');
  assert.equal(compileGlob('**')('a'), true);
});

test('filters: closest ancestor of the parent, denied first, case-insensitive', () => {
  const f = new FileFilters({
    filters: {
      file_patterns: [
        { path: '/', denied_patterns: ['*.exe'] },
        { path: '/photos', allowed_patterns: ['*.jpg', '*.png'], denied_patterns: ['secret*'] },
        { path: '/photos/raw', allowed_patterns: ['*.cr2'] },
      ],
    },
  });
  assert.equal(f.isAllowed('/a.EXE'), false);
  assert.equal(f.isAllowed('/a.txt'), true);
  assert.equal(f.isAllowed('/photos/A.JPG'), true);
  assert.equal(f.isAllowed('/photos/a.exe'), false);
  assert.equal(f.isAllowed('/photos/secret.jpg'), false);
  assert.equal(f.isAllowed('/photos/sub/x.png'), true);
  assert.equal(f.isAllowed('/photos/raw/x.jpg'), false, 'no merging');
  assert.equal(f.isAllowed('/photos/raw/x.CR2'), true);
  assert.equal(f.isAllowed('/photos'), true, 'the dir itself is filtered by its parent');
  assert.equal(f.hasFiltersAtOrBelow('/photos'), true);
  assert.equal(f.hasFiltersAtOrBelow('/other'), false);
});
