import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_ERROR_KINDS, ErrorKind, SftpGoError } from '../../../../src/util/errors.js';
import { clientMessage, DavError, STATUS_BY_KIND, statusFor, statusLine } from '../../../../src/protocols/webdav/status-map.js';

test('every core error kind maps to an HTTP error status', () => {
  assert.deepEqual(Object.keys(STATUS_BY_KIND).sort(), [...ALL_ERROR_KINDS].sort());
  for (const kind of ALL_ERROR_KINDS) {
    const status = statusFor(new SftpGoError(kind, `msg ${kind}`));
    assert.ok(Number.isInteger(status) && status >= 400 && status < 600, `${kind} -> ${status}`);
    assert.equal(clientMessage(new SftpGoError(kind, `msg ${kind}`)), `msg ${kind}`);
  }
});

test('the WebDAV meaning of the kinds: 403 denied, 404 missing, 507 quota, 401 auth, 503 unavailable', () => {
  assert.equal(STATUS_BY_KIND[ErrorKind.PermissionDenied], 403);
  assert.equal(STATUS_BY_KIND[ErrorKind.NotFound], 404);
  assert.equal(STATUS_BY_KIND[ErrorKind.QuotaExceeded], 507);
  assert.equal(STATUS_BY_KIND[ErrorKind.AuthFailed], 401);
  assert.equal(STATUS_BY_KIND[ErrorKind.Unavailable], 503);
  assert.equal(STATUS_BY_KIND[ErrorKind.InvalidInput], 400);
});

test('DavError keeps its status; system errors are classified; raw errors never leak their text', () => {
  assert.equal(statusFor(new DavError(423, 'locked', 'lock-token-submitted')), 423);
  assert.equal(statusFor(Object.assign(new Error('x'), { code: 'ENOENT' })), 404);
  assert.equal(statusFor(Object.assign(new Error('x'), { code: 'EACCES' })), 403);
  assert.equal(statusFor(new Error('/srv/secret/path exploded')), 500);
  assert.doesNotMatch(clientMessage(new Error('/srv/secret/path exploded')), /secret/);
  assert.equal(statusLine(207), 'HTTP/1.1 207 Multi-Status');
});
