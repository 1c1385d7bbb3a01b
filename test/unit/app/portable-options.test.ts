import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import {
  ALL_SSH_COMMANDS, absolutePaths, buildPortableUser, expandSshCommands, flagProblems, parsePatterns, portableHomeDir,
  randomPassword, resolvePort,
} from '../../../src/app/portable/options.js';
import { baseFlags } from './portable-fixture.js';


test('port 0 picks a random port in 49152-64151, negative disables, positive is kept', () => {
  for (let i = 0; i < 200; i++) {
    const p = resolvePort(0);
    assert.ok(p >= 49152 && p <= 64151, `port ${p} out of range`);
  }
  assert.equal(resolvePort(0, (min, max) => max - 1), 64151);
  assert.equal(resolvePort(0, (min) => min), 49152);
  assert.equal(resolvePort(-1), 0);
  assert.equal(resolvePort(2222), 2222);
});

test('generated passwords are 8 characters of [A-Za-z0-9] and differ', () => {
  const a = randomPassword();
  assert.match(a, /^[A-Za-z0-9]{8}$/);
  assert.notEqual(a, randomPassword());
});

test('pattern flags: trimmed, lower-cased, allowed and denied of the same dir merged', () => {
  const f = parsePatterns(['/::*.JPG, *.png', ' /sub/ :: *.txt'], ['/::*.zip']);
  assert.deepEqual(f, [
    { path: '/', allowed_patterns: ['*.jpg', '*.png'], denied_patterns: ['*.zip'] },
    { path: '/sub', allowed_patterns: ['*.txt'], denied_patterns: [] },
  ]);
  for (const bad of ['no-separator', '::*.jpg', '/dir::', '/dir:: , ']) {
    assert.throws(() => parsePatterns([bad], []), /expected \/dir::pattern/, bad);
  }
});

test('"*" expands to every supported SSH command; lists and repeats are flattened', () => {
  assert.deepEqual(expandSshCommands(['*']), ALL_SSH_COMMANDS);
  assert.deepEqual(expandSshCommands(['md5sum,cd', 'pwd']), ['md5sum', 'cd', 'pwd']);
});

test('the portable user: default name, "/" permissions, home is the shared dir', () => {
  const u = buildPortableUser({ ...baseFlags, permissions: ['*'], publicKeys: ['ssh-ed25519 AAAA a'] }, 'pw');
  assert.equal(u.username, 'user');
  assert.equal(u.status, 1);
  assert.equal(u.home_dir, '/srv/share');
  assert.equal(u.password, 'pw');
  assert.deepEqual(u.permissions, { '/': ['*'] });
  assert.deepEqual(u.public_keys, ['ssh-ed25519 AAAA a']);
  const d = buildPortableUser({ ...baseFlags, username: 'bob', permissions: ['list', 'download,upload'] }, '');
  assert.equal(d.username, 'bob');
  assert.deepEqual(d.permissions, { '/': ['list', 'download', 'upload'] });
  assert.equal(d.password, undefined);
  assert.deepEqual(d.filters, {});
  const p = buildPortableUser({ ...baseFlags, deniedPatterns: ['/::*.exe'] }, 'pw');
  assert.deepEqual(p.filters, { file_patterns: [{ path: '/', allowed_patterns: [], denied_patterns: ['*.exe'] }] });
});

test('home dir: relative → absolute for local and encrypted storage, the temp dir for remote storage', () => {
  assert.equal(portableHomeDir('share', 0, '/home/me'), '/home/me/share');
  assert.equal(portableHomeDir('', 0, '/home/me'), '/home/me');
  assert.equal(portableHomeDir('.', 4, '/home/me'), '/home/me');
  for (const remote of [1, 2, 3, 5]) assert.equal(portableHomeDir('.', remote, '/home/me'), tmpdir());
  assert.equal(portableHomeDir('/data/x/', 1, '/home/me'), '/data/x', 'absolute values are kept');
});

test('shared dir, TLS and log paths are made absolute against the start directory', () => {
  const f = absolutePaths({ ...baseFlags, ftpdCert: 'c.pem', ftpdKey: '/etc/k.pem', logFilePath: 'logs/p.log' }, '/home/me');
  assert.equal(f.ftpdCert, '/home/me/c.pem');
  assert.equal(f.ftpdKey, '/etc/k.pem');
  assert.equal(f.logFilePath, '/home/me/logs/p.log');
  assert.equal(f.webdavCert, '', 'empty stays empty');
  assert.equal(absolutePaths({ ...baseFlags, directory: 'share' }, '/home/me').directory, '/home/me/share');
});

test('flag problems: port out of range, half a TLS pair', () => {
  assert.deepEqual(flagProblems(baseFlags), []);
  assert.deepEqual(flagProblems({ ...baseFlags, sftpdPort: 70000 }), ['--sftpd-port 70000 is not a TCP port (0..65535, < 0 disables)']);
  assert.deepEqual(flagProblems({ ...baseFlags, ftpdCert: '/c.pem' }), ['--ftpd-cert/--ftpd-key needs both a certificate and a key file']);
  assert.deepEqual(flagProblems({ ...baseFlags, webdavKey: '/k.pem' }), ['--webdav-cert/--webdav-key needs both a certificate and a key file']);
});
