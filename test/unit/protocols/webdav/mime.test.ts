import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MIME_TYPE, MimeTypes } from '../../../../src/protocols/webdav/mime.js';

test('types by extension, cached up to max_size, octet-stream when unknown', () => {
  const m = new MimeTypes(true, 2);
  assert.equal(m.typeOf('a.TXT'), 'text/plain');
  assert.equal(m.typeOf('b.json'), 'application/json');
  assert.equal(m.typeOf('c.png'), 'image/png');
  assert.equal(m.cachedCount, 2);
  assert.equal(m.typeOf('noext'), DEFAULT_MIME_TYPE);
  assert.equal(m.typeOf('x.unknownext'), DEFAULT_MIME_TYPE);
  const off = new MimeTypes(false, 10);
  assert.equal(off.typeOf('a.html'), 'text/html');
  assert.equal(off.cachedCount, 0);
});
