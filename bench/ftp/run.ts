/**
 * FTP throughput against vsftpd, side by side in the same run: our server (in this process, real
 * core, memory provider) and our own vsftpd instance (anonymous with write, its own config file in
 * a temp dir, loopback high port). Same client (lftp), same files under /dev/shm:
 * 1 GiB upload, 1 GiB download, 1000 small files up (mirror -R) and down (mirror).
 * Rounds alternate between the servers; the median time per scenario is kept. Prints MB/s or
 * files/s, the ours/vsftpd throughput ratio (>1: ours faster) and server CPU seconds per scenario.
 * Run: node --import tsx bench/ftp/run.ts [rounds=3]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFtpServer } from '../../src/protocols/ftp/server.js';
import { createTestContext } from '../../test/helpers/context.js';

const GIB = 1024 ** 3;
const SMALL_FILES = 1000;
const SMALL_SIZE = 4096;

interface Target {
  name: string;
  port: number;
  user: string;
  password: string;
  /** Remote directory prefix (vsftpd's anonymous root is read-only; uploads go to pub/). */
  prefix: string;
  /** Starts counting server CPU; `stop` gives the seconds used. */
  cpu(): { stop(): Promise<number> };
}

interface Scenario {
  name: string;
  unit: 'MB/s' | 'files/s';
  amount: number;
  commands(t: Target, round: number, local: Local): string[];
}

interface Local {
  big: string;
  smallDir: string;
  outDir: string;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function randomFile(file: string, size: number): Promise<void> {
  const out = createWriteStream(file);
  for (let left = size; left > 0; left -= 4 << 20) {
    if (!out.write(randomBytes(Math.min(left, 4 << 20)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
}

function runLftp(t: Target, commands: string[], home: string): Promise<{ code: number | null; err: string }> {
  const script = ['set ftp:ssl-allow no', 'set net:max-retries 1', 'set xfer:clobber yes', 'set cmd:fail-exit yes',
    `open -u ${t.user},${t.password} ftp://127.0.0.1:${t.port}`, ...commands].join('; ');
  return new Promise((resolve) => {
    const child = spawn('lftp', ['-c', script], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, err }));
  });
}

/** utime+stime (ticks) and parent of every process. */
async function processTable(): Promise<Map<number, { ppid: number; ticks: number }>> {
  const out = new Map<number, { ppid: number; ticks: number }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (f.length > 14) out.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
  }
  return out;
}

/**
 * CPU of a process tree (vsftpd forks a process pair per session, gone when the session ends):
 * sampled every 50 ms, the last value seen per process is kept.
 */
function treeCpuSampler(root: number): { stop(): Promise<number> } {
  const last = new Map<number, number>();
  const sample = async () => {
    const table = await processTable();
    const inTree = (pid: number): boolean => pid === root || (pid > 1 && table.has(pid) && inTree(table.get(pid)!.ppid));
    for (const [pid, p] of table) if (inTree(pid)) last.set(pid, p.ticks);
  };
  let running = true;
  const loop = (async () => {
    while (running) {
      await sample();
      await sleep(50);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await sample();
      return [...last.values()].reduce((a, b) => a + b, 0) / 100;
    },
  };
}

async function startVsftpd(dir: string): Promise<{ target: Target; proc: ChildProcess }> {
  const root = path.join(dir, 'vsftpd-root');
  await mkdir(path.join(root, 'pub'), { recursive: true });
  await mkdir(path.join(dir, 'vsftpd-empty'), { recursive: true });
  await chmod(path.join(root, 'pub'), 0o777);
  const port = await freePort();
  const pasv = 20000 + Math.floor(Math.random() * 300) * 100;
  const conf = path.join(dir, 'vsftpd.conf');
  await writeFile(conf, [
    'listen=YES', 'listen_ipv6=NO', 'listen_address=127.0.0.1', `listen_port=${port}`, 'background=NO',
    'anonymous_enable=YES', 'local_enable=NO', 'no_anon_password=YES', `anon_root=${root}`, 'write_enable=YES',
    'anon_upload_enable=YES', 'anon_mkdir_write_enable=YES', 'anon_other_write_enable=YES', 'anon_umask=022',
    'allow_writeable_chroot=YES', `secure_chroot_dir=${path.join(dir, 'vsftpd-empty')}`, 'pasv_enable=YES',
    `pasv_min_port=${pasv}`, `pasv_max_port=${pasv + 99}`, 'seccomp_sandbox=NO', 'isolate=NO', 'isolate_network=NO',
    'xferlog_enable=NO', 'dirmessage_enable=NO', 'connect_from_port_20=NO', `vsftpd_log_file=${path.join(dir, 'vsftpd.log')}`, '',
  ].join('\n'));
  const proc = spawn('vsftpd', [conf], { stdio: 'ignore' });
  await sleep(500);
  if (proc.exitCode !== null) throw new Error(`vsftpd exited with ${proc.exitCode} (see ${conf})`);
  const pid = proc.pid!;
  return { proc, target: { name: 'vsftpd', port, user: 'anonymous', password: '', prefix: 'pub/', cpu: () => treeCpuSampler(pid) } };
}

async function startOurs(dir: string): Promise<{ target: Target; close(): Promise<void> }> {
  const ctx = await createTestContext({
    config: {
      ftpd: { bindings: [{ address: '127.0.0.1', port: 2121 }], passive_port_range: { start: 0, end: 0 } },
      common: { idle_timeout: 0 },
    },
  });
  const home = path.join(dir, 'ours-home');
  await ctx.addUser({ username: 'bench', password: 'bench-Pass-1', home_dir: home });
  await mkdir(home, { recursive: true });
  const server = createFtpServer(ctx);
  await server.start({ ephemeral: true });
  const cpu = () => {
    const start = process.cpuUsage();
    return {
      stop: async () => {
        const u = process.cpuUsage(start);
        return (u.user + u.system) / 1e6;
      },
    };
  };
  return {
    target: { name: 'ours', port: server.addresses()[0]!.port, user: 'bench', password: 'bench-Pass-1', prefix: '', cpu },
    async close() {
      await server.stop(0);
      await ctx.close();
    },
  };
}

const SCENARIOS: Scenario[] = [
  { name: '1 GiB upload', unit: 'MB/s', amount: GIB / 1e6, commands: (t, r, l) => [`put ${l.big} -o ${t.prefix}big-${r}.bin`] },
  { name: '1 GiB download', unit: 'MB/s', amount: GIB / 1e6, commands: (t, _r, l) => [`get ${t.prefix}big-0.bin -o ${l.outDir}/big.bin`] },
  { name: `${SMALL_FILES} small files upload`, unit: 'files/s', amount: SMALL_FILES,
    commands: (t, r, l) => [`mirror -R --no-perms --no-umask ${l.smallDir} ${t.prefix}small-${r}`] },
  { name: `${SMALL_FILES} small files download`, unit: 'files/s', amount: SMALL_FILES,
    commands: (t, r, l) => [`mirror --no-perms --no-umask ${t.prefix}small-0 ${l.outDir}/small-${r}`] },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(t: Target, s: Scenario, round: number, local: Local, home: string): Promise<{ secs: number; cpu: number }> {
  const cpu = t.cpu();
  const t0 = performance.now();
  const r = await runLftp(t, s.commands(t, round, local), home);
  const secs = (performance.now() - t0) / 1000;
  const used = await cpu.stop();
  if (r.code !== 0) throw new Error(`${t.name}: ${s.name} failed: ${r.err.trim()}`);
  return { secs, cpu: used };
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  for (const bin of ['lftp', 'vsftpd']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) throw new Error(`bench/ftp needs ${bin} (Debian package)`);
  }
  const dir = await mkdtemp('/dev/shm/sftpgo-bench-ftp-');
  const local: Local = { big: path.join(dir, 'big.bin'), smallDir: path.join(dir, 'small'), outDir: path.join(dir, 'out') };
  let vs: ChildProcess | undefined;
  let ours: Awaited<ReturnType<typeof startOurs>> | undefined;
  try {
    await Promise.all([mkdir(local.smallDir), mkdir(local.outDir), mkdir(path.join(dir, 'home'))]);
    await randomFile(local.big, GIB);
    for (let i = 0; i < SMALL_FILES; i++) await writeFile(path.join(local.smallDir, `f${String(i).padStart(4, '0')}.bin`), randomBytes(SMALL_SIZE));
    const v = await startVsftpd(dir);
    vs = v.proc;
    ours = await startOurs(dir);
    const targets = [ours.target, v.target];
    console.log(`FTP bench: lftp client, loopback, files under /dev/shm, ${rounds} rounds (median), node ${process.version}`);
    console.log('Numbers taken on a shared machine are noisy: compare the ratios, rerun quietly for absolutes.');
    for (const s of SCENARIOS) {
      const times = new Map(targets.map((t) => [t.name, { secs: [] as number[], cpu: [] as number[] }]));
      for (let r = 0; r < rounds; r++) {
        for (const t of r % 2 ? [...targets].reverse() : targets) {
          const m = await measure(t, s, r, local, path.join(dir, 'home'));
          times.get(t.name)!.secs.push(m.secs);
          times.get(t.name)!.cpu.push(m.cpu);
        }
      }
      const rate = (name: string) => s.amount / median(times.get(name)!.secs);
      const cpu = (name: string) => median(times.get(name)!.cpu);
      console.log(`${s.name.padEnd(28)} ours ${rate('ours').toFixed(1)} ${s.unit} (cpu ${cpu('ours').toFixed(2)} s)`
        + `  vsftpd ${rate('vsftpd').toFixed(1)} ${s.unit} (cpu ${cpu('vsftpd').toFixed(2)} s)`
        + `  ratio ours/vsftpd ${(rate('ours') / rate('vsftpd')).toFixed(2)}`);
    }
  } finally {
    vs?.kill('SIGTERM');
    await ours?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
