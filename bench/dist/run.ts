/**
 * The single executable (dist/sftpgo, build it first: make dist): file size and xz size,
 * start-up time to a listening port and idle RSS of `serve` (default sqlite provider, SFTP on a
 * loopback port) on a fresh config dir (creates the database and the host keys, RSA 4096 included)
 * and on a config dir used before, and of `portable` (fresh host keys every run), side by side
 * with OpenSSH's sshd started the same way (time to its listening port, idle RSS) as the
 * reference. Medians of N runs.
 * Run: node --import tsx bench/dist/run.ts [runs]   (default 7)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, x64Binary } from '../../test/integration/dist/binary.js';

const SSHD = '/usr/sbin/sshd';

/** Resolves once something accepts on 127.0.0.1:port (polled every 2 ms). */
async function listening(port: number, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 2));
  }
}

function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

interface Sample { startMs: number; rssMiB: number }

type Launch = (dir: string, port: number) => Promise<ChildProcess>;

/** Starts, waits for the port, stops: a run that leaves its files in `dir` (database, host keys). */
async function warmUp(launch: Launch, dir: string, port: number): Promise<void> {
  const child = await launch(dir, port);
  await listening(port, child);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
}

/** Starts a server (after a warm-up run when `restart`), times it to its port, waits `idleMs`, reads RSS, stops it. */
async function sample(launch: Launch, idleMs: number, restart: boolean): Promise<Sample> {
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-bench-dist-'));
  const port = await freePort();
  try {
    if (restart) await warmUp(launch, dir, port);
    const t0 = process.hrtime.bigint();
    const child = await launch(dir, port);
    await listening(port, child);
    const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
    await new Promise((r) => setTimeout(r, idleMs));
    const rss = rssMiB(child.pid!);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
    return { startMs, rssMiB: rss };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const bareEnv = (dir: string, extra: Record<string, string> = {}) => ({ PATH: '/usr/bin:/bin', HOME: dir, ...extra });

const serve = async (dir: string, port: number) => spawn(x64Binary, ['serve', '-c', dir, '-l', ''], {
  cwd: dir, stdio: 'ignore',
  env: bareEnv(dir, { SFTPGO_SFTPD__BINDINGS__0__PORT: String(port), SFTPGO_SFTPD__BINDINGS__0__ADDRESS: '127.0.0.1', SFTPGO_HTTPD__BINDINGS__0__PORT: '0', SFTPGO_TELEMETRY__BIND_PORT: '0' }),
});

const portable = async (dir: string, port: number) => spawn(x64Binary, ['portable', '-d', dir, '-s', String(port), '-p', 'pw'], {
  cwd: dir, stdio: 'ignore', env: bareEnv(dir, { SFTPGO_SFTPD__BINDINGS__0__ADDRESS: '127.0.0.1' }),
});

/** sshd in the foreground with its own host key and config (no root needed for listening). */
const sshd = async (dir: string, port: number) => {
  const key = join(dir, 'host_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const cfg = join(dir, 'sshd_config');
  await writeFile(cfg, `Port ${port}\nListenAddress 127.0.0.1\nHostKey ${key}\nPidFile ${join(dir, 'sshd.pid')}\nUsePAM no\nSubsystem sftp internal-sftp\n`);
  await mkdir('/run/sshd', { recursive: true });
  return spawn(SSHD, ['-D', '-e', '-f', cfg], { stdio: 'ignore' });
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function series(name: string, launch: Launch, runs: number, idleMs: number, restart = false) {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await sample(launch, idleMs, restart));
  const r = { start: median(samples.map((s) => s.startMs)), rss: median(samples.map((s) => s.rssMiB)) };
  console.log(`${name}: start-up to listening port ${r.start.toFixed(0)} ms, idle RSS ${r.rss.toFixed(1)} MiB (median of ${runs})`);
  return r;
}

async function main(): Promise<void> {
  if (!existsSync(x64Binary)) throw new Error('dist/sftpgo is not built: run make dist');
  const runs = Number(process.argv[2] ?? 7);
  const size = statSync(x64Binary).size;
  const xz = Number(execFileSync('sh', ['-c', `xz -6 -T0 -c '${x64Binary}' | wc -c`]).toString().trim());
  console.log(`dist/sftpgo: ${(size / 1048576).toFixed(1)} MiB, ${(xz / 1048576).toFixed(1)} MiB with xz -6`);
  await series('sftpgo serve, fresh config dir (creates db and host keys)', serve, runs, 3000);
  const s = await series('sftpgo serve, config dir used before', serve, runs, 3000, true);
  const p = await series('sftpgo portable (new host keys every run)', portable, runs, 3000);
  if (!existsSync(SSHD)) return console.log('reference: no OpenSSH sshd here');
  const ref = await series('reference: OpenSSH sshd -D', sshd, runs, 1000);
  console.log(`ratios to sshd: serve start ${(s.start / ref.start).toFixed(1)}x, portable start ${(p.start / ref.start).toFixed(1)}x, serve idle RSS ${(s.rss / ref.rss).toFixed(1)}x`);
}

main().catch((err: unknown) => { console.error(err); process.exit(1); });
