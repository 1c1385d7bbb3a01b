import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_ERROR_KINDS, SftpGoError, ErrorKind } from '../../../../src/util/errors.js';
import { STATUS_BY_KIND, toApiError, HttpError } from '../../../../src/protocols/http/errors.js';

test('every error kind maps to an HTTP error status', () => {
  for (const kind of ALL_ERROR_KINDS) {
    const status = STATUS_BY_KIND[kind];
    assert.ok(Number.isInteger(status) && status >= 400 && status < 600, `${kind} -> ${status}`);
    const { status: s, body } = toApiError(new SftpGoError(kind, `msg ${kind}`));
    assert.equal(s, status);
    assert.equal(body.error, `msg ${kind}`);
    assert.equal(typeof body.message, 'string');
  }
  assert.deepEqual(Object.keys(STATUS_BY_KIND).sort(), [...ALL_ERROR_KINDS].sort());
});

test('documented statuses: validation 400, not found 404, disabled 403, auth 401, conflict 409', () => {
  assert.equal(STATUS_BY_KIND[ErrorKind.InvalidInput], 400);
  assert.equal(STATUS_BY_KIND[ErrorKind.NotFound], 404);
  assert.equal(STATUS_BY_KIND[ErrorKind.NotSupported], 403);
  assert.equal(STATUS_BY_KIND[ErrorKind.AuthFailed], 401);
  assert.equal(STATUS_BY_KIND[ErrorKind.Conflict], 409);
});

test('unexpected errors are 500 without internals; system errors are classified; HttpError keeps its status', () => {
  const r = toApiError(new Error('secret stack detail'));
  assert.equal(r.status, 500);
  assert.doesNotMatch(r.body.error ?? '', /secret/);
  assert.equal(toApiError(Object.assign(new Error('x'), { code: 'ENOENT' })).status, 404);
  assert.deepEqual(toApiError(new HttpError(413, 'too big')), { status: 413, body: { error: 'too big', message: 'Payload Too Large' } });
});
