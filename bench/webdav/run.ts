/**
 * WebDAV throughput, ours against nginx's dav module (Debian nginx-light, its own instance on a
 * loopback port with its own config, pid and temp dirs), side by side in the same run: the same
 * client (curl), the same 1 GiB file under /dev/shm, both servers storing under /dev/shm and both
 * checking HTTP Basic credentials. Runs alternate (ours, nginx, ours, nginx...); each round gives
 * a ratio of two neighbouring runs (they share the machine's load), and the median ratio is kept.
 * Also prints the server CPU time per GiB (ours: this process; nginx: its worker), which shared
 * machines disturb less than wall time. Ratios are ours/nginx: above 1 we are faster.
 * Run: node --import tsx bench/webdav/run.ts [rounds=3] [sizeMiB=1024]
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, writeSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startDav } from '../../test/integration/webdav/harness.js';

const USER = 'bench';
const PASS = 'bench-pass';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function makeFile(path: string, mib: number): void {
  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < mib; i++) writeSync(fd, randomFillSync(buf));
  closeSync(fd);
}

function nginxConfig(dir: string, port: number, root: string): string {
  return `daemon off;
master_process on;
worker_processes 1;
user root;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  client_max_body_size 0;
  sendfile on;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / {
      dav_methods PUT DELETE MKCOL COPY MOVE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      auth_basic "bench";
      auth_basic_user_file ${dir}/htpasswd;
    }
  }
}
`;
}

/** CPU seconds (user + system) used so far by a process, from /proc. */
function procCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The nginx worker (the master's only child), whose CPU is the server's. */
function nginxWorker(master: number): number {
  const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/);
  return Number(children[0]);
}

async function startNginx(dir: string, root: string): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  mkdirSync(join(dir, 'body'), { recursive: true });
  const hash = execFileSync('openssl', ['passwd', '-apr1', PASS]).toString().trim();
  writeFileSync(join(dir, 'htpasswd'), `${USER}:${hash}\n`);
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, root));
  const proc = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('curl', ['-s', '-o', '/dev/null', '-u', `${USER}:${PASS}`, url]);
      return { url, proc };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('nginx did not start');
}

const execFileAsync = promisify(execFile);

/** Seconds curl took for one transfer (curl's own timer). Async: our server runs in this process. */
async function curlSeconds(args: string[]): Promise<number> {
  const { stdout } = await execFileAsync('curl', ['-sS', '--fail', '-u', `${USER}:${PASS}`, '-w', '%{time_total}', ...args]);
  return Number(stdout.trim().split('\n').pop());
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  const mib = Number(process.argv[3] ?? 1024);
  const work = mkdtempSync('/dev/shm/sftpgo-bench-webdav-');
  const src = join(work, 'src.bin');
  mkdirSync(join(work, 'ours'));
  mkdirSync(join(work, 'nginx-root'));
  makeFile(src, mib);
  const ours = await startDav({ users: [{ username: USER, password: PASS, home_dir: join(work, 'ours') }] });
  const nginx = await startNginx(join(work, 'nginx'), join(work, 'nginx-root'));
  const worker = nginxWorker(nginx.proc.pid!);
  const servers = [
    { name: 'ours', url: ours.url, cpu: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; } },
    { name: 'nginx', url: nginx.url, cpu: () => procCpuSeconds(worker) },
  ];
  const runs: Record<string, Record<'up' | 'down', { s: number; cpu: number }[]>> = { ours: { up: [], down: [] }, nginx: { up: [], down: [] } };
  const timed = async (srv: (typeof servers)[number], args: string[]) => {
    const c0 = srv.cpu();
    const s = await curlSeconds(args);
    return { s, cpu: srv.cpu() - c0 };
  };
  try {
    for (let i = 0; i < rounds; i++) {
      for (const srv of servers) {
        runs[srv.name]!.up.push(await timed(srv, ['-T', src, '-o', '/dev/null', `${srv.url}big.bin`]));
        runs[srv.name]!.down.push(await timed(srv, ['-o', '/dev/null', `${srv.url}big.bin`]));
      }
    }
  } finally {
    nginx.proc.kill('SIGQUIT');
    await ours.close();
    rmSync(work, { recursive: true, force: true });
  }
  const gib = mib / 1024;
  const mbps = (s: number) => (mib * 1024 * 1024) / s / 1e6;
  console.log(`node ${process.version}, ${mib} MiB file under /dev/shm, curl, ${rounds} alternating rounds (medians)`);
  for (const dir of ['up', 'down'] as const) {
    const o = runs.ours![dir];
    const n = runs.nginx![dir];
    const ratio = median(o.map((r, i) => n[i]!.s / r.s));
    const cpuRatio = median(o.map((r, i) => n[i]!.cpu / Math.max(r.cpu, 0.01)));
    console.log(`${dir === 'up' ? 'upload (PUT)  ' : 'download (GET)'}: ours ${mbps(median(o.map((r) => r.s))).toFixed(0)} MB/s, `
      + `nginx ${mbps(median(n.map((r) => r.s))).toFixed(0)} MB/s, throughput ratio ours/nginx ${ratio.toFixed(2)}; `
      + `server CPU s/GiB ours ${(median(o.map((r) => r.cpu)) / gib).toFixed(2)}, nginx ${(median(n.map((r) => r.cpu)) / gib).toFixed(2)} `
      + `(efficiency ratio nginx/ours ${cpuRatio.toFixed(2)})`);
  }
}

void main();
