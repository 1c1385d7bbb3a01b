/**
 * The escaping template: interpolations are escaped in text and attributes, SafeHtml nests
 * without double escaping, and arrays join.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html } from '../../../../../src/protocols/http/web/html.js';

const HOSTILE = `"><script>alert('x')</script><img src=x onerror=\`1\`>&amp;`;

test('escapeHtml escapes every markup-significant character', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&\``), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;');
});

test('html escapes interpolated text and attribute values, keeps the literal markup', () => {
  const out = html`<p title="${HOSTILE}">${HOSTILE}</p>`.value;
  assert.ok(!out.includes('<script>'));
  assert.ok(!out.includes('"><'));
  assert.equal(out.match(/<p title="/g)?.length, 1);
  assert.ok(out.startsWith('<p title="&quot;&gt;&lt;script&gt;'));
  assert.ok(out.includes('&amp;amp;'), 'an entity in input is shown as text, not decoded');
});

test('nested html is not escaped twice; arrays join; null/false/undefined render nothing', () => {
  const items = ['<b>', 'ok'].map((s) => html`<li>${s}</li>`);
  const out = html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value;
  assert.equal(out, '<ul><li>&lt;b&gt;</li><li>ok</li></ul>0');
});

