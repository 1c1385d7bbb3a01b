/**
 * The API driving live file-protocol sessions, with real clients: a user created over the API
 * logs in at once over SFTP (OpenSSH sftp), FTP (lftp) and WebDAV (curl), and
 * DELETE /connections/{id} ends a live SFTP session. Each protocol's server comes from the
 * registry in src/app/protocol-servers.ts; while its entry is `notBuilt`, its tests skip with
 * "<protocol> server not built yet" (found at run time, so they run as soon as it lands).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hasBinary, needs } from '../../helpers/require.js';
import { startProtocol, type ProtocolName } from '../../helpers/protocols.js';
import { startHarness, type Harness } from './harness.js';

const run = promisify(execFile);

function needsProtocol(name: ProtocolName, ...bins: string[]): { skip?: string } {
  const missing = bins.filter((b) => !hasBinary(b));
  return needs(missing.length === 0, `missing client binaries: ${missing.join(', ')}`);
}

const CONFIG = {
  sftpd: { bindings: [{ address: '127.0.0.1', port: 2022 }] },
  ftpd: { bindings: [{ address: '127.0.0.1', port: 2121 }] },
  webdavd: { bindings: [{ address: '127.0.0.1', port: 8090 }] },
};

// `sftp -b` turns BatchMode on (no password prompt); ssh keeps the first value it gets, so ours,
// placed before -b, lets sshpass answer the prompt.
const SSH_OPTS = ['-o', 'BatchMode=no', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', '-o', 'LogLevel=ERROR'];

async function withServer(name: ProtocolName, fn: (h: Harness, port: number, admin: string) => Promise<void>): Promise<void> {
  const h = await startHarness(CONFIG);
  try {
    const proto = await startProtocol(name, h.app);
    try {
      await fn(h, proto.port, await h.adminToken());
    } finally { await proto.stop(); }
  } finally { await h.close(); }
}

/** Creates `username` (password "secret") over the API, as an operator would. */
async function createOverApi(h: Harness, admin: string, username: string): Promise<string> {
  const home = join(h.dir, 'users', username);
  await mkdir(home, { recursive: true });
  const res = await fetch(`${h.base}/api/v2/users`, {
    method: 'POST', headers: { authorization: `Bearer ${admin}` },
    body: JSON.stringify({ username, password: 'secret', status: 1, home_dir: home, permissions: { '/': ['*'] } }),
  });
  assert.equal(res.status, 201, await res.text());
  return home;
}

/**
 * Runs OpenSSH `sftp` in batch mode with `commands` on stdin, password through sshpass. sshpass
 * runs sftp on a pty that never sees our EOF, so the commands end with `bye`.
 */
function sftpBatch(port: number, user: string, commands: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sshpass', ['-e', 'sftp', '-P', String(port), ...SSH_OPTS, '-b', '-', `${user}@127.0.0.1`], { env: { ...process.env, SSHPASS: 'secret' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
    child.stdin.end(commands);
  });
}

test('a user created over the API logs in over SFTP at once', { ...needsProtocol('SFTP', 'sftp', 'sshpass'), timeout: 60_000 }, async () => {
  await withServer('SFTP', async (h, port, admin) => {
    const home = await createOverApi(h, admin, 'sftpnew');
    const r = await sftpBatch(port, 'sftpnew', 'mkdir made-over-sftp\npwd\nbye\n');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Remote working directory: \//);
    assert.ok((await stat(join(home, 'made-over-sftp'))).isDirectory());
  });
});

test('DELETE /connections/{id} ends a live SFTP session', { ...needsProtocol('SFTP', 'sftp', 'sshpass'), timeout: 60_000 }, async () => {
  await withServer('SFTP', async (h, port, admin) => {
    await createOverApi(h, admin, 'sftplive');
    const child = spawn('sshpass', ['-e', 'sftp', '-P', String(port), ...SSH_OPTS, '-b', '-', 'sftplive@127.0.0.1'], { env: { ...process.env, SSHPASS: 'secret' } });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let out = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('Remote working directory')) resolve(); });
      child.once('exit', () => reject(new Error(`sftp exited early: ${out}`)));
    });
    child.stdin.write('pwd\n');
    await ready;
    const list = (await (await fetch(`${h.base}/api/v2/connections`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { connection_id: string; username: string; protocol: string }[];
    const mine = list.find((c) => c.username === 'sftplive');
    assert.ok(mine, JSON.stringify(list));
    assert.equal(mine.protocol, 'SFTP');
    const del = await fetch(`${h.base}/api/v2/connections/${encodeURIComponent(mine.connection_id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(del.status, 200);
    // sftp notices a dead session at its next request: had the session survived, `ls` and `bye`
    // would succeed and sftp would exit 0.
    child.stdin.write('ls\nbye\n');
    assert.notEqual(await exited, 0, `the client saw its session end: ${out}`);
    const after = (await (await fetch(`${h.base}/api/v2/connections`, { headers: { authorization: `Bearer ${admin}` } })).json()) as unknown[];
    assert.equal(after.length, 0);
  });
});

test('a user created over the API logs in over FTP at once', needsProtocol('FTP', 'lftp'), async () => {
  await withServer('FTP', async (h, port, admin) => {
    await createOverApi(h, admin, 'ftpnew');
    const { stdout } = await run('lftp', ['-u', 'ftpnew,secret', '-e', 'set ftp:ssl-allow no; mkdir made-over-ftp; cls -1; bye', `ftp://127.0.0.1:${port}`]);
    assert.match(stdout, /made-over-ftp/);
  });
});

test('a user created over the API logs in over WebDAV at once', needsProtocol('WebDAV', 'curl'), async () => {
  await withServer('WebDAV', async (h, port, admin) => {
    await createOverApi(h, admin, 'davnew');
    const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-u', 'davnew:secret', '-X', 'PROPFIND', '-H', 'Depth: 1', `http://127.0.0.1:${port}/`]);
    assert.equal(stdout, '207');
  });
});
