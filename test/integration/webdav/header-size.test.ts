/**
 * Request header size on the WebDAV and HTTP servers (listener.ts MAX_HEADER_BYTES, SFTPGo's 64 KiB
 * MaxHeaderBytes): a 40 KiB header (a big lock-token `If` list or cookie jar, over Node's 16 KiB
 * default) is served; a request over the limit gets 431 and the server keeps serving.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { MAX_HEADER_BYTES } from '../../../src/protocols/http/listener.js';
import { startHarness } from '../http/harness.js';
import { curl, startDav } from './harness.js';

const KIB40 = 'a'.repeat(40 * 1024);

/** Sends one raw request with a header of `size` bytes; resolves with the status line (or '' when closed without one). */
function rawRequest(url: string, size: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => {
      s.end(`GET / HTTP/1.1\r\nHost: ${hostname}\r\nX-Pad: ${'b'.repeat(size)}\r\n\r\n`);
    });
    let data = '';
    s.on('data', (d: Buffer) => { data += d.toString('latin1'); });
    s.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(data.split('\r\n')[0] ?? '') : reject(err)));
    s.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
  });
}

test('WebDAV: 40 KiB If and Cookie headers are served; over the limit 431, then still serving', async () => {
  const h = await startDav();
  try {
    const cookie = await curl(['-u', 'alice:secret', '-X', 'PROPFIND', '-H', 'Depth: 0', '-H', `Cookie: big=${KIB40}`, h.url]);
    assert.equal(cookie.status, 207);
    // An If header listing many (unknown) lock tokens: a real precondition result, not a transport error.
    const tokens = Array.from({ length: 800 }, (_, i) => `(<opaquelocktoken:${String(i).padStart(8, '0')}-0000-0000-0000-000000000000>)`).join(' ');
    assert.ok(tokens.length > 40 * 1024);
    const put = await curl(['-u', 'alice:secret', '-T', '-', '-H', `If: ${tokens}`, h.at('f.txt')]);
    assert.equal(put.status, 412);
    assert.match(await rawRequest(h.url, MAX_HEADER_BYTES + 1024), /^HTTP\/1\.1 431 /);
    assert.equal((await curl(['-u', 'alice:secret', '-X', 'PROPFIND', '-H', 'Depth: 0', h.url])).status, 207);
  } finally {
    await h.close();
  }
});

test('HTTP: a 40 KiB cookie reaches the REST API; over the limit 431, then still serving', async () => {
  const h = await startHarness();
  try {
    const r = await curl(['-u', 'admin:password', '-H', `Cookie: big=${KIB40}`, `${h.base}/api/v2/token`]);
    assert.equal(r.status, 200);
    assert.match(r.body, /access_token/);
    assert.match(await rawRequest(h.base, MAX_HEADER_BYTES + 1024), /^HTTP\/1\.1 431 /);
    assert.equal((await curl([`${h.base}/healthz`])).status, 200);
  } finally {
    await h.close();
  }
});
