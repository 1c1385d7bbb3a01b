/**
 * Real FTP clients driven from tests: curl, lftp and rclone, each spawned asynchronously (the
 * server runs in the test process), with HOME pointed at a temp dir so no user config is read or
 * written. rclone is configured only with flags (an on-the-fly `:ftp:` remote).
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** lftp's protocol log (debug 9): every command and reply. */
  debug?: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Called once the process is spawned (tests that kill it mid-transfer). */
  onSpawn?: (pid: number) => void;
}

/** A temp HOME shared by the clients of a test file. */
export async function clientHome(): Promise<{ home: string; cleanup(): Promise<void> }> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-ftp-home-'));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}

export function run(cmd: string, args: string[], home: string, opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { PATH: process.env.PATH, HOME: home, LC_ALL: 'C', ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('spawn', () => opts.onSpawn?.(child.pid!));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A client that exits without reading its input (EPIPE) is judged by its exit code and output.
    child.stdin!.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** curl with the given arguments (silent, errors shown). */
export function curl(args: string[], home: string, opts?: RunOptions): Promise<RunResult> {
  return run('curl', ['--silent', '--show-error', '--connect-timeout', '60', ...args], home, opts);
}

export interface LftpTarget {
  port: number;
  user: string;
  password: string;
  /** 'ftp' (default), 'ftps' (implicit). */
  scheme?: 'ftp' | 'ftps';
  /** Explicit TLS (AUTH TLS) forced, data protected, certificate not verified. */
  tls?: boolean;
}

/** lftp running `commands` against the server; fails fast (no retries); `debug` holds the protocol log. */
export async function lftp(t: LftpTarget, commands: string[], home: string, extra: string[] = [], opts?: RunOptions): Promise<RunResult> {
  const log = path.join(home, `lftp-${randomUUID()}.log`);
  const tlsOn = t.tls || t.scheme === 'ftps';
  const settings = [
    'set cmd:fail-exit yes', 'set net:max-retries 1', 'set net:timeout 60', 'set net:reconnect-interval-base 1',
    `debug -o ${log} 9`, 'set xfer:clobber yes', 'set cmd:interactive no', 'set ftp:passive-mode yes',
    tlsOn ? 'set ftp:ssl-force yes' : 'set ftp:ssl-allow no',
    ...(tlsOn ? ['set ftp:ssl-protect-data yes', 'set ftp:ssl-protect-list yes', 'set ssl:verify-certificate no'] : []),
    ...extra,
  ];
  const open = `open -u ${t.user},${t.password} ${t.scheme ?? 'ftp'}://127.0.0.1:${t.port}`;
  const r = await run('lftp', ['-c', [...settings, open, ...commands].join('; ')], home, opts);
  r.debug = await readFile(log, 'utf8').catch(() => '');
  await rm(log, { force: true });
  return r;
}

export interface RcloneTarget {
  port: number;
  user: string;
  password: string;
  /** 'explicit' = AUTH TLS, 'implicit' = ftps. */
  tls?: 'explicit' | 'implicit';
}

/** rclone with an on-the-fly FTP remote (`:ftp:`) configured by flags only. */
export async function rclone(t: RcloneTarget, args: string[], home: string, opts?: RunOptions): Promise<RunResult> {
  const obscured = (await run('rclone', ['obscure', t.password], home)).stdout.trim();
  const flags = [
    '--config', path.join(home, 'rclone.conf'), '--ftp-host', '127.0.0.1', '--ftp-port', String(t.port),
    '--ftp-user', t.user, '--ftp-pass', obscured, '--retries', '1', '--low-level-retries', '1', '--contimeout', '60s',
    ...(t.tls === 'explicit' ? ['--ftp-explicit-tls', '--ftp-no-check-certificate'] : []),
    ...(t.tls === 'implicit' ? ['--ftp-tls', '--ftp-no-check-certificate'] : []),
  ];
  return run('rclone', [...args, ...flags], home, opts);
}

/** sha256 of a local file. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file).on('data', (d) => h.update(d)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}

/** Message for assertion failures: what the client printed. */
export function show(r: RunResult): string {
  return `exit ${r.code}\nstdout: ${r.stdout.slice(-2000)}\nstderr: ${r.stderr.slice(-2000)}${r.debug ? `\nlftp log: ${r.debug.slice(-3000)}` : ''}`;
}
