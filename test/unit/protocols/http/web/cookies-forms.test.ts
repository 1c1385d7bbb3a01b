/**
 * The login cookie's attributes, cookie reading, the Secure decision (TLS or a trusted proxy's
 * X-Forwarded-Proto), multipart parsing of the restore upload, form field readers, and web paths
 * under web_root.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context } from 'koa';
import { isSecureRequest, jwtCookie, readCookie } from '../../../../../src/protocols/http/web/cookies.js';
import { FormReader, parseMultipart } from '../../../../../src/protocols/http/web/forms.js';
import { webPaths } from '../../../../../src/protocols/http/web/paths.js';

test('jwt cookie: HttpOnly, SameSite=Strict, path per UI, 15 min, Secure only when asked; delete expires it', () => {
  assert.equal(jwtCookie('T', '/web/admin', 900, false), 'jwt=T; Path=/web/admin; Max-Age=900; HttpOnly; SameSite=Strict');
  assert.match(jwtCookie('T', '/web/client', 900, true), /; Secure$/);
  assert.match(jwtCookie('', '/web/admin', 0, false), /Max-Age=0; HttpOnly; SameSite=Strict; Expires=Thu, 01 Jan 1970/);
});

function fakeCtx(headers: Record<string, string>, peer: string, encrypted = false): Context {
  return { get: (n: string) => headers[n.toLowerCase()] ?? '', req: { socket: { remoteAddress: peer, encrypted } } } as unknown as Context;
}

test('readCookie finds one cookie among several and decodes it', () => {
  const ctx = fakeCtx({ cookie: 'a=1; jwt=x%20y; jwtx=no' }, '127.0.0.1');
  assert.equal(readCookie(ctx, 'jwt'), 'x y');
  assert.equal(readCookie(ctx, 'b'), undefined);
});

test('Secure: TLS sockets, or X-Forwarded-Proto https from a proxy_allowed peer only', () => {
  assert.equal(isSecureRequest(fakeCtx({}, '127.0.0.1', true), []), true);
  assert.equal(isSecureRequest(fakeCtx({ 'x-forwarded-proto': 'https' }, '10.0.0.5'), []), false);
  assert.equal(isSecureRequest(fakeCtx({ 'x-forwarded-proto': 'https' }, '10.0.0.5'), ['10.0.0.0/8']), true);
  assert.equal(isSecureRequest(fakeCtx({ 'x-forwarded-proto': 'https' }, '192.168.1.1'), ['10.0.0.0/8']), false);
  assert.equal(isSecureRequest(fakeCtx({ 'x-forwarded-proto': 'http' }, '10.0.0.5'), ['10.0.0.0/8']), false);
});

test('multipart: text fields and a binary file part with CRLFs inside are read exactly', () => {
  const data = Buffer.from([0, 13, 10, 45, 45, 255, 10]);
  const b = 'XyZ';
  const body = Buffer.concat([
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="mode"\r\n\r\n2\r\n`),
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="backup_file"; filename="dump.json"\r\nContent-Type: application/json\r\n\r\n`),
    data, Buffer.from(`\r\n--${b}--\r\n`),
  ]);
  const form = parseMultipart(body, `multipart/form-data; boundary=${b}`);
  assert.equal(form.fields.get('mode'), '2');
  assert.equal(form.files.get('backup_file')?.filename, 'dump.json');
  assert.deepEqual(form.files.get('backup_file')?.data, data);
  assert.throws(() => parseMultipart(body, 'multipart/form-data'), /boundary/);
  assert.throws(() => parseMultipart(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx`), `multipart/form-data; boundary=${b}`), /unterminated/);
});

test('FormReader: integers, lists and lines; a bad number is a problem naming the field', () => {
  const f = new FormReader(new URLSearchParams('q=12&bad=1x&neg=-3&l=a,%20b,,c&t=one%0D%0A%0D%0A%20two%20&c=1'));
  assert.equal(f.int('q'), 12);
  assert.equal(f.int('missing', 5), 5);
  assert.equal(f.int('bad'), 0);
  assert.equal(f.int('neg'), 0);
  assert.equal(f.int('neg', 0, -1), 0);
  assert.deepEqual(f.list('l'), ['a', 'b', 'c']);
  assert.deepEqual(f.lines('t'), ['one', 'two']);
  assert.equal(f.bool('c'), true);
  assert.equal(f.bool('nope'), false);
  assert.deepEqual(f.problems.map((p) => p.field), ['bad', 'neg', 'neg']);
});

test('web paths: default root and a web_root prefix; a non-absolute web_root is ignored', () => {
  assert.equal(webPaths('').admin.login, '/web/admin/login');
  assert.equal(webPaths('').root, '/');
  const p = webPaths('/sftpgo');
  assert.equal(p.root, '/sftpgo');
  assert.equal(p.static, '/sftpgo/static');
  assert.equal(p.client.downloadZip, '/sftpgo/web/client/downloadzip');
  assert.equal(webPaths('relative').admin.base, '/web/admin');
});
