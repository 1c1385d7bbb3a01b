/**
 * Drives the built single executables (dist/) the way a user without Node would: an environment
 * as bare as `env -i` (only PATH, HOME and what the test adds), where PATH is an empty directory,
 * so not even a system-wide `node` can be reached, and a fresh working directory. The binary runs
 * from a place outside the repository ({@link installed}): from dist/ a stray require could still
 * find the repo's node_modules and hide a broken bundle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const x64Binary = join(root, 'dist', 'sftpgo');
export const arm64Binary = join(root, 'dist', 'sftpgo-linux-arm64');
/** Debian's qemu-user and the arm64 sysroot of the cross packages (Makefile DIST_DEBS). */
export const qemuArm64 = { bin: 'qemu-aarch64-static', sysroot: '/usr/aarch64-linux-gnu' };

/** A scratch place per test: `home` (HOME and cwd), `bin` (PATH: empty), removed by `cleanup`. */
export interface Sandbox {
  dir: string;
  home: string;
  bin: string;
  cleanup(): Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-dist-'));
  const home = join(dir, 'home');
  const bin = join(dir, 'bin');
  await mkdir(home);
  await mkdir(bin);
  return { dir, home, bin, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The whole environment of the binary: like `env -i PATH=<empty dir> HOME=<tmp> ...extra`. */
export function bareEnv(box: Sandbox, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: box.bin, HOME: box.home, ...extra };
}

/** A running (or finished) binary with its output so far. */
export class Proc {
  stdout = '';
  stderr = '';
  code: number | null = null;
  readonly exited: Promise<number>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => { this.stdout += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    this.exited = new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => { this.code = code ?? (signal ? 128 : 1); resolve(this.code); });
    });
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Resolves 'match' once `re` appears in stdout+stderr, or 'exit' when the process ends first. */
  async waitFor(re: RegExp): Promise<'match' | 'exit'> {
    while (this.code === null && !re.test(this.output)) {
      const tick = new Promise((r) => setTimeout(r, 50));
      await Promise.race([tick, this.exited]);
    }
    return re.test(this.output) ? 'match' : 'exit';
  }

  /** SIGTERM, then the exit code. */
  async stop(): Promise<number> {
    if (this.code === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}

/** Starts `binary args` (through `prefix`, e.g. qemu) in the sandbox with the bare environment. */
export function start(binary: string, args: string[], box: Sandbox, env: Record<string, string> = {}, prefix: string[] = []): Proc {
  const [cmd, ...pre] = [...prefix, binary];
  return new Proc(spawn(cmd!, [...pre, ...args], { cwd: box.home, env: bareEnv(box, env), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Runs to the end. */
export async function run(binary: string, args: string[], box: Sandbox, env: Record<string, string> = {}, prefix: string[] = []): Promise<Proc> {
  const p = start(binary, args, box, env, prefix);
  await p.exited;
  return p;
}

/** A TCP port free on 127.0.0.1 right now (a binding cannot ask for port 0 from outside). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const installedCopies = new Map<string, string>();

/**
 * `binary` as installed outside the repository (a hard link, else a copy, in a temp dir removed
 * when the test process exits); one per binary and test process.
 */
export function installed(binary: string): string {
  let copy = installedCopies.get(binary);
  if (!copy) {
    const dir = mkdtempSync(join(tmpdir(), 'sftpgo-dist-bin-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    copy = join(dir, 'sftpgo');
    try {
      linkSync(binary, copy);
    } catch {
      copyFileSync(binary, copy);
    }
    installedCopies.set(binary, copy);
  }
  return copy;
}

/** True when the binary exists. */
export const built = (binary: string) => existsSync(binary);
