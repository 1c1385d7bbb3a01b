import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_ERROR_KINDS, ErrorKind, SftpGoError } from '../../../../src/util/errors.js';
import { formatReply, FTP_REPLY_BY_KIND, ftpErrorReply, quotePath, Reply } from '../../../../src/protocols/ftp/replies.js';

/** RFC 959 §4.2: three digits, first 1-5, second 0-5. */
const valid = (code: number) => code >= 100 && code <= 599 && Math.floor(code / 10) % 10 <= 5;

test('every error kind maps to a valid FTP reply code with the message', () => {
  assert.deepEqual(Object.keys(FTP_REPLY_BY_KIND).sort(), [...ALL_ERROR_KINDS].sort());
  for (const kind of ALL_ERROR_KINDS) {
    const { code, message } = ftpErrorReply(new SftpGoError(kind, `msg ${kind}`));
    assert.ok(valid(code) && code >= 400, `${kind} -> ${code}`);
    assert.equal(code, FTP_REPLY_BY_KIND[kind]);
    assert.equal(message, `msg ${kind}`);
  }
  for (const code of Object.values(Reply)) assert.ok(valid(code), `reply ${code}`);
});

test('documented codes: 550 not found/denied, 552 quota, 530 auth, 421 unavailable, 426 aborted', () => {
  assert.equal(FTP_REPLY_BY_KIND[ErrorKind.NotFound], 550);
  assert.equal(FTP_REPLY_BY_KIND[ErrorKind.PermissionDenied], 550);
  assert.equal(FTP_REPLY_BY_KIND[ErrorKind.QuotaExceeded], 552);
  assert.equal(FTP_REPLY_BY_KIND[ErrorKind.AuthFailed], 530);
  assert.equal(FTP_REPLY_BY_KIND[ErrorKind.Unavailable], 421);
  assert.equal(FTP_REPLY_BY_KIND[ErrorKind.Aborted], 426);
});

test('system errors are classified without leaking their text', () => {
  const r = ftpErrorReply(Object.assign(new Error('ENOENT: /srv/secret/home/x'), { code: 'ENOENT' }));
  assert.deepEqual(r, { code: 550, message: 'no such file or directory' });
  assert.deepEqual(ftpErrorReply(new Error('/srv/secret')), { code: 550, message: 'failure' });
});

test('replies: single and multi-line, CR/LF removed, quote doubling', () => {
  assert.equal(formatReply(200, 'ok'), '200 ok\r\n');
  assert.equal(formatReply(211, ['Features:', ' EPSV', 'UTF8', 'End']), '211-Features:\r\n EPSV\r\n UTF8\r\n211 End\r\n');
  assert.equal(formatReply(550, 'bad\r\n226 fake'), '550 bad 226 fake\r\n');
  assert.equal(quotePath('/a "b"'), '"/a ""b"""');
});
