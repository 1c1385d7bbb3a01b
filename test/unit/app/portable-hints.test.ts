/** The start-up text of portable mode: SFTPGo's summary line and the exact commands to connect. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectCommands, connectHints, shellWord, summaryLine, type PortableSummary } from '../../../src/app/portable/hints.js';

const sftpOnly: PortableSummary = {
  username: 'user', printablePassword: 'aB3dE6gH', publicKeys: [], directory: '/srv/share', permissions: ['list', 'download'],
  sshCommands: ['md5sum', 'sha1sum', 'cd', 'pwd', 'scp'], patterns: [],
  sftp: { port: 50123, address: '' }, ftp: { port: 0, address: '', tls: false }, webdav: { port: 0, address: '', https: false },
};

test('summary line: user, printable password, keys, directory, permissions, commands, patterns, ports', () => {
  assert.equal(summaryLine(sftpOnly),
    'Portable mode ready, user: "user", password: "aB3dE6gH", public keys: [], directory: "/srv/share", ' +
    'permissions: list,download, enabled ssh commands: md5sum,sha1sum,cd,pwd,scp, file patterns filters: none, SFTP port: 50123');
  const all = summaryLine({
    ...sftpOnly, printablePassword: '[redacted]', patterns: [{ path: '/', allowed_patterns: ['*.jpg'], denied_patterns: ['*.exe'] }],
    ftp: { port: 50124, address: '', tls: false }, webdav: { port: 50125, address: '', https: true },
  });
  assert.match(all, /password: "\[redacted\]"/);
  assert.match(all, /file patterns filters: \/ allowed \*\.jpg denied \*\.exe/);
  assert.match(all, /SFTP port: 50123 FTP port: 50124 WebDAV URL: https:\/\/127\.0\.0\.1:50125\/$/);
});

test('commands use the real ports and user, for every enabled service', () => {
  const lines = connectCommands({ ...sftpOnly, ftp: { port: 50124, address: '', tls: false }, webdav: { port: 50125, address: '', https: false } });
  assert.deepEqual(lines, [
    'sftp -P 50123 user@127.0.0.1',
    'scp -P 50123 FILE user@127.0.0.1:/',
    'lftp -p 50124 -u user 127.0.0.1',
    'curl -u user ftp://127.0.0.1:50124/',
    'WebDAV URL: http://127.0.0.1:50125/',
    'curl -u user http://127.0.0.1:50125/',
  ]);
});

test('FTPS and HTTPS commands ask for TLS', () => {
  const lines = connectCommands({ ...sftpOnly, sftp: { port: 0, address: '' }, ftp: { port: 21021, address: '', tls: true }, webdav: { port: 8443, address: '', https: true } });
  assert.deepEqual(lines, [
    "lftp -e 'set ftp:ssl-force true' -p 21021 -u user 127.0.0.1",
    'curl --ssl-reqd -u user ftp://127.0.0.1:21021/',
    'WebDAV URL: https://127.0.0.1:8443/',
    'curl -u user https://127.0.0.1:8443/',
  ]);
});

test('a configured listen address is used as is (IPv6 in brackets); any-address means loopback plus a note', () => {
  const local = connectHints({ ...sftpOnly, sftp: { port: 50123, address: '::1' } });
  assert.match(local, /sftp -P 50123 user@\[::1\]/);
  assert.doesNotMatch(local, /another machine/);
  assert.match(connectHints(sftpOnly), /from another machine, use this machine's address instead of 127\.0\.0\.1/);
  assert.match(connectHints({ ...sftpOnly, sftp: { port: 50123, address: '10.0.0.5' } }), /sftp -P 50123 user@10\.0\.0\.5\n/);
});

test('user names that need quoting are quoted for the shell', () => {
  assert.equal(shellWord('alice'), 'alice');
  assert.equal(shellWord('a b'), "'a b'");
  assert.equal(shellWord("o'neil"), "'o'\\''neil'");
  assert.match(connectHints({ ...sftpOnly, username: 'a b' }), /sftp -P 50123 'a b'@127\.0\.0\.1/);
});
