/**
 * SSH logins with the real OpenSSH clients: password, public key, keyboard-interactive through its
 * hook, the two-step publickey+password and publickey+keyboard-interactive logins, user
 * certificates signed by a trusted CA, max_auth_tries, password_authentication=false, the
 * identification banner and the login banner file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { needsBinaries } from '../../helpers/require.js';
import { run, sftpBatch, sshExec, sshOptions, startServer, writeScript, type Harness } from './harness.js';

const clients = needsBinaries('ssh', 'sftp', 'sshpass', 'ssh-keygen');
let h: Harness;
let caPub: string;
let tmp = '';

/** Keyboard-interactive hook: one question checked as the user's password (check_password 1). */
const KBD_HOOK = `#!/bin/sh
echo '{"instruction":"two words","questions":["Password: "],"echos":[false],"check_password":1}'
read ans
if [ "$ans" = "OK" ]; then echo '{"auth_result":1}'; else echo '{"auth_result":-1}'; fi
`;

before(async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const os = await import('node:os');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-auth-'));
  const hook = await writeScript(path.join(tmp, 'kbd.sh'), KBD_HOOK);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(tmp, 'ca')]);
  caPub = path.join(tmp, 'ca');
  const banner = path.join(tmp, 'banner.txt');
  await writeFile(banner, 'Welcome to the test server\n');
  h = await startServer({
    sftpd: {
      max_auth_tries: 2, keyboard_interactive_auth_hook: hook, trusted_user_ca_keys: [`${caPub}.pub`],
      login_banner_file: banner, banner: 'SFTPGo_test',
    },
  });
});

after(async () => {
  await h?.close();
  const { rm } = await import('node:fs/promises');
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('password login', clients, async () => {
  await h.addUser({ username: 'pw', password: 'pass-word' });
  const r = await sftpBatch(h, 'pw', 'pwd\n', { password: 'pass-word' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Remote working directory: \//);
  const bad = await sftpBatch(h, 'pw', 'pwd\n', { password: 'wrong' });
  assert.notEqual(bad.code, 0);
});

test('public key login, and a key of another user is refused', clients, async () => {
  const k = await h.userKey('k1');
  const other = await h.userKey('k2');
  await h.addUser({ username: 'key', public_keys: [k.pub] });
  const r = await sftpBatch(h, 'key', 'pwd\n', { key: k.key });
  assert.equal(r.code, 0, r.stderr);
  const bad = await sftpBatch(h, 'key', 'pwd\n', { key: other.key });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Permission denied/);
});

test('keyboard-interactive login through the hook', clients, async () => {
  await h.addUser({ username: 'kbd', password: 'kbd-pass' });
  const args = [...sshOptions(h.port, { password: true }), '-o', 'PreferredAuthentications=keyboard-interactive', '-p', String(h.port), 'kbd@127.0.0.1', 'pwd'];
  const ok = await run('sshpass', ['-p', 'kbd-pass', 'ssh', ...args]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, '/\n');
  const bad = await run('sshpass', ['-p', 'nope', 'ssh', ...args]);
  assert.notEqual(bad.code, 0);
});

test('two-step login: publickey then password', clients, async () => {
  const k = await h.userKey('mfa1');
  await h.addUser({
    username: 'mfa', password: 'second-step', public_keys: [k.pub],
    filters: { denied_login_methods: ['publickey', 'password', 'keyboard-interactive', 'publickey+keyboard-interactive'] },
  });
  const ok = await sftpBatch(h, 'mfa', 'pwd\n', { key: k.key, password: 'second-step' });
  assert.equal(ok.code, 0, ok.stderr);
  const keyOnly = await sftpBatch(h, 'mfa', 'pwd\n', { key: k.key });
  assert.notEqual(keyOnly.code, 0, 'the key alone is only a partial success');
  const pwOnly = await sftpBatch(h, 'mfa', 'pwd\n', { password: 'second-step' });
  assert.notEqual(pwOnly.code, 0, 'the password alone is not allowed');
  const wrongPw = await sftpBatch(h, 'mfa', 'pwd\n', { key: k.key, password: 'bad' });
  assert.notEqual(wrongPw.code, 0);
});

test('two-step login: publickey then keyboard-interactive', clients, async () => {
  const k = await h.userKey('mfa2');
  await h.addUser({
    username: 'mfakbd', password: 'kbd-second', public_keys: [k.pub],
    filters: { denied_login_methods: ['publickey', 'password', 'keyboard-interactive', 'publickey+password'] },
  });
  const args = [...sshOptions(h.port, { key: k.key, password: true }), '-p', String(h.port), 'mfakbd@127.0.0.1', 'pwd'];
  const ok = await run('sshpass', ['-p', 'kbd-second', 'ssh', ...args]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, '/\n');
});

test('user certificate signed by a trusted CA; wrong principal and expired certificates are refused', clients, async () => {
  await h.addUser({ username: 'cert', password: 'unused-pw' });
  const k = await h.userKey('certkey');
  const sign = (principal: string, validity: string) =>
    run('ssh-keygen', ['-q', '-s', caPub, '-I', 'test-id', '-n', principal, '-V', validity, `${k.key}.pub`]);
  assert.equal((await sign('cert', '-5m:+1h')).code, 0);
  const ok = await sftpBatch(h, 'cert', 'pwd\n', { key: k.key });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((await sign('someone-else', '-5m:+1h')).code, 0);
  assert.notEqual((await sftpBatch(h, 'cert', 'pwd\n', { key: k.key })).code, 0);
  assert.equal((await sign('cert', '-2h:-1h')).code, 0);
  assert.notEqual((await sftpBatch(h, 'cert', 'pwd\n', { key: k.key })).code, 0);
});

/** Signs `pub` with `ca` for `principal`, valid for `validity` (ssh-keygen -V); writes <key>-cert.pub. */
function signCert(ca: string, pub: string, principal: string, validity: string) {
  return run('ssh-keygen', ['-q', '-s', ca, '-I', 'test-id', '-n', principal, '-V', validity, pub]);
}

test('user certificate as the first step of publickey+password; bad certificates refused even with the password', clients, async () => {
  await h.addUser({
    username: 'certpw', password: 'cert-second',
    filters: { denied_login_methods: ['publickey', 'password', 'keyboard-interactive', 'publickey+keyboard-interactive'] },
  });
  const k = await h.userKey('certpwkey');
  const login = (password?: string) => sftpBatch(h, 'certpw', 'pwd\n', { key: k.key, ...(password === undefined ? {} : { password }) });
  assert.equal((await signCert(caPub, `${k.key}.pub`, 'certpw', '-5m:+1h')).code, 0);
  const ok = await login('cert-second');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Remote working directory: \//);
  assert.notEqual((await login()).code, 0, 'the certificate alone is only a partial success');
  assert.notEqual((await login('wrong')).code, 0, 'a wrong second factor is refused');
  assert.notEqual((await sftpBatch(h, 'certpw', 'pwd\n', { password: 'cert-second' })).code, 0, 'the password alone is not allowed');

  assert.equal((await signCert(caPub, `${k.key}.pub`, 'someone-else', '-5m:+1h')).code, 0);
  assert.notEqual((await login('cert-second')).code, 0, 'wrong principal');
  assert.equal((await signCert(caPub, `${k.key}.pub`, 'certpw', '-2h:-1h')).code, 0);
  assert.notEqual((await login('cert-second')).code, 0, 'expired');
  const otherCa = path.join(tmp, 'untrusted-ca');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherCa]);
  assert.equal((await signCert(otherCa, `${k.key}.pub`, 'certpw', '-5m:+1h')).code, 0);
  assert.notEqual((await login('cert-second')).code, 0, 'untrusted CA');
});

test('user certificate as the first step of publickey+keyboard-interactive', clients, async () => {
  await h.addUser({
    username: 'certkbd', password: 'kbd-cert',
    filters: { denied_login_methods: ['publickey', 'password', 'keyboard-interactive', 'publickey+password'] },
  });
  const k = await h.userKey('certkbdkey');
  assert.equal((await signCert(caPub, `${k.key}.pub`, 'certkbd', '-5m:+1h')).code, 0);
  const args = (key: string) => [...sshOptions(h.port, { key, password: true }), '-p', String(h.port), 'certkbd@127.0.0.1', 'pwd'];
  const ok = await run('sshpass', ['-p', 'kbd-cert', 'ssh', ...args(k.key)]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, '/\n');
  assert.notEqual((await run('sshpass', ['-p', 'wrong', 'ssh', ...args(k.key)])).code, 0);
  const plain = await h.userKey('certkbdplain');
  assert.notEqual((await run('sshpass', ['-p', 'kbd-cert', 'ssh', ...args(plain.key)])).code, 0, 'a key without certificate is not the user\'s');
});

test('max_auth_tries disconnects after the configured failures', clients, async () => {
  const keys = [await h.userKey('t1'), await h.userKey('t2'), await h.userKey('t3')];
  await h.addUser({ username: 'tries', password: 'right-one' });
  const base = sshOptions(h.port, {}).map((o) => (o === 'LogLevel=ERROR' ? 'LogLevel=DEBUG1' : o));
  const ids = keys.flatMap((k) => ['-i', k.key]);
  const r = await run('ssh', [...base, '-v', '-o', 'IdentitiesOnly=yes', ...ids, '-p', String(h.port), 'tries@127.0.0.1', 'pwd']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Offering public key: .*t1/);
  assert.match(r.stderr, /Offering public key: .*t2/);
  assert.doesNotMatch(r.stderr, /Offering public key: .*t3/, 'the server disconnects after two failures');
});

test('identification and login banners', clients, async () => {
  await h.addUser({ username: 'banner', password: 'banner-pw' });
  const args = [...sshOptions(h.port, { password: true }), '-o', 'LogLevel=INFO', '-v', '-p', String(h.port), 'banner@127.0.0.1', 'pwd'];
  const r = await run('sshpass', ['-p', 'banner-pw', 'ssh', ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Remote protocol version 2\.0, remote software version SFTPGo_test/);
  assert.match(r.stderr, /Welcome to the test server/);
});

test('password_authentication=false refuses passwords but keeps keys', clients, async () => {
  const h2 = await startServer({ sftpd: { password_authentication: false } });
  try {
    const k = await h2.userKey('nopw');
    await h2.addUser({ username: 'nopw', password: 'some-pass', public_keys: [k.pub] });
    const pw = await sshExec(h2, 'nopw', 'pwd', { password: 'some-pass' });
    assert.notEqual(pw.code, 0);
    assert.match(pw.stderr, /Permission denied \(publickey\)/);
    const key = await sshExec(h2, 'nopw', 'pwd', { key: k.key });
    assert.equal(key.stdout, '/\n');
  } finally {
    await h2.close();
  }
});

test('a user denied the SSH protocol cannot log in', clients, async () => {
  await h.addUser({ username: 'nossh', password: 'nossh-pw', filters: { denied_protocols: ['SSH'] } });
  const r = await sshExec(h, 'nossh', 'pwd', { password: 'nossh-pw' });
  assert.notEqual(r.code, 0);
});
