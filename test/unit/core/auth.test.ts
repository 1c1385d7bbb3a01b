import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { Writable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import pino from 'pino';
import { buildConfig, type DeepPartial } from '../../../src/config/index.js';
import type { Config } from '../../../src/config/types.js';
import { AuthServiceImpl } from '../../../src/core/auth/service.js';
import { MemoryDefender } from '../../../src/core/defender/defender.js';
import { createHooks } from '../../../src/core/hooks/index.js';
import { NodeHttpClient } from '../../../src/core/httpclient/client.js';
import { noopMetrics, type Credentials, type LoginRequest } from '../../../src/core/types.js';
import { keyBlob, keyFingerprint } from '../../../src/core/auth/credentials.js';
import type { User } from '../../../src/dataprovider/models.js';
import type { DataProvider } from '../../../src/dataprovider/types.js';
import type { DataService } from '../../../src/dataprovider/service-types.js';
import { ErrorKind, isSftpGoError, notFound } from '../../../src/util/errors.js';
import { needsBinaries } from '../../helpers/require.js';

const logger = pino({ level: 'silent' });
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOk7mYqRCxJzkhdqJkQKcXjN6tC0b7p6N7v3Zb6qKQ5x test@host';
const OTHER_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA other';
let dir = '';

before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'auth-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

/** In-test store: only what the login pipeline uses (the real data service has its own tests). */
function fakeData() {
  const users = new Map<string, User>();
  const lastLogins: string[] = [];
  const data = {
    async getUser(u: string) { const x = users.get(u); if (!x) throw notFound('user not found'); return structuredClone(x); },
    async addUser(u: User) {
      const stored = { ...u, id: users.size + 1, password: u.password ? bcrypt.hashSync(u.password, 4) : '' };
      users.set(u.username, stored);
      return structuredClone(stored);
    },
    async updateUser(u: User) {
      const cur = users.get(u.username)!;
      const password = u.password ? (u.password.startsWith('$2') ? u.password : bcrypt.hashSync(u.password, 4)) : cur.password;
      const stored = { ...u, password, used_quota_size: cur.used_quota_size };
      users.set(u.username, stored);
      return structuredClone(stored);
    },
    async verifyPassword(plain: string, hash: string) { return bcrypt.compareSync(plain, hash); },
  } as unknown as DataService;
  const provider = { users: { async updateLastLogin(u: string, at: number) { lastLogins.push(u); users.get(u)!.last_login = at; } } } as unknown as DataProvider;
  return { users, data, provider, lastLogins };
}

async function setup(over: DeepPartial<Config> = {}, sessions = 0, log = logger) {
  const config = buildConfig({ http: { retry_max: 0 }, ...over, common: { defender: { enabled: true, threshold: 6 }, ...over.common } });
  const f = fakeData();
  const now = { t: Date.now() };
  const defender = await MemoryDefender.create({ config: config.common.defender, configDir: dir, logger, now: () => now.t });
  const hooks = createHooks(config, new NodeHttpClient(config.http, dir), logger, { preLogin: 2000, externalAuth: 2000, checkPassword: 2000 });
  const roots: string[] = [];
  const auth = new AuthServiceImpl({
    config, logger: log, provider: f.provider, data: f.data, defender, metrics: noopMetrics, hookDeps: hooks.deps,
    countUser: () => sessions, ensureRoots: async (u) => { roots.push(u.username); }, now: () => now.t,
  });
  const add = (u: Partial<User> & { username: string }) => f.data.addUser({
    status: 1, home_dir: path.join(dir, u.username), permissions: { '/': ['*'] }, password: 'secret', ...u,
  } as User);
  return { auth, defender, add, roots, now, ...f };
}

const req = (username: string, credentials: Credentials, ip = '10.0.0.1', protocol: LoginRequest['protocol'] = 'SFTP'): LoginRequest =>
  ({ username, credentials, protocol, remote: { ip, port: 1234 } });
const pw = (password: string): Credentials => ({ method: 'password', password });

async function denied(p: Promise<unknown>, re?: RegExp) {
  await assert.rejects(p, (e) => isSftpGoError(e) && e.kind === ErrorKind.AuthFailed && (!re || re.test(e.message)));
}

test('password login: success updates last_login and creates roots; wrong password and unknown user score', async () => {
  const s = await setup();
  await s.add({ username: 'alice' });
  const res = await s.auth.login(req('alice', pw('secret')));
  assert.equal(res.user.username, 'alice');
  assert.equal(res.loginMethod, 'password');
  assert.deepEqual(s.roots, ['alice']);
  assert.deepEqual(s.lastLogins, ['alice']);
  await denied(s.auth.login(req('alice', pw('nope'))), /invalid credentials/);
  assert.equal(s.defender.score('10.0.0.1'), 1);
  await denied(s.auth.login(req('ghost', pw('x'))));
  assert.equal(s.defender.score('10.0.0.1'), 3);
});

test('defender bans after repeated failures, then even valid logins fail', async () => {
  const s = await setup();
  await s.add({ username: 'bob' });
  for (let i = 0; i < 3; i++) await denied(s.auth.login(req('ghost', pw('x'), '10.0.0.9')));
  assert.equal(s.defender.isBanned('10.0.0.9'), true);
  const until = s.defender.banTime('10.0.0.9')!.getTime();
  await denied(s.auth.login(req('bob', pw('secret'), '10.0.0.9')), /banned/);
  assert.equal(s.defender.banTime('10.0.0.9')!.getTime(), until, 'a login re-check does not extend the ban');
  assert.equal(await s.auth.checkPublicKey('SFTP', 'bob', KEY, { ip: '10.0.0.9', port: 1 }), false);
  s.now.t = until + 1; // ban time over (injected clock)
  assert.equal((await s.auth.login(req('bob', pw('secret'), '10.0.0.9'))).user.username, 'bob', 'unbanned after ban_time');
});

test('disabled, expired, relative home, denied protocol, denied method, IP filters, max_sessions', async () => {
  const s = await setup({}, 2);
  await s.add({ username: 'dis', status: 0 });
  await s.add({ username: 'exp', expiration_date: Date.now() - 1000 });
  await s.add({ username: 'rel', home_dir: 'relative/home' });
  await s.add({ username: 'noftp', filters: { denied_protocols: ['FTP'] } });
  await s.add({ username: 'nopw', filters: { denied_login_methods: ['password'] } });
  await s.add({ username: 'ipf', filters: { allowed_ip: ['192.168.0.0/16'], denied_ip: ['192.168.1.0/24'] } });
  await s.add({ username: 'max', max_sessions: 2 });
  await denied(s.auth.login(req('dis', pw('secret'))), /disabled/);
  await denied(s.auth.login(req('exp', pw('secret'))), /expired/);
  await denied(s.auth.login(req('rel', pw('secret'))), /home/);
  await denied(s.auth.login(req('noftp', pw('secret'), '10.0.0.1', 'FTP')), /FTP/);
  await s.auth.login(req('noftp', pw('secret'), '10.0.0.1', 'SCP'));
  await denied(s.auth.login(req('nopw', pw('secret'))), /method/);
  await s.auth.login(req('ipf', pw('secret'), '192.168.2.1'));
  await denied(s.auth.login(req('ipf', pw('secret'), '192.168.1.1')), /IP/);
  await denied(s.auth.login(req('ipf', pw('secret'), '10.1.1.1')), /IP/);
  await denied(s.auth.login(req('max', pw('secret'))), /sessions/);
});

test('public keys by wire blob; multi-step methods need a second factor', async () => {
  const s = await setup();
  await s.add({ username: 'k', public_keys: [KEY] });
  const blob = Buffer.from(KEY.split(' ')[1]!, 'base64');
  assert.equal((await s.auth.login(req('k', { method: 'publickey', publicKey: blob }))).loginMethod, 'publickey');
  await s.auth.login(req('k', { method: 'publickey', publicKey: `no-pty ${KEY.replace('test@host', 'other comment')}` }));
  await denied(s.auth.login(req('k', { method: 'publickey', publicKey: OTHER_KEY })));
  assert.equal(await s.auth.checkPublicKey('SFTP', 'k', blob, { ip: '10.0.0.2', port: 1 }), true);
  assert.equal(await s.auth.checkPublicKey('SFTP', 'k', OTHER_KEY, { ip: '10.0.0.2', port: 1 }), false);

  const mfa = await s.add({ username: 'mfa', public_keys: [KEY], filters: {
    denied_login_methods: ['publickey', 'password', 'keyboard-interactive', 'publickey+keyboard-interactive'],
  } });
  assert.deepEqual(s.auth.requiresSecondFactor(mfa), { password: true, keyboardInteractive: false });
  assert.equal(s.auth.requiresSecondFactor((await s.data.getUser('k'))), null);
  assert.equal(await s.auth.checkPublicKey('SFTP', 'mfa', KEY, { ip: '10.0.0.2', port: 1 }), true);
  await denied(s.auth.login(req('mfa', { method: 'publickey', publicKey: KEY })), /method/);
  const ok = await s.auth.login(req('mfa', { method: 'publickey+password', publicKey: KEY, password: 'secret' }));
  assert.equal(ok.loginMethod, 'publickey+password');
  await denied(s.auth.login(req('mfa', { method: 'publickey+password', publicKey: KEY, password: 'bad' })));
  // A CA-checked user certificate (the protocol verified it) stands for the key in the first step.
  const cert = Buffer.from('certificate blob');
  await denied(s.auth.login(req('mfa', { method: 'publickey+password', publicKey: OTHER_KEY, password: 'secret' })));
  assert.equal((await s.auth.login(req('mfa', { method: 'publickey+password', publicKey: OTHER_KEY, password: 'secret', certificate: cert }))).loginMethod, 'publickey+password');
  await denied(s.auth.login(req('mfa', { method: 'publickey+password', publicKey: OTHER_KEY, password: 'bad', certificate: cert })));
});

async function script(name: string, body: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, `#!/bin/sh\n${body}\n`);
  await chmod(p, 0o755);
  return p;
}

test('external auth hook: upsert of the returned user, password stored', async () => {
  const hook = await script('extauth.sh', `[ "$SFTPGO_AUTHD_PASSWORD" = "extpw" ] || exit 1
echo "{\\"username\\":\\"$SFTPGO_AUTHD_USERNAME\\",\\"status\\":1,\\"home_dir\\":\\"${dir}/ext\\",\\"permissions\\":{\\"/\\":[\\"*\\"]},\\"max_sessions\\":7}"`);
  const s = await setup({ data_provider: { external_auth_hook: hook, external_auth_scope: 1 } });
  const res = await s.auth.login(req('extuser', pw('extpw')));
  assert.equal(res.user.max_sessions, 7);
  assert.ok(s.users.get('extuser')?.password?.startsWith('$2'));
  await denied(s.auth.login(req('extuser', pw('wrong'))), /external/);
  // Public keys are out of scope (scope 1 = password): provider lookup applies.
  await denied(s.auth.login(req('extuser', { method: 'publickey', publicKey: KEY })));
});

test('pre-login hook: partial JSON merged over the existing user; failure denies', async () => {
  const hook = await script('prelogin.sh', `case "$SFTPGO_LOGIND_IP" in
 10.0.0.66) exit 1;;
 10.0.0.5) echo '{"status":0}';;
esac`);
  const s = await setup({ data_provider: { pre_login_hook: hook } });
  await s.add({ username: 'pl' });
  await s.auth.login(req('pl', pw('secret')));
  await denied(s.auth.login(req('pl', pw('secret'), '10.0.0.66')), /pre-login/);
  await denied(s.auth.login(req('pl', pw('secret'), '10.0.0.5')), /disabled/);
  assert.equal(s.users.get('pl')?.status, 0);
  await s.add({ username: 'skip', filters: { hooks: { pre_login_disabled: true } } });
  await s.auth.login(req('skip', pw('secret'), '10.0.0.66'));
});

test('check password hook: 1 accepts, 2 verifies to_verify, 0 rejects, error → unable to check', async () => {
  const hook = await script('checkpw.sh', `case "$SFTPGO_AUTHD_PASSWORD" in
 otp123) echo '{"status":1}';;
 secret+otp) echo '{"status":2,"to_verify":"secret"}';;
 boom) exit 1;;
 *) echo '{"status":0}';;
esac`);
  const s = await setup({ data_provider: { check_password_hook: hook, check_password_scope: 1 } });
  await s.add({ username: 'cp' });
  await s.auth.login(req('cp', pw('otp123')));
  await s.auth.login(req('cp', pw('secret+otp')));
  await denied(s.auth.login(req('cp', pw('secret'))), /invalid credentials/);
  await denied(s.auth.login(req('cp', pw('boom'))), /unable to check credentials/);
  // FTP is out of scope 1: plain verification.
  await s.auth.login(req('cp', pw('secret'), '10.0.0.1', 'FTP'));
});

test('failed-login log line (connection_failed) and post-login hook scope', async () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(chunk.toString())); cb(); } });
  const out = path.join(dir, 'postlogin.out');
  const hook = await script('postlogin.sh', `echo "$SFTPGO_LOGIND_STATUS $SFTPGO_LOGIND_METHOD $SFTPGO_LOGIND_PROTOCOL $SFTPGO_LOGIND_IP" >> ${out}`);
  const s = await setup({ data_provider: { post_login_hook: hook, post_login_scope: 1 } }, 0, pino({ level: 'info' }, sink));
  await s.add({ username: 'pl2' });
  await s.auth.login(req('pl2', pw('secret')));
  await denied(s.auth.login(req('pl2', pw('bad'), '10.0.0.7', 'FTP')));
  const failed = lines.find((l) => l.sender === 'connection_failed');
  assert.equal(failed?.username, 'pl2');
  assert.equal(failed?.client_ip, '10.0.0.7');
  assert.equal(failed?.protocol, 'FTP');
  assert.equal(failed?.login_type, 'password');
  assert.match(String(failed?.error), /invalid credentials/);
  let text = '';
  for (let i = 0; i < 100 && !text; i++) {
    text = await readFile(out, 'utf8').catch(() => '');
    await new Promise((r) => setTimeout(r, 20));
  }
  // Scope 1 = failed logins only.
  assert.equal(text, '0 password FTP 10.0.0.7\n');
  s.auth.noAuthAttempt('SFTP', { ip: '10.0.0.8', port: 1 });
  assert.equal(s.defender.score('10.0.0.8'), 2);
});

test('password cache: a cached pair skips hashing and is invalidated by a new hash', async () => {
  const s = await setup({ data_provider: { password_caching: true } });
  await s.add({ username: 'pc' });
  let verifies = 0;
  const orig = s.data.verifyPassword.bind(s.data);
  s.data.verifyPassword = async (p, h) => { verifies++; return orig(p, h); };
  await s.auth.login(req('pc', pw('secret')));
  await s.auth.login(req('pc', pw('secret')));
  assert.equal(verifies, 1);
  await s.data.updateUser({ ...(await s.data.getUser('pc')), password: 'changed' });
  await denied(s.auth.login(req('pc', pw('secret'))));
  await s.auth.login(req('pc', pw('changed')));
});

test('keyboard-interactive through the hook with check_password', async () => {
  const hook = await script('kbdauth.sh', `echo '{"questions":["Password: "],"echos":[false],"check_password":1}'
read pw
[ "$pw" = "OK" ] && echo '{"auth_result":1}' || echo '{"auth_result":-1}'`);
  const s = await setup({ sftpd: { keyboard_interactive_auth_hook: hook } });
  await s.add({ username: 'ki' });
  const kbd = (answer: string): Credentials => ({ method: 'keyboard-interactive', answers: { prompt: async () => [answer] } });
  assert.equal((await s.auth.login(req('ki', kbd('secret')))).loginMethod, 'keyboard-interactive');
  await denied(s.auth.login(req('ki', kbd('wrong'))));
  const s2 = await setup();
  await s2.add({ username: 'ki' });
  await denied(s2.auth.login(req('ki', kbd('secret'))), /not enabled/);
});

test('TLS certificate: CommonName must match when tls_username=CommonName', needsBinaries('openssl'), async () => {
  const key = path.join(dir, 'c.key');
  const crt = path.join(dir, 'c.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', crt,
    '-subj', '/CN=tlsuser', '-days', '1'], { stdio: 'ignore' });
  const certificate = new X509Certificate(await readFile(crt));
  const s = await setup();
  await s.add({ username: 'tlsuser', filters: { tls_username: 'CommonName' } });
  await s.add({ username: 'other', filters: { tls_username: 'CommonName' } });
  await s.add({ username: 'none' });
  assert.equal((await s.auth.login(req('tlsuser', { method: 'TLSCertificate', certificate }, '10.0.0.1', 'FTP'))).loginMethod, 'TLSCertificate');
  assert.equal((await s.auth.login(req('tlsuser', { method: 'TLSCertificate', certificate, password: 'secret' }, '10.0.0.1', 'FTP'))).loginMethod,
    'TLSCertificate+password');
  await denied(s.auth.login(req('other', { method: 'TLSCertificate', certificate }, '10.0.0.1', 'FTP')), /does not match/);
  await denied(s.auth.login(req('none', { method: 'TLSCertificate', certificate }, '10.0.0.1', 'FTP')), /not enabled/);
  assert.equal((await s.auth.login(req('none', { method: 'TLSCertificate', certificate, password: 'secret' }, '10.0.0.1', 'FTP'))).loginMethod, 'password');
});

test('last_login is written at most once every 10 minutes', async () => {
  const s = await setup();
  await s.add({ username: 'll' });
  await s.auth.login(req('ll', pw('secret')));
  s.now.t += 5 * 60_000;
  await s.auth.login(req('ll', pw('secret')));
  assert.equal(s.lastLogins.length, 1);
  s.now.t += 6 * 60_000;
  await s.auth.login(req('ll', pw('secret')));
  assert.equal(s.lastLogins.length, 2);
});

test('external auth for public keys stores the offered key', async () => {
  const hook = await script('extkey.sh', `[ -n "$SFTPGO_AUTHD_PUBLIC_KEY" ] || exit 1
echo "{\\"username\\":\\"$SFTPGO_AUTHD_USERNAME\\",\\"status\\":1,\\"home_dir\\":\\"${dir}/extk\\",\\"permissions\\":{\\"/\\":[\\"*\\"]}}"`);
  const s = await setup({ data_provider: { external_auth_hook: hook, external_auth_scope: 2 } });
  const blob = Buffer.from(KEY.split(' ')[1]!, 'base64');
  await s.auth.login(req('extk', { method: 'publickey', publicKey: blob }));
  assert.deepEqual(s.users.get('extk')?.public_keys, [KEY.split(' ').slice(0, 2).join(' ')]);
});

test('OpenSSH keys: fingerprints as ssh-keygen prints them, malformed lines refused', needsBinaries('ssh-keygen'), async () => {
  const keyFile = path.join(dir, 'fp_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'me@host', '-f', keyFile], { stdio: 'ignore' });
  const pub = (await readFile(`${keyFile}.pub`, 'utf8')).trim();
  const expected = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${keyFile}.pub`]).toString().split(' ')[1];
  assert.equal(keyFingerprint(pub), expected);
  assert.equal(keyFingerprint(Buffer.from(pub.split(' ')[1]!, 'base64')), expected, 'from the wire blob too');
  assert.equal(keyFingerprint(`from="10.0.0.0/8",no-pty ${pub}`), expected, 'authorized_keys options allowed');
  assert.equal(keyBlob(pub.replace('ssh-ed25519', 'ssh-rsa')), undefined, 'the blob must be of the named type');
  assert.equal(keyBlob('ssh-ed25519 AAAA'), undefined);
  assert.equal(keyFingerprint('not a key'), undefined);
});

test('multi-step logins: publickey+keyboard-interactive, and the partial-success query', async () => {
  const hookPath = path.join(dir, 'kbd2.sh');
  await writeFile(hookPath, `#!/bin/sh\necho '{"questions":["Code: "],"echos":[true]}'\nread code\n[ "$code" = "1234" ] && echo '{"auth_result":1}' || echo '{"auth_result":-1}'\n`);
  await chmod(hookPath, 0o755);
  const s = await setup({ sftpd: { keyboard_interactive_auth_hook: hookPath } });
  const remote = { ip: '10.0.0.3', port: 1 };
  await s.add({ username: 'ki2', public_keys: [KEY], filters: {
    denied_login_methods: ['publickey', 'password', 'keyboard-interactive', 'publickey+password'],
  } });
  await s.add({ username: 'single', public_keys: [KEY] });
  assert.deepEqual(await s.auth.secondFactorFor('SFTP', 'ki2', KEY, remote), { password: false, keyboardInteractive: true });
  assert.equal(await s.auth.secondFactorFor('SFTP', 'single', KEY, remote), null, 'the key alone is enough');
  assert.equal(await s.auth.secondFactorFor('SFTP', 'ki2', OTHER_KEY, remote), null, 'not the user key');
  assert.equal(await s.auth.secondFactorFor('SFTP', 'ghost', KEY, remote), null);
  const kbd = (answer: string): Credentials => ({ method: 'publickey+keyboard-interactive', publicKey: KEY, answers: { prompt: async () => [answer] } });
  assert.equal((await s.auth.login(req('ki2', kbd('1234')))).loginMethod, 'publickey+keyboard-interactive');
  await denied(s.auth.login(req('ki2', kbd('0000'))));
  await denied(s.auth.login(req('ki2', { method: 'publickey+keyboard-interactive', publicKey: OTHER_KEY, answers: { prompt: async () => ['1234'] } })));
  await denied(s.auth.login(req('ki2', { method: 'publickey+password', publicKey: KEY, password: 'secret' })), /method/);
  await denied(s.auth.login(req('ki2', pw('secret'))), /method/);
});
