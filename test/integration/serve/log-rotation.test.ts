/**
 * SIGUSR1 rotates the log file (INVENTORY §1.5) of `serve` and of `portable` running as real
 * processes: the old file is renamed with lumberjack's `<name>-<timestamp>.<ext>`, a new file gets
 * the next lines, the process keeps serving, and Node's inspector (which SIGUSR1 would otherwise
 * start) never comes up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliEntry, repoRoot } from '../../helpers/cli.js';
import { freePort } from '../dist/binary.js';

interface Proc {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts the CLI and resolves once `ready` matched its output. */
function startCli(args: string[], ready: RegExp): Promise<Proc> {
  const env = { ...process.env, NODE_NO_WARNINGS: '1', SFTPGO_SFTPD__BINDINGS__0__ADDRESS: '127.0.0.1' };
  const child = spawn(process.execPath, [...cliEntry, ...args], { cwd: repoRoot, env });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return new Promise((resolve, reject) => {
    const check = () => { if (ready.test(out + err)) resolve({ child, stderr: () => err, exited }); };
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); check(); });
    child.stderr!.on('data', (d: Buffer) => { err += d.toString(); check(); });
    void exited.then((code) => reject(new Error(`exited ${code} before ready: ${out}${err}`)));
  });
}

/** Waits (bounded, event-loop paced) until `probe` returns a value. */
async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const rotatedNames = async (dir: string) => (await readdir(dir)).filter((n) => /^sftpgo-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}(-\d+)?\.log$/.test(n)).sort();

/** A TCP connection to the SSH port that reads the server's identification line. */
function sshBanner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    s.once('data', (d) => { resolve(d.toString()); s.destroy(); });
    s.once('error', reject);
    s.setTimeout(30_000, () => { s.destroy(); reject(new Error('no SSH identification line')); });
  });
}

/** Sends SIGUSR1 twice and checks the files; then stops the process. */
async function checkRotation(p: Proc, logDir: string, sftpPort: number): Promise<void> {
  const log = join(logDir, 'sftpgo.log');
  const before = await until(async () => (await readFile(log, 'utf8').catch(() => '')) || undefined, 'start-up lines');
  p.child.kill('SIGUSR1');
  // The rotation is complete once its own line reached the new file (the library briefly creates
  // an empty file under the rotated name before the rename, so the listing alone is not enough).
  await until(async () => ((await readFile(log, 'utf8').catch(() => '')).includes('log file rotated') ? true : undefined), 'the new file to get lines');
  const [first, ...more] = await rotatedNames(logDir);
  assert.equal(more.length, 0);
  const moved = await readFile(join(logDir, first!), 'utf8');
  assert.ok(moved.startsWith(before), `the old lines moved with the rename:\n${before}\n---\n${moved}`);
  assert.match(await sshBanner(sftpPort), /^SSH-2\.0-/, 'still serving');
  p.child.kill('SIGUSR1');
  await until(async () => ((await rotatedNames(logDir)).length === 2 ? true : undefined), 'a second rotation');
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0, p.stderr());
  const current = await readFile(log, 'utf8');
  assert.match(current, /stopped/, 'lines after the rotation go to the new file');
  assert.ok(!current.includes(before.split('\n')[0]!), 'start-up lines stay in the rotated file only');
  assert.doesNotMatch(p.stderr(), /Debugger listening|inspector/i, 'SIGUSR1 must not start the Node inspector');
}

test('serve: SIGUSR1 renames the log file to sftpgo-<timestamp>.log and goes on in a new one', { timeout: 180_000 }, async () => {
  let p: Proc | undefined;
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-rotate-'));
  try {
    const sftp = await freePort();
    await writeFile(join(dir, 'sftpgo.json'), JSON.stringify({
      sftpd: { bindings: [{ address: '127.0.0.1', port: sftp }] }, httpd: { bindings: [] }, telemetry: { bind_port: 0 },
    }));
    p = await startCli(['serve', '-c', dir, '--log-file-path', 'sftpgo.log'], /^SFTP: /m);
    await checkRotation(p, dir, sftp);
  } finally {
    p?.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

test('portable: SIGUSR1 rotates its log file too', { timeout: 180_000 }, async () => {
  let p: Proc | undefined;
  const base = await mkdtemp(join(tmpdir(), 'sftpgo-rotate-portable-'));
  try {
    const logs = join(base, 'logs');
    await mkdir(logs);
    await mkdir(join(base, 'share'));
    const sftp = await freePort();
    p = await startCli([
      'portable', '-d', join(base, 'share'), '-u', 'tester', '-p', 'pw', '-s', String(sftp), '--log-file-path', join(logs, 'sftpgo.log'),
    ], /Portable mode ready/);
    await checkRotation(p, logs, sftp);
  } finally {
    p?.child.kill('SIGKILL');
    await rm(base, { recursive: true, force: true });
  }
});
