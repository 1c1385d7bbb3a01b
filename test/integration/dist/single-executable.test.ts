/**
 * dist/sftpgo, the single executable, run with no Node reachable (bare environment, empty PATH):
 * help and version, `serve` on a fresh config dir (sqlite file through the embedded sql.js wasm,
 * ssh2's embedded native binding, default admin, REST token, a user created over the API).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { hasBinary, needs } from '../../helpers/require.js';
import { built, freePort, installed, root, run, sandbox, start, x64Binary, type Proc, type Sandbox } from './binary.js';

const needsBinary = needs(built(x64Binary), 'dist/sftpgo is not built (make dist)');

test('no Node is reachable from the environment the binary gets', needsBinary, async () => {
  const box = await sandbox();
  try {
    assert.deepEqual(readdirSync(box.bin), [], 'PATH is an empty directory');
    const p = await run('/bin/sh', ['-c', 'command -v node || echo none'], box);
    assert.equal(p.stdout.trim(), 'none');
  } finally {
    await box.cleanup();
  }
});

test('--help lists the commands; --version and `version` print the baked-in build', needsBinary, async () => {
  const box = await sandbox();
  try {
    const help = await run(installed(x64Binary), ['--help'], box);
    assert.equal(help.code, 0, help.stderr);
    for (const cmd of ['serve', 'portable', 'version', 'gen']) assert.match(help.stdout, new RegExp(`\\n  ${cmd}\\b`));
    const v1 = await run(installed(x64Binary), ['--version'], box);
    const v2 = await run(installed(x64Binary), ['version'], box);
    assert.equal(v1.code, 0);
    assert.equal(v2.stdout, v1.stdout);
    assert.match(v1.stdout, /^SFTPGo 2\.1\.2-[0-9a-f]{7,}(-dirty)?-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ( [+-][a-z0-9]+)+\n$/);
  } finally {
    await box.cleanup();
  }
});

test('the baked-in commit is a real commit of this repository', needs(built(x64Binary) && hasBinary('git'), 'dist/sftpgo (make dist) and git are needed'), async () => {
  const box = await sandbox();
  try {
    const v = await run(installed(x64Binary), ['--version'], box);
    const commit = /^SFTPGo 2\.1\.2-([0-9a-f]+)/.exec(v.stdout)?.[1];
    assert.ok(commit, v.stdout);
    assert.doesNotThrow(() => execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: root, stdio: 'ignore' }), `${commit} is not a commit here`);
  } finally {
    await box.cleanup();
  }
});

/** Env of a fresh `serve`: SFTP and HTTP on free loopback ports, no telemetry, a default admin. */
async function serveEnv(): Promise<{ env: Record<string, string>; httpPort: number }> {
  const [sftpPort, httpPort] = [await freePort(), await freePort()];
  return {
    httpPort,
    env: {
      SFTPGO_SFTPD__BINDINGS__0__PORT: String(sftpPort), SFTPGO_SFTPD__BINDINGS__0__ADDRESS: '127.0.0.1',
      SFTPGO_HTTPD__BINDINGS__0__PORT: String(httpPort), SFTPGO_HTTPD__BINDINGS__0__ADDRESS: '127.0.0.1',
      SFTPGO_TELEMETRY__BIND_PORT: '0', SFTPGO_DATA_PROVIDER__CREATE_DEFAULT_ADMIN: '1',
    },
  };
}

/** Starts `serve -c <fresh empty dir>` with JSON logs on stdout; resolves once listening, or exited. */
async function startServe(box: Sandbox, env: Record<string, string>): Promise<{ proc: Proc; running: boolean; configDir: string }> {
  const configDir = join(box.home, 'conf');
  await mkdir(configDir);
  const proc = start(installed(x64Binary), ['serve', '-c', configDir, '-l', ''], box, env);
  const state = await proc.waitFor(/^HTTP: /m);
  return { proc, running: state === 'match', configDir };
}

test('serve refuses to run with only HTTP configured, as SFTPGo does, and creates nothing', needsBinary, async () => {
  const box = await sandbox();
  try {
    const { env } = await serveEnv();
    const p = await run(installed(x64Binary), ['serve', '-c', box.home, '-l', ''], box, { ...env, SFTPGO_SFTPD__BINDINGS__0__PORT: '0' });
    assert.equal(p.code, 1);
    assert.match(p.stderr, /no service configured, nothing to do/);
    assert.deepEqual(readdirSync(box.home), []);
  } finally {
    await box.cleanup();
  }
});

test('serve on a fresh config dir creates the sqlite file through the embedded wasm and loads the embedded ssh2 binding', needsBinary, async () => {
  const box = await sandbox();
  try {
    const { env } = await serveEnv();
    const { proc, running, configDir } = await startServe(box, env);
    assert.ok(running, proc.output);
    assert.equal(await proc.stop(), 0, proc.output);
    assert.match(proc.stdout, /"message":"ssh2 native crypto binding \(sshcrypto.node\) loaded from the executable"/);
    const SQL = await initSqlJs();
    const db = new SQL.Database(await readFile(join(configDir, 'sftpgo.db')));
    const admins = db.exec('SELECT username FROM admins')[0]?.values.flat();
    assert.deepEqual(admins, ['admin'], 'the default admin is stored in the file');
    db.close();
    assert.equal(existsSync(join(configDir, 'sftpgo.db.lock')), false, 'the provider lock is released on exit');
  } finally {
    await box.cleanup();
  }
});

test('serve: REST token of the default admin, then a user created over the API', needsBinary, async () => {
  const box = await sandbox();
  try {
    const { env, httpPort } = await serveEnv();
    const { proc, running } = await startServe(box, env);
    assert.ok(running, proc.output);
    const api = `http://127.0.0.1:${httpPort}/api/v2`;
    const tok = await fetch(`${api}/token`, { headers: { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` } });
    assert.equal(tok.status, 200);
    const { access_token: token } = (await tok.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const user = { username: 'dist-user', password: 'dist-pass', status: 1, home_dir: join(box.home, 'dist-user'), permissions: { '/': ['*'] } };
    const created = await fetch(`${api}/users`, { method: 'POST', headers: auth, body: JSON.stringify(user) });
    assert.equal(created.status, 201, await created.clone().text());
    const got = await fetch(`${api}/users/dist-user`, { headers: auth });
    assert.equal(got.status, 200);
    assert.equal(((await got.json()) as { username: string }).username, 'dist-user');
    assert.equal(await proc.stop(), 0);
  } finally {
    await box.cleanup();
  }
});
