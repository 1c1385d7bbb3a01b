/**
 * SFTPGo's log categories (INVENTORY §9.1) as an admin's log shipper sees them: `sftpgo serve` as
 * a real process logging to a file, driven by real clients (OpenSSH sftp, scp and ssh, curl and lftp
 * for FTP, curl for WebDAV and the HTTP file API). The JSON lines hold one transfer line per
 * transfer on every protocol, one command line per operation, and the httpd/webdavd access lines,
 * with SFTPGo's keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliEntry, repoRoot } from '../../helpers/cli.js';
import { needsBinaries } from '../../helpers/require.js';
import { freePort } from '../dist/binary.js';

const run = promisify(execFile);
type Line = Record<string, unknown>;

const SSH_OPTS = ['-oStrictHostKeyChecking=no', '-oUserKnownHostsFile=/dev/null', '-oPreferredAuthentications=password', '-oPubkeyAuthentication=no'];

/** Starts serve and resolves once every listener printed its address. */
function startServe(dir: string, names: string[]): Promise<{ stop(): Promise<number> }> {
  const child = spawn(process.execPath, [...cliEntry, 'serve', '-c', dir, '--log-file-path', join(dir, 'sftpgo.log')], {
    cwd: repoRoot, env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  let out = '';
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (names.every((n) => new RegExp(`^${n}: `, 'm').test(out))) resolve({ stop: async () => { child.kill('SIGTERM'); return exited; } });
    });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

/** Runs a client; its output is returned, a failure throws with it. */
async function client(cmd: string, args: string[], input?: string, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // HOME is the test's directory: no user client config is read or written.
    const child = spawn(cmd, args, { cwd, env: { PATH: process.env.PATH, HOME: cwd ?? tmpdir(), LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out}`))));
    child.stdin.end(input ?? '');
  });
}

async function adminToken(http: string): Promise<string> {
  const basic = `Basic ${Buffer.from('admin:password').toString('base64')}`;
  return ((await (await fetch(`${http}/api/v2/token`, { headers: { authorization: basic } })).json()) as { access_token: string }).access_token;
}

test('serve logs transfers, commands and access lines of real clients as SFTPGo JSON lines', { ...needsBinaries('sftp', 'scp', 'ssh', 'sshpass', 'curl', 'lftp'), timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-oplog-'));
  const home = join(dir, 'home');
  const local = join(dir, 'local');
  await mkdir(local);
  const [sftpPort, ftpPort, davPort, httpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  await writeFile(join(dir, 'sftpgo.json'), JSON.stringify({
    sftpd: { bindings: [{ address: '127.0.0.1', port: sftpPort }] },
    ftpd: { bindings: [{ address: '127.0.0.1', port: ftpPort }], passive_port_range: { start: 0, end: 0 } },
    webdavd: { bindings: [{ address: '127.0.0.1', port: davPort }] },
    httpd: { bindings: [{ address: '127.0.0.1', port: httpPort, enable_web_admin: false, enable_web_client: false }] },
    telemetry: { bind_port: 0 },
    data_provider: { create_default_admin: true, password_hashing: { bcrypt_options: { cost: 4 } } },
  }));
  const up = randomBytes(70_000);
  await writeFile(join(local, 'up.bin'), up);
  const http = `http://127.0.0.1:${httpPort}`;
  const srv = await startServe(dir, ['SFTP', 'FTP', 'WebDAV', 'HTTP']);
  let code = -1;
  try {
    const created = await fetch(`${http}/api/v2/users`, {
      method: 'POST', headers: { authorization: `Bearer ${await adminToken(http)}` },
      body: JSON.stringify({ username: 'logger', password: 'pw', status: 1, home_dir: home, permissions: { '/': ['*'] } }),
    });
    assert.equal(created.status, 201, await created.text());

    // SFTP: transfers and every command; SSH: a command.
    await client('sshpass', ['-p', 'pw', 'sftp', '-P', String(sftpPort), ...SSH_OPTS, '-oBatchMode=no', '-b', '-', 'logger@127.0.0.1'],
      'put up.bin\nget up.bin got.bin\nmkdir d\nrename up.bin d/moved.bin\nchmod 600 d/moved.bin\nln -s d/moved.bin link\nrm link\nbye\n', local);
    const md5 = await client('sshpass', ['-p', 'pw', 'ssh', '-p', String(sftpPort), ...SSH_OPTS, 'logger@127.0.0.1', 'md5sum /d/moved.bin']);
    assert.match(md5, /^[0-9a-f]{32} {2}\/d\/moved\.bin$/m);
    await client('sshpass', ['-p', 'pw', 'sftp', '-P', String(sftpPort), ...SSH_OPTS, '-oBatchMode=no', '-b', '-', 'logger@127.0.0.1'],
      'rm d/moved.bin\nrmdir d\nbye\n', local);
    // SCP (legacy protocol, -O): an upload.
    await client('sshpass', ['-p', 'pw', 'scp', '-O', '-P', String(sftpPort), ...SSH_OPTS, join(local, 'up.bin'), 'logger@127.0.0.1:/scp.bin']);
    // FTP (curl): upload and download.
    await run('curl', ['-sS', '-T', join(local, 'up.bin'), `ftp://logger:pw@127.0.0.1:${ftpPort}/ftp.bin`]);
    await run('curl', ['-sS', '-o', join(local, 'ftp-got.bin'), `ftp://logger:pw@127.0.0.1:${ftpPort}/ftp.bin`]);
    // FTP (lftp): commands.
    await client('lftp', ['-c', `set cmd:fail-exit yes; set net:max-retries 1; open -u logger,pw ftp://127.0.0.1:${ftpPort}; `
      + 'mkdir fd; mv ftp.bin fd/ftp.bin; rm fd/ftp.bin; rmdir fd'], undefined, local);
    // WebDAV (curl): upload, download, a collection and a move.
    const dav = `http://127.0.0.1:${davPort}`;
    await run('curl', ['-sS', '-f', '-u', 'logger:pw', '-A', 'oplog-test', '-T', join(local, 'up.bin'), `${dav}/dav.bin`]);
    await run('curl', ['-sS', '-f', '-u', 'logger:pw', '-o', join(local, 'dav-got.bin'), `${dav}/dav.bin`]);
    await run('curl', ['-sS', '-f', '-u', 'logger:pw', '-X', 'MKCOL', `${dav}/col`]);
    await run('curl', ['-sS', '-f', '-u', 'logger:pw', '-X', 'MOVE', '-H', `Destination: ${dav}/col/dav.bin`, `${dav}/dav.bin`]);
    // HTTP file API: a download.
    const token = JSON.parse((await run('curl', ['-sS', '-f', '-u', 'logger:pw', `${http}/api/v2/user/token`])).stdout) as { access_token: string };
    await run('curl', ['-sS', '-f', '-H', `Authorization: Bearer ${token.access_token}`, '-o', join(local, 'http-got.bin'), `${http}/api/v2/user/file?path=%2Fcol%2Fdav.bin`]);
  } finally {
    code = await srv.stop();
  }
  try {
    assert.equal(code, 0);
    const text = await readFile(join(dir, 'sftpgo.log'), 'utf8');
    const raw = text.split('\n').filter(Boolean);
    const lines = raw.map((l) => JSON.parse(l) as Line);
    for (const [i, l] of raw.entries()) {
      assert.match(String(lines[i]!.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
      assert.ok(['debug', 'info', 'warn', 'error'].includes(String(lines[i]!.level)), l);
      for (const key of ['sender', 'connection_id', 'protocol', 'request_id']) {
        assert.ok(l.split(`"${key}":`).length <= 2, `${key} written once: ${l}`);
      }
    }
    const h = (p: string) => join(home, p);
    const transfers = lines.filter((l) => l.sender === 'Upload' || l.sender === 'Download')
      .map((l) => [l.sender, l.protocol, l.file_path, l.size_bytes, l.username, String(l.connection_id).split('_')[0]]);
    assert.deepEqual(transfers, [
      ['Upload', 'SFTP', h('up.bin'), up.length, 'logger', 'SFTP'],
      ['Download', 'SFTP', h('up.bin'), up.length, 'logger', 'SFTP'],
      ['Upload', 'SCP', h('scp.bin'), up.length, 'logger', 'SCP'],
      ['Upload', 'FTP', h('ftp.bin'), up.length, 'logger', 'FTP'],
      ['Download', 'FTP', h('ftp.bin'), up.length, 'logger', 'FTP'],
      ['Upload', 'DAV', h('dav.bin'), up.length, 'logger', 'DAV'],
      ['Download', 'DAV', h('dav.bin'), up.length, 'logger', 'DAV'],
      ['Download', 'HTTP', h('col/dav.bin'), up.length, 'logger', 'HTTP'],
    ]);
    for (const l of lines.filter((x) => x.sender === 'Upload' || x.sender === 'Download')) {
      assert.match(String(l.remote_addr), /^127\.0\.0\.1:\d+$/);
      assert.ok(Number.isInteger(l.elapsed_ms));
      assert.equal(l.message, undefined);
    }
    const commands = lines.filter((l) => ['Rename', 'Rmdir', 'Mkdir', 'Symlink', 'Remove', 'Chmod', 'Chown', 'Chtimes', 'Truncate', 'SSHCommand'].includes(String(l.sender)))
      .map((l) => [l.sender, l.protocol, l.file_path, l.target_path, l.filemode, l.ssh_command, l.uid, l.size]);
    assert.deepEqual(commands, [
      ['Mkdir', 'SFTP', h('d'), '', '', '', -1, -1],
      ['Rename', 'SFTP', h('up.bin'), h('d/moved.bin'), '', '', -1, -1],
      ['Chmod', 'SFTP', h('d/moved.bin'), '', '-rw-------', '', -1, -1],
      ['Symlink', 'SFTP', h('d/moved.bin'), h('link'), '', '', -1, -1],
      ['Remove', 'SFTP', h('link'), '', '', '', -1, -1],
      ['SSHCommand', 'SSH', h('d/moved.bin'), '', '', 'md5sum /d/moved.bin', -1, -1],
      ['Remove', 'SFTP', h('d/moved.bin'), '', '', '', -1, -1],
      ['Rmdir', 'SFTP', h('d'), '', '', '', -1, -1],
      ['Mkdir', 'FTP', h('fd'), '', '', '', -1, -1],
      ['Rename', 'FTP', h('ftp.bin'), h('fd/ftp.bin'), '', '', -1, -1],
      ['Remove', 'FTP', h('fd/ftp.bin'), '', '', '', -1, -1],
      ['Rmdir', 'FTP', h('fd'), '', '', '', -1, -1],
      ['Mkdir', 'DAV', h('col'), '', '', '', -1, -1],
      ['Rename', 'DAV', h('dav.bin'), h('col/dav.bin'), '', '', -1, -1],
    ]);
    const davAccess = lines.filter((l) => l.sender === 'webdavd' && l.user_agent === 'oplog-test');
    assert.equal(davAccess.length, 1, 'one access line per WebDAV request');
    const put = davAccess[0]!;
    assert.equal(put.method, 'PUT');
    assert.equal(put.uri, `http://127.0.0.1:${davPort}/dav.bin`);
    assert.equal(put.resp_status, 201);
    assert.match(String(put.request_id), /^DAV_[0-9a-f]{20}$/);
    assert.equal(lines.find((l) => l.sender === 'Upload' && l.protocol === 'DAV')?.connection_id, put.request_id, 'the request id is the connection id');
    // (The debug line "request served" shares sender and method: the access line is the one with a uri.)
    const moveAccess = lines.find((l) => l.sender === 'webdavd' && l.method === 'MOVE' && l.uri !== undefined);
    assert.equal(moveAccess?.resp_status, 201);
    const fileAccess = lines.find((l) => l.sender === 'httpd' && String(l.uri).includes('/api/v2/user/file'));
    assert.equal(fileAccess?.uri, `${`http://127.0.0.1:${httpPort}`}/api/v2/user/file?path=%2Fcol%2Fdav.bin`);
    assert.equal(fileAccess?.resp_status, 200);
    assert.equal(fileAccess?.resp_size, up.length, 'body bytes');
    for (const l of [put, fileAccess!]) {
      assert.deepEqual(Object.keys(l).sort(), ['elapsed_ms', 'level', 'method', 'proto', 'remote_addr', 'request_id', 'resp_size', 'resp_status', 'sender', 'time', 'uri', 'user_agent']);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
