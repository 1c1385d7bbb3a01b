import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAlgorithms, DEFAULT_HOST_KEY_ALGOS } from '../../../../src/protocols/sftp/algorithms.js';
import { enabledCommands, SUPPORTED_SSH_COMMANDS } from '../../../../src/protocols/sftp/commands/registry.js';

test('modern defaults; no SHA-1 host key signatures', () => {
  const a = buildAlgorithms({ kex_algorithms: [], ciphers: [], macs: [] });
  assert.ok(a.kex.includes('curve25519-sha256'));
  assert.ok(a.cipher.includes('aes128-gcm@openssh.com') && a.cipher.includes('chacha20-poly1305@openssh.com'));
  assert.ok(a.hmac.every((m) => m.startsWith('hmac-sha2-')));
  assert.ok(!DEFAULT_HOST_KEY_ALGOS.includes('ssh-rsa'));
});

test('configured lists: group exchange and unknown names dropped with a warning, nothing usable is an error', () => {
  const warnings: string[] = [];
  const a = buildAlgorithms({
    kex_algorithms: ['diffie-hellman-group-exchange-sha256', 'diffie-hellman-group14-sha1'],
    ciphers: ['aes256-ctr', 'made-up-cipher'], macs: ['hmac-sha1'],
  }, (w) => warnings.push(w));
  assert.deepEqual(a.kex, ['diffie-hellman-group14-sha1']);
  assert.deepEqual(a.cipher, ['aes256-ctr']);
  assert.deepEqual(a.hmac, ['hmac-sha1']);
  assert.equal(warnings.length, 2);
  assert.throws(() => buildAlgorithms({ kex_algorithms: [], ciphers: ['nope'], macs: [] }), /no supported cipher/);
});

test('enabled_ssh_commands: "*" enables everything, unknown names are reported', () => {
  const unknown: string[] = [];
  assert.deepEqual([...enabledCommands(['*'], (n) => unknown.push(n))], SUPPORTED_SSH_COMMANDS);
  assert.deepEqual([...enabledCommands(['md5sum', 'bogus', ' pwd '], (n) => unknown.push(n))], ['md5sum', 'pwd']);
  assert.deepEqual(unknown, ['bogus']);
});
