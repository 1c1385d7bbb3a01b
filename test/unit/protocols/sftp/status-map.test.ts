import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_ERROR_KINDS, SftpGoError, notSupported, permissionDenied, quotaExceeded } from '../../../../src/util/errors.js';
import { Status } from '../../../../src/protocols/sftp/constants.js';
import { SFTP_STATUS_BY_KIND, commandErrorText, sftpStatusOf } from '../../../../src/protocols/sftp/status-map.js';

test('every core error kind maps to an SFTP status', () => {
  for (const kind of ALL_ERROR_KINDS) {
    assert.ok(Object.values(Status).includes(SFTP_STATUS_BY_KIND[kind]), kind);
    assert.equal(sftpStatusOf(new SftpGoError(kind, `msg ${kind}`)).code, SFTP_STATUS_BY_KIND[kind]);
  }
});

test('INVENTORY §4.17: permission, not found, unsupported, quota and other errors', () => {
  assert.deepEqual(sftpStatusOf(permissionDenied()), { code: Status.PERMISSION_DENIED, message: 'permission denied' });
  assert.equal(sftpStatusOf(Object.assign(new Error('x'), { code: 'ENOENT' })).code, Status.NO_SUCH_FILE);
  assert.equal(sftpStatusOf(notSupported('symlinks')).code, Status.OP_UNSUPPORTED);
  assert.equal(sftpStatusOf(quotaExceeded()).code, Status.FAILURE);
  assert.deepEqual(sftpStatusOf(new Error('/srv/secret/path exploded')), { code: Status.FAILURE, message: 'failure' }, 'no host path leaks');
});

test('command error texts', () => {
  assert.equal(commandErrorText(permissionDenied('long reason')), 'permission denied');
  assert.equal(commandErrorText(quotaExceeded()), 'denying write due to space limit');
  assert.equal(commandErrorText(Object.assign(new Error('x'), { code: 'ENOENT' })), 'no such file or directory');
  assert.equal(commandErrorText(notSupported('copying links')), 'not supported: copying links');
});
