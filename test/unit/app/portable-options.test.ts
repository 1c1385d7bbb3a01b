import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALL_SSH_COMMANDS, buildPortableUser, expandSshCommands, parsePatterns, randomPassword, resolvePort, type PortableFlags,
} from '../../../src/app/portable/options.js';

const base: PortableFlags = {
  directory: '/srv/share', username: '', password: '', publicKeys: [], permissions: ['list,download'],
  allowedPatterns: [], deniedPatterns: [], sftpdPort: 0, ftpdPort: -1, webdavPort: -1, sshCommands: ['md5sum,sha1sum,cd,pwd,scp'],
  ftpdCert: '', ftpdKey: '', webdavCert: '', webdavKey: '', filesystem: { provider: 0 },
};

test('port 0 picks a random port in 49152-64151, negative disables, positive is kept', () => {
  for (let i = 0; i < 200; i++) {
    const p = resolvePort(0);
    assert.ok(p >= 49152 && p <= 64151, `port ${p} out of range`);
  }
  assert.equal(resolvePort(0, (min, max) => max - 1), 64151);
  assert.equal(resolvePort(-1), 0);
  assert.equal(resolvePort(2222), 2222);
});

test('generated passwords are 8 characters of [A-Za-z0-9] and differ', () => {
  const a = randomPassword();
  assert.match(a, /^[A-Za-z0-9]{8}$/);
  assert.notEqual(a, randomPassword());
});

test('pattern flags merge allowed and denied lists of the same dir', () => {
  const f = parsePatterns(['/::*.JPG,*.png', '/sub::*.txt'], ['/::*.zip']);
  assert.deepEqual(f, [
    { path: '/', allowed_patterns: ['*.jpg', '*.png'], denied_patterns: ['*.zip'] },
    { path: '/sub', allowed_patterns: ['*.txt'], denied_patterns: [] },
  ]);
  assert.throws(() => parsePatterns(['no-separator'], []), /expected \/dir::pattern/);
});

test('"*" expands to every supported SSH command', () => {
  assert.deepEqual(expandSshCommands(['*']), ALL_SSH_COMMANDS);
  assert.deepEqual(expandSshCommands(['md5sum,cd', 'pwd']), ['md5sum', 'cd', 'pwd']);
});

test('the portable user: default name, "/" permissions, home is the shared dir', () => {
  const u = buildPortableUser({ ...base, permissions: ['*'], publicKeys: ['ssh-ed25519 AAAA a'] }, 'pw');
  assert.equal(u.username, 'user');
  assert.equal(u.home_dir, '/srv/share');
  assert.deepEqual(u.permissions, { '/': ['*'] });
  assert.deepEqual(u.public_keys, ['ssh-ed25519 AAAA a']);
  const d = buildPortableUser({ ...base, username: 'bob' }, '');
  assert.deepEqual(d.permissions, { '/': ['list', 'download'] });
  assert.equal(d.password, undefined);
});
