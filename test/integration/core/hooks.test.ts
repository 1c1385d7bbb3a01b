import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildConfig } from '../../../src/config/index.js';
import { NodeHttpClient } from '../../../src/core/httpclient/client.js';
import {
  createHooks, runCheckPasswordHook, runExternalAuthHook, runKeyboardInteractiveHook, runPostConnectHook, runPostLoginHook, runPreLoginHook,
} from '../../../src/core/hooks/index.js';
import type { ActionInfo } from '../../../src/core/types.js';
import { ErrorKind, isSftpGoError } from '../../../src/util/errors.js';

const logger = pino({ level: 'silent' });
let dir = '';
const info: ActionInfo = { action: 'pre-upload', username: 'alice', path: '/srv/alice/a.txt', fs_provider: 0, status: 1, protocol: 'SFTP', file_size: 12, open_flags: 512 };

async function script(name: string, body: string): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, `#!/bin/sh\n${body}\n`);
  await chmod(p, 0o755);
  return p;
}

function hooksFor(actions: { hook: string; execute_on: string[]; execute_sync?: string[] }, timeouts = {}) {
  const config = buildConfig({ common: { actions: { execute_sync: [], ...actions } }, http: { retry_max: 0 } });
  return createHooks(config, new NodeHttpClient(config.http, dir), logger, { action: 2000, ...timeouts });
}

before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'hooks-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('custom action program: args and SFTPGO_ACTION_* env', async () => {
  const out = path.join(dir, 'action.out');
  const hook = await script('action.sh', `echo "$@" > ${out}; env | grep ^SFTPGO_ACTION | sort >> ${out}`);
  const h = hooksFor({ hook, execute_on: ['pre-upload'] });
  await h.actions.pre('pre-upload', info);
  const text = await readFile(out, 'utf8');
  assert.match(text, /^pre-upload alice \/srv\/alice\/a.txt {2}$/m);
  for (const line of ['SFTPGO_ACTION=pre-upload', 'SFTPGO_ACTION_USERNAME=alice', 'SFTPGO_ACTION_PATH=/srv/alice/a.txt',
    'SFTPGO_ACTION_FILE_SIZE=12', 'SFTPGO_ACTION_FS_PROVIDER=0', 'SFTPGO_ACTION_STATUS=1', 'SFTPGO_ACTION_PROTOCOL=SFTP',
    'SFTPGO_ACTION_OPEN_FLAGS=512']) {
    assert.ok(text.includes(line), line);
  }
});

test('a failing pre-hook vetoes with PermissionDenied; events not in execute_on are skipped', async () => {
  const hook = await script('fail.sh', 'exit 1');
  const h = hooksFor({ hook, execute_on: ['pre-upload'] });
  await assert.rejects(h.actions.pre('pre-upload', info), (e) => isSftpGoError(e) && e.kind === ErrorKind.PermissionDenied);
  assert.equal(await h.actions.pre('pre-download', { ...info, action: 'pre-download' }), undefined);
});

test('a hanging hook is killed at its timeout and denies', async () => {
  const hook = await script('hang.sh', 'sleep 30; exit 0'); // a child (sleep) holds stdout: the group must be killed
  const h = hooksFor({ hook, execute_on: ['pre-download'] }, { action: 200 });
  await assert.rejects(h.actions.pre('pre-download', info), (e) => isSftpGoError(e) && e.kind === ErrorKind.PermissionDenied
    && /timed out/.test(String((e.cause as Error).message)));
});

test('pre-delete success means handled; a failing post hook never throws', async () => {
  const ok = await script('ok.sh', 'exit 0');
  const h = hooksFor({ hook: ok, execute_on: ['pre-delete'] });
  assert.equal(await h.actions.pre('pre-delete', info), 'handled');
  const bad = await script('bad.sh', 'exit 3');
  const h2 = hooksFor({ hook: bad, execute_on: ['upload'] });
  assert.doesNotThrow(() => h2.actions.post('upload', { ...info, action: 'upload' }));
  await h2.actions.postAndWait('upload', { ...info, action: 'upload' });
});

/** A local HTTP hook recording requests; `reply` decides the response. */
async function httpHook(reply: (req: http.IncomingMessage, body: string) => [number, string]) {
  const seen: { url: string; body: string; method: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body, method: req.method ?? '' });
      const [status, out] = reply(req, body);
      res.writeHead(status).end(out);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { url, seen, close: () => new Promise((r) => server.close(r)) };
}

test('HTTP custom action: JSON body; non-200 on a pre action denies', async () => {
  const srv = await httpHook((req) => [req.url?.includes('deny') ? 500 : 200, '']);
  try {
    const h = hooksFor({ hook: `${srv.url}/action`, execute_on: ['pre-upload', 'rename'] });
    await h.actions.pre('pre-upload', info);
    const body = JSON.parse(srv.seen[0]!.body);
    assert.deepEqual(body, { action: 'pre-upload', username: 'alice', path: '/srv/alice/a.txt', file_size: 12, fs_provider: 0, status: 1, protocol: 'SFTP', open_flags: 512 });
    await h.actions.postAndWait('rename', { ...info, action: 'rename', target_path: '/srv/alice/b.txt' });
    assert.equal(JSON.parse(srv.seen[1]!.body).target_path, '/srv/alice/b.txt');
    const h2 = hooksFor({ hook: `${srv.url}/deny`, execute_on: ['pre-upload'] });
    await assert.rejects(h2.actions.pre('pre-upload', info));
  } finally {
    await srv.close();
  }
});

test('post-connect hook over HTTP: query params, non-200 rejects', async () => {
  const srv = await httpHook((req) => [req.url?.includes('10.0.0.66') ? 403 : 200, '']);
  try {
    const h = hooksFor({ hook: '', execute_on: [] });
    await runPostConnectHook(h.deps, `${srv.url}/conn`, '10.0.0.1', 'FTP');
    assert.equal(srv.seen[0]!.url, '/conn?ip=10.0.0.1&protocol=FTP');
    assert.equal(srv.seen[0]!.method, 'GET');
    await assert.rejects(runPostConnectHook(h.deps, `${srv.url}/conn`, '10.0.0.66', 'FTP'));
  } finally {
    await srv.close();
  }
});

test('check password hook: program statuses and errors', async () => {
  const h = hooksFor({ hook: '', execute_on: [] });
  const hook = await script('checkpwd.sh', `case "$SFTPGO_AUTHD_PASSWORD" in
 good) echo '{"status":1}';;
 verify) echo '{"status":2,"to_verify":"inner"}';;
 broken) echo 'not json';;
 *) echo '{"status":0}';;
esac`);
  const call = (password: string) => runCheckPasswordHook(h.deps, hook, { username: 'a', password, ip: '1.1.1.1', protocol: 'SSH' });
  assert.equal((await call('good')).status, 1);
  assert.deepEqual(await call('verify'), { status: 2, to_verify: 'inner' });
  assert.equal((await call('x')).status, 0);
  await assert.rejects(call('broken'));
});

test('external auth and pre-login programs: env in, user JSON out, empty = no change', async () => {
  const h = hooksFor({ hook: '', execute_on: [] });
  const ext = await script('ext.sh', `if [ "$SFTPGO_AUTHD_PASSWORD" = "pw" ]; then
 echo "{\\"username\\":\\"$SFTPGO_AUTHD_USERNAME\\",\\"status\\":1,\\"home_dir\\":\\"/tmp/x\\",\\"permissions\\":{\\"/\\":[\\"*\\"]},\\"description\\":\\"$SFTPGO_AUTHD_PROTOCOL $SFTPGO_AUTHD_IP\\"}"
 else exit 1; fi`);
  const u = await runExternalAuthHook(h.deps, ext, { username: 'bob', ip: '1.2.3.4', protocol: 'SSH', password: 'pw' });
  assert.equal(u?.username, 'bob');
  assert.equal(u?.description, 'SSH 1.2.3.4');
  await assert.rejects(runExternalAuthHook(h.deps, ext, { username: 'bob', ip: '1.2.3.4', protocol: 'SSH', password: 'bad' }));
  const pre = await script('pre.sh', `if [ "$SFTPGO_LOGIND_METHOD" = "publickey" ]; then echo '{"max_sessions":3}'; fi`);
  assert.deepEqual(await runPreLoginHook(h.deps, pre, { user: undefined, username: 'c', method: 'publickey', ip: '1.1.1.1', protocol: 'FTP' }), { max_sessions: 3 });
  assert.equal(await runPreLoginHook(h.deps, pre, { user: undefined, username: 'c', method: 'password', ip: '1.1.1.1', protocol: 'FTP' }), undefined);
});

test('keyboard-interactive program: questions, check_password, auth_result', async () => {
  const h = hooksFor({ hook: '', execute_on: [] });
  const hook = await script('kbd.sh', `echo '{"instruction":"hi","questions":["Code: "],"echos":[true]}'
read code
echo '{"questions":["Password: "],"echos":[false],"check_password":1}'
read pw
if [ "$code" = "42" ] && [ "$pw" = "OK" ]; then echo '{"auth_result":1}'; else echo '{"auth_result":-1}'; fi`);
  const run = (answers: string[], pwOk: boolean) => runKeyboardInteractiveHook(h.deps, hook, {
    username: 'k', ip: '1.1.1.1', passwordHash: '$2a$...',
    io: { prompt: async (_i, qs) => qs.map((_q, i) => answers.shift() ?? String(i)) },
    verifyPassword: async () => pwOk,
  });
  await run(['42', 'secret'], true);
  await assert.rejects(run(['41', 'secret'], true));
  await assert.rejects(run(['42', 'secret'], false));
});

test('keyboard-interactive over HTTP: same request_id across steps', async () => {
  const srv = await httpHook((_req, body) => {
    const b = JSON.parse(body);
    if (!b.answers) return [200, JSON.stringify({ instruction: 'x', questions: ['Q1'], echos: [true] })];
    return [200, JSON.stringify({ auth_result: b.answers[0] === 'yes' ? 1 : -1 })];
  });
  try {
    const h = hooksFor({ hook: '', execute_on: [] });
    await runKeyboardInteractiveHook(h.deps, `${srv.url}/kbd`, {
      username: 'k', ip: '1.1.1.1', passwordHash: '', io: { prompt: async () => ['yes'] }, verifyPassword: async () => true,
    });
    const ids = srv.seen.map((s) => JSON.parse(s.body).request_id);
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
  } finally {
    await srv.close();
  }
});

test('execute_sync: post returns a promise that settles after the hook; others fire and forget', async () => {
  const out = path.join(dir, 'sync.out');
  const hook = await script('sync.sh', `sleep 0.2; echo "$SFTPGO_ACTION" >> ${out}`);
  const h = hooksFor({ hook, execute_on: ['upload', 'delete'], execute_sync: ['upload'] });
  const p = h.actions.post('upload', { ...info, action: 'upload' });
  assert.ok(p instanceof Promise);
  await p;
  assert.equal(await readFile(out, 'utf8'), 'upload\n');
  assert.equal(h.actions.post('delete', { ...info, action: 'delete' }), undefined);
});

test('user actions: program args/env and HTTP ?action= with the user JSON (no password)', async () => {
  const out = path.join(dir, 'useraction.out');
  const hook = await script('useraction.sh', `echo "$@" > ${out}; echo "$SFTPGO_USER_ACTION" >> ${out}; echo "$SFTPGO_USER" >> ${out}`);
  const config = buildConfig({ data_provider: { actions: { execute_on: ['add', 'delete'], hook } }, http: { retry_max: 0 } });
  const h = createHooks(config, new NodeHttpClient(config.http, dir), logger);
  const user = { id: 5, username: 'ua', status: 1 as const, home_dir: '/srv/ua', permissions: { '/': ['*' as const] }, password: '$2a$secret', uid: 1000, gid: 1001, expiration_date: 0 };
  await h.userActions.run('add', user);
  const [args, action, json] = (await readFile(out, 'utf8')).trim().split('\n');
  assert.equal(args, 'add ua 5 1 0 /srv/ua 1000 1001');
  assert.equal(action, 'add');
  assert.equal(JSON.parse(json!).password, undefined);
  await h.userActions.run('update', user); // not in execute_on
  assert.match(await readFile(out, 'utf8'), /^add /);
  const srv = await httpHook(() => [200, '']);
  try {
    const c2 = buildConfig({ data_provider: { actions: { execute_on: ['update'], hook: `${srv.url}/u` } }, http: { retry_max: 0 } });
    await createHooks(c2, new NodeHttpClient(c2.http, dir), logger).userActions.run('update', user);
    assert.equal(srv.seen[0]!.url, '/u?action=update');
    assert.equal(JSON.parse(srv.seen[0]!.body).username, 'ua');
  } finally {
    await srv.close();
  }
});

test('HTTP external auth, pre-login, post-login and check-password: exact queries and bodies', async () => {
  const srv = await httpHook((req, body) => {
    if (req.url?.startsWith('/ext')) return [200, JSON.stringify({ username: JSON.parse(body).username, status: 1, home_dir: '/h', permissions: { '/': ['*'] } })];
    if (req.url?.startsWith('/pre')) return req.url.includes('login_method=password') ? [204, ''] : [200, '{"max_sessions":2}'];
    if (req.url?.startsWith('/check')) return [200, '{"status":2,"to_verify":"abc"}'];
    return [200, ''];
  });
  try {
    const h = hooksFor({ hook: '', execute_on: [] });
    const ext = await runExternalAuthHook(h.deps, `${srv.url}/ext`, { username: 'e', ip: '1.1.1.1', protocol: 'FTP', password: 'p' });
    assert.equal(ext?.username, 'e');
    assert.deepEqual(JSON.parse(srv.seen[0]!.body), { username: 'e', ip: '1.1.1.1', password: 'p', public_key: '', protocol: 'FTP', keyboard_interactive: '', tls_cert: '' });
    assert.equal(await runPreLoginHook(h.deps, `${srv.url}/pre`, { user: undefined, username: 'n', method: 'password', ip: '1.1.1.1', protocol: 'SSH' }), undefined);
    assert.equal(srv.seen[1]!.url, '/pre?login_method=password&ip=1.1.1.1&protocol=SSH');
    assert.equal(JSON.parse(srv.seen[1]!.body).id, 0);
    assert.deepEqual(await runPreLoginHook(h.deps, `${srv.url}/pre`, { user: undefined, username: 'n', method: 'publickey', ip: '1.1.1.1', protocol: 'SSH' }), { max_sessions: 2 });
    await runPostLoginHook(h.deps, `${srv.url}/post`, { user: undefined, username: 'n', method: 'password', ip: '1.1.1.1', protocol: 'DAV', ok: true });
    assert.equal(srv.seen[3]!.url, '/post?login_method=password&ip=1.1.1.1&protocol=DAV&status=1');
    assert.deepEqual(await runCheckPasswordHook(h.deps, `${srv.url}/check`, { username: 'c', password: 'x', ip: '1.1.1.1', protocol: 'SSH' }), { status: 2, to_verify: 'abc' });
    assert.deepEqual(JSON.parse(srv.seen[4]!.body), { username: 'c', password: 'x', ip: '1.1.1.1', protocol: 'SSH' });
  } finally {
    await srv.close();
  }
});

test('a hanging keyboard-interactive program is killed at its timeout and fails the login', async () => {
  const h = hooksFor({ hook: '', execute_on: [] }, { keyboardInteractive: 200 });
  const hook = await script('kbdhang.sh', 'sleep 30');
  await assert.rejects(runKeyboardInteractiveHook(h.deps, hook, {
    username: 'k', ip: '1.1.1.1', passwordHash: '', io: { prompt: async () => [] }, verifyPassword: async () => true,
  }), (e) => isSftpGoError(e) && e.kind === ErrorKind.AuthFailed);
});
