/**
 * `sftpgo portable` as a user runs it, with every file protocol on: one process shares a directory
 * over SFTP, FTP and WebDAV at once, and the real clients (OpenSSH sftp, curl for FTP and WebDAV)
 * upload and download through it; a wrong password is refused on each protocol.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cliEntry, repoRoot } from '../../helpers/cli.js';
import { needsBinaries } from '../../helpers/require.js';
import { freePort } from '../dist/binary.js';

const run = promisify(execFile);

/** Starts portable and resolves once it printed its ready line (rejects if it exits first). */
function startPortable(args: string[]): Promise<{ stop(): Promise<number>; output(): string }> {
  const child = spawn(process.execPath, [...cliEntry, 'portable', ...args], {
    cwd: repoRoot, env: { ...process.env, NODE_NO_WARNINGS: '1', SFTPGO_SFTPD__BINDINGS__0__ADDRESS: '127.0.0.1' },
  });
  let out = '';
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const stop = async () => { child.kill('SIGTERM'); return exited; };
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/Portable mode ready/.test(out)) resolve({ stop, output: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`portable exited ${code}: ${out}`)));
  });
}

function sftpBatch(port: number, password: string, cwd: string, commands: string): Promise<{ code: number; out: string }> {
  // -b implies BatchMode=yes, which forbids password prompts: turned back off for sshpass.
  const args = ['-p', password, 'sftp', '-P', String(port), '-oBatchMode=no', '-oStrictHostKeyChecking=no', '-oUserKnownHostsFile=/dev/null',
    '-oPreferredAuthentications=password', '-oPubkeyAuthentication=no', '-b', '-', 'tester@127.0.0.1'];
  return new Promise((resolve, reject) => {
    const child = spawn('sshpass', args, { cwd });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
    child.stdin.end(commands);
  });
}

/** curl's exit code and output, never throwing. */
async function curl(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run('curl', ['-sS', ...args]);
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? 1, out: e.stderr ?? '' };
  }
}

test('portable shares one directory over SFTP, FTP and WebDAV at once; wrong passwords are refused', needsBinaries('sftp', 'sshpass', 'curl'), async () => {
  const base = await mkdtemp(join(tmpdir(), 'sftpgo-portable-clients-'));
  const shared = join(base, 'share');
  const local = join(base, 'local');
  await mkdir(shared);
  await mkdir(local);
  const served = randomBytes(200_000);
  await writeFile(join(shared, 'served.bin'), served);
  for (const name of ['s.bin', 'f.bin', 'd.bin']) await writeFile(join(local, name), randomBytes(150_000));
  const [sftp, ftp, dav] = [await freePort(), await freePort(), await freePort()];
  const p = await startPortable(['-d', shared, '-u', 'tester', '-p', 'pw-ok', '-g', '*', '-s', String(sftp), '--ftpd-port', String(ftp), '--webdav-port', String(dav)]);
  try {
    const out = p.output();
    assert.match(out, new RegExp(`sftp -P ${sftp} tester@`), out);
    const s = await sftpBatch(sftp, 'pw-ok', local, 'put s.bin\nget served.bin got-sftp.bin\nbye\n');
    assert.equal(s.code, 0, s.out);
    assert.equal((await curl('-T', join(local, 'f.bin'), `ftp://tester:pw-ok@127.0.0.1:${ftp}/`)).code, 0);
    assert.equal((await curl('-o', join(local, 'got-ftp.bin'), `ftp://tester:pw-ok@127.0.0.1:${ftp}/served.bin`)).code, 0);
    assert.equal((await curl('-f', '-T', join(local, 'd.bin'), '-u', 'tester:pw-ok', `http://127.0.0.1:${dav}/d.bin`)).code, 0);
    assert.equal((await curl('-f', '-o', join(local, 'got-dav.bin'), '-u', 'tester:pw-ok', `http://127.0.0.1:${dav}/served.bin`)).code, 0);
    for (const name of ['s.bin', 'f.bin', 'd.bin']) assert.deepEqual(await readFile(join(shared, name)), await readFile(join(local, name)), name);
    for (const name of ['got-sftp.bin', 'got-ftp.bin', 'got-dav.bin']) assert.deepEqual(await readFile(join(local, name)), served, name);
    assert.notEqual((await sftpBatch(sftp, 'pw-bad', local, 'ls\nbye\n')).code, 0, 'SFTP wrong password');
    assert.equal((await curl(`ftp://tester:pw-bad@127.0.0.1:${ftp}/`)).code, 67, 'FTP wrong password: curl "login denied"');
    assert.match((await curl('-o', '/dev/null', '-w', '%{http_code}', '-u', 'tester:pw-bad', `http://127.0.0.1:${dav}/served.bin`)).out, /^401$/, 'WebDAV wrong password');
  } finally {
    assert.equal(await p.stop(), 0, p.output());
  }
  assert.deepEqual((await readdir(shared)).sort(), ['d.bin', 'f.bin', 's.bin', 'served.bin'], 'nothing else written in the shared directory');
  await rm(base, { recursive: true, force: true });
});
