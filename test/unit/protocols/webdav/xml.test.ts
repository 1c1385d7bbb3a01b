import { test } from 'node:test';
import assert from 'node:assert/strict';
import { child, DAV_NS, elements, parseXml, serialize, textOf } from '../../../../src/protocols/webdav/xml.js';
import { isSftpGoError } from '../../../../src/util/errors.js';

const invalid = (e: unknown) => isSftpGoError(e) && e.kind === 'InvalidInput';

test('prefixes resolve to namespaces; default namespace and xmlns="" work', () => {
  const el = parseXml('<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns="urn:x"><D:prop><a/><b xmlns=""/></D:prop></D:propfind>');
  assert.equal(el.ns, DAV_NS);
  const props = elements(child(el, DAV_NS, 'prop')!);
  assert.deepEqual(props.map((p) => [p.ns, p.local]), [['urn:x', 'a'], ['', 'b']]);
});

test('malformed XML, undeclared prefixes, empty prefix bindings and DOCTYPEs are refused', () => {
  assert.throws(() => parseXml('<a><b></a>'), invalid);
  assert.throws(() => parseXml('<x:a/>'), invalid);
  assert.throws(() => parseXml('<x:a xmlns:x=""/>'), invalid);
  assert.throws(() => parseXml('<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'), invalid);
  assert.throws(() => parseXml('<a>&bogus;</a>'), invalid);
});

test('entities and character references decode once; values survive a round trip', () => {
  const el = parseXml('<p xmlns="urn:t">&lt;&amp;#65;&#x1F600;<i>in</i></p>');
  assert.equal(textOf(el), '<&#65;\u{1F600}in');
  const again = parseXml(serialize(el));
  assert.deepEqual(again, el);
  assert.equal(serialize({ ns: '', local: 'n', attrs: {}, children: ['a&b'] }), '<n xmlns="">a&amp;b</n>');
});
