/**
 * Starts our SSH server on 127.0.0.1 (port 0) over a full test context, and runs the real OpenSSH
 * clients (sftp, scp, ssh) against it. Host key: one Ed25519 key generated in the context's config
 * dir (RSA 4096 generation is tested once, in host-keys.test.ts).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeepPartial } from '../../../src/config/index.js';
import type { Config } from '../../../src/config/types.js';
import { noopMetrics, type Metrics } from '../../../src/core/types.js';
import { SftpServer } from '../../../src/protocols/sftp/server.js';
import { createTestContext, type TestContext, type TestUserInput } from '../../helpers/context.js';

export interface Harness {
  ctx: TestContext;
  server: SftpServer;
  port: number;
  dir: string;
  /** Generates an Ed25519 key pair under the context dir; returns the private key path and public line. */
  userKey(name: string): Promise<{ key: string; pub: string }>;
  addUser(u: TestUserInput): Promise<void>;
  close(): Promise<void>;
}

export async function startServer(config: DeepPartial<Config> = {}, metrics: Partial<Metrics> = {}): Promise<Harness> {
  const ctx = await createTestContext({
    metrics: { ...noopMetrics, ...metrics },
    config: {
      ...config,
      common: { idle_timeout: 0, ...config.common },
      sftpd: { bindings: [{ port: 2022, address: '127.0.0.1', apply_proxy_config: false }], host_keys: ['id_ed25519'], ...config.sftpd },
    },
  });
  const server = new SftpServer(ctx);
  await server.start({ ephemeral: true });
  const port = server.addresses()[0]!.port;
  return {
    ctx, server, port, dir: ctx.dir,
    async userKey(name) {
      const key = path.join(ctx.dir, 'keys', name);
      await mkdir(path.dirname(key), { recursive: true });
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
      const { readFile } = await import('node:fs/promises');
      return { key, pub: (await readFile(`${key}.pub`, 'utf8')).trim() };
    },
    async addUser(u) {
      const user = await ctx.addUser(u);
      await mkdir(user.home_dir, { recursive: true });
    },
    async close() {
      await server.stop(0);
      await ctx.close();
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; never rejects on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { env: { ...process.env, ...opts.env }, cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? (err as unknown as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    // A client that exits without reading its input (EPIPE) is judged by its exit code and output.
    child.stdin!.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin?.end();
  });
}

/** Spawns a program (for tests that kill it midway). */
export function start(cmd: string, args: string[]): ChildProcess {
  return spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** ssh options shared by every client: no config files, no known_hosts, no agent. */
export function sshOptions(port: number, auth: { key?: string; password?: boolean } = {}): string[] {
  const o = [
    '-F', '/dev/null', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
    '-o', 'IdentityAgent=none', '-o', 'ControlMaster=no', '-o', 'ConnectTimeout=20',
  ];
  if (auth.key) o.push('-o', 'IdentitiesOnly=yes', '-i', auth.key);
  if (auth.password && !auth.key) o.push('-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive', '-o', 'NumberOfPasswordPrompts=1');
  // sftp -b turns BatchMode on, which forbids password prompts: sshpass needs it off.
  o.push('-o', `BatchMode=${auth.password ? 'no' : 'yes'}`);
  return o;
}

/** `sftp -b -` with a batch on stdin; sshpass supplies the password when given. */
export function sftpBatch(h: Harness, user: string, batch: string, auth: { key?: string; password?: string; extra?: string[] } = {}): Promise<RunResult> {
  const args = [...sshOptions(h.port, { key: auth.key, password: auth.password !== undefined }), ...(auth.extra ?? []), '-P', String(h.port), '-b', '-', `${user}@127.0.0.1`];
  if (auth.password !== undefined) return run('sshpass', ['-p', auth.password, 'sftp', ...args], { input: batch });
  return run('sftp', args, { input: batch });
}

/** `ssh user@host command`. */
export function sshExec(h: Harness, user: string, command: string, auth: { key?: string; password?: string; input?: string | Buffer } = {}): Promise<RunResult> {
  const args = [...sshOptions(h.port, { key: auth.key, password: auth.password !== undefined }), '-p', String(h.port), `${user}@127.0.0.1`, command];
  if (auth.password !== undefined) return run('sshpass', ['-p', auth.password, 'ssh', ...args], { input: auth.input });
  return run('ssh', args, { input: auth.input });
}

/** `scp [extra] from to` (extra may hold -O for the legacy protocol). */
export function scp(h: Harness, extra: string[], from: string[], to: string, auth: { key?: string; password?: string } = {}): Promise<RunResult> {
  const args = [...sshOptions(h.port, { key: auth.key, password: auth.password !== undefined }), '-P', String(h.port), ...extra, ...from, to];
  if (auth.password !== undefined) return run('sshpass', ['-p', auth.password, 'scp', ...args]);
  return run('scp', args);
}

/** Writes an executable script. */
export async function writeScript(file: string, text: string): Promise<string> {
  await writeFile(file, text);
  await chmod(file, 0o755);
  return file;
}

/** A scratch dir for big files: /dev/shm when present (RAM), else the OS temp dir. */
export async function scratchDir(prefix: string): Promise<string> {
  const { mkdtemp } = await import('node:fs/promises');
  const { existsSync } = await import('node:fs');
  const os = await import('node:os');
  const base = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return mkdtemp(path.join(base, prefix));
}

/** Writes `size` pseudo-random bytes (fast: one random 1 MiB block repeated with a counter). */
export async function randomFile(file: string, size: number): Promise<void> {
  const { open } = await import('node:fs/promises');
  const { randomBytes } = await import('node:crypto');
  const block = randomBytes(1024 * 1024);
  const fh = await open(file, 'w');
  try {
    for (let off = 0, i = 0; off < size; off += block.length, i++) {
      block.writeUInt32BE(i, 0);
      await fh.write(block, 0, Math.min(block.length, size - off));
    }
  } finally {
    await fh.close();
  }
}

/** sha256 of a file, hex. */
export async function fileHash(file: string, algo = 'sha256'): Promise<string> {
  const { createHash } = await import('node:crypto');
  const { createReadStream } = await import('node:fs');
  const h = createHash(algo);
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The home dir of a test user. */
export function homeOf(h: Harness, username: string): string {
  return path.join(h.dir, 'users', username);
}
