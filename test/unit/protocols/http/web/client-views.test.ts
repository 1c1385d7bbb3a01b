/**
 * Web client page modules without a server: the listing escapes hostile file names in text,
 * attributes and links; breadcrumbs link every ancestor; the zip selection accepts our JSON
 * array or repeated fields; listdir entries carry encoded URLs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VirtualFileInfo } from '../../../../../src/core/types.js';
import { breadcrumbs, listEntryJson, listingBody, selectedFiles } from '../../../../../src/protocols/http/web/client/files.js';
import { webPaths } from '../../../../../src/protocols/http/web/paths.js';

const paths = webPaths('');
const mtime = new Date('2024-05-06T07:08:09Z');
const entry = (name: string, type: 'file' | 'dir', size = 0): VirtualFileInfo => ({ name, type, size, mode: 0o644, mtime } as VirtualFileInfo);

test('listing: hostile names are escaped everywhere, dirs first, links and sizes right', () => {
  const evil = `"><img src=x onerror=alert(1)>.txt`;
  const out = listingBody(paths, '/docs', [entry(evil, 'file', 2048), entry('b-dir', 'dir'), entry('a.txt', 'file', 5)]).value;
  assert.ok(!out.includes('<img src=x'), 'hostile name rendered as markup');
  assert.ok(out.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.txt'));
  assert.ok(out.includes(`href="/web/client/files?path=${encodeURIComponent(`/docs/${evil}`)}"`));
  assert.ok(out.indexOf('b-dir/') < out.indexOf('a.txt'), 'directories come first');
  assert.ok(out.includes('2.0 KB'));
  assert.ok(out.includes('2024-05-06 07:08:09'));
  assert.ok(out.includes('<input type="hidden" name="path" value="/docs">'));
  assert.ok(listingBody(paths, '/', []).value.includes('This folder is empty'));
});

test('breadcrumbs: Home, then each ancestor linked, the current dir not', () => {
  const out = breadcrumbs(paths, '/a/<b>/c').value;
  assert.ok(out.includes('<a href="/web/client/files?path=%2F">Home</a>'));
  assert.ok(out.includes(`<a href="/web/client/files?path=${encodeURIComponent('/a/<b>')}">&lt;b&gt;</a>`));
  assert.ok(out.endsWith('<strong>c</strong></div>'));
});

test('zip selection: one JSON array, repeated fields, a "[" name taken as is; none is an error', () => {
  assert.deepEqual(selectedFiles({ files: '["a","b c"]' }), ['a', 'b c']);
  assert.deepEqual(selectedFiles({ files: ['a', 'b'] }), ['a', 'b']);
  assert.deepEqual(selectedFiles({ files: '[draft' }), ['[draft']);
  assert.throws(() => selectedFiles({}), /files: select at least one/);
  assert.throws(() => selectedFiles({ files: '' }), /files: select at least one/);
});

test('listdir JSON: type 1 for directories, 2 for files, with a files URL', () => {
  assert.deepEqual(listEntryJson(paths, '/d', entry('x y', 'file', 10)), { type: '2', name: 'x y', size: '10 B', last_modified: '2024-05-06 07:08:09', url: '/web/client/files?path=%2Fd%2Fx%20y' });
  assert.equal(listEntryJson(paths, '/', entry('sub', 'dir')).type, '1');
});
