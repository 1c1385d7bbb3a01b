/**
 * SFTP/SCP benchmark: our server and OpenSSH's sshd (our own instance, internal-sftp) side by
 * side, the same OpenSSH clients, the same files under /dev/shm. Prints throughput for a big file
 * up and down with 1 and 4 streams for aes128-gcm@openssh.com and chacha20-poly1305@openssh.com,
 * legacy scp (-O), small files per second, logins per second, server CPU seconds per GiB, and the
 * ratios ours / OpenSSH (higher is better for throughput, lower for CPU).
 *
 * Run: node --import tsx bench/sftp/run.ts   (env: SFTPGO_BENCH_MB=1024, SFTPGO_BENCH_SMALL=1000,
 * SFTPGO_BENCH_LOGINS=30). Needs sshd, sftp, scp, ssh-keygen. Numbers are only comparable within
 * one run: both servers share the machine with whatever else runs.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomFile, run, sshOptions, startServer, type Harness } from '../../test/integration/sftp/harness.js';
import { startOpenSsh, type OpenSsh } from './openssh.js';

const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.SFTPGO_BENCH_MB ?? 1024);
const SMALL_FILES = Number(process.env.SFTPGO_BENCH_SMALL ?? 1000);
const LOGINS = Number(process.env.SFTPGO_BENCH_LOGINS ?? 30);
const CIPHERS = ['aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com'];

interface Target {
  name: string;
  port: number;
  user: string;
  /** Prefix of remote paths (home-relative for us, absolute for sshd). */
  remote: string;
  cpu(): Promise<number>;
}

interface Sample {
  seconds: number;
  cpu: number;
}

const root = path.join('/dev/shm', `sftpgo-bench-${process.pid}`);
let key = '';

function clientArgs(t: Target, cipher: string): string[] {
  return [...sshOptions(t.port, { key }), '-c', cipher, '-P', String(t.port)];
}

async function timed(t: Target, fn: () => Promise<void>): Promise<Sample> {
  const cpu0 = await t.cpu();
  const t0 = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seconds, cpu: (await t.cpu()) - cpu0 };
}

async function sftp(t: Target, cipher: string, batch: string): Promise<void> {
  const r = await run('sftp', [...clientArgs(t, cipher), '-b', '-', `${t.user}@127.0.0.1`], { input: batch, timeoutMs: 30 * 60_000 });
  if (r.code !== 0) throw new Error(`sftp on ${t.name} failed: ${r.stderr}`);
}

async function scpLegacy(t: Target, cipher: string, from: string, to: string): Promise<void> {
  const r = await run('scp', [...clientArgs(t, cipher), '-O', from, to], { timeoutMs: 30 * 60_000 });
  if (r.code !== 0) throw new Error(`scp on ${t.name} failed: ${r.stderr}`);
}

/** The scenarios; each returns the bytes (or items) moved and how long it took. */
function scenarios(files: { big: string; quarters: string[]; small: string; down: string }): [string, string, (t: Target) => Promise<Sample>, number][] {
  const out: [string, string, (t: Target) => Promise<Sample>, number][] = [];
  for (const c of CIPHERS) {
    const short = c.split('@')[0]!;
    const q = files.quarters;
    out.push([`upload 1 stream ${short}`, 'MB/s', (t) => timed(t, () => sftp(t, c, `put ${files.big} ${t.remote}big\n`)), SIZE_MB]);
    out.push([`download 1 stream ${short}`, 'MB/s', (t) => timed(t, () => sftp(t, c, `get ${t.remote}big ${files.down}\n`)), SIZE_MB]);
    out.push([`upload 4 streams ${short}`, 'MB/s', (t) => timed(t, async () => {
      await Promise.all(q.map((f, i) => sftp(t, c, `put ${f} ${t.remote}q${i}\n`)));
    }), SIZE_MB]);
    out.push([`download 4 streams ${short}`, 'MB/s', (t) => timed(t, async () => {
      await Promise.all(q.map((_f, i) => sftp(t, c, `get ${t.remote}q${i} ${files.down}${i}\n`)));
    }), SIZE_MB]);
  }
  const c = CIPHERS[0]!;
  out.push(['scp -O upload aes128-gcm', 'MB/s', (t) => timed(t, () => scpLegacy(t, c, files.big, `${t.user}@127.0.0.1:${t.remote}scp-big`)), SIZE_MB]);
  out.push(['scp -O download aes128-gcm', 'MB/s', (t) => timed(t, () => scpLegacy(t, c, `${t.user}@127.0.0.1:${t.remote}scp-big`, files.down)), SIZE_MB]);
  out.push([`small files up (${SMALL_FILES} x 4 KiB)`, 'files/s', (t) => timed(t, () => sftp(t, c, `put -r ${files.small} ${t.remote}small\n`)), SMALL_FILES]);
  out.push([`logins (${LOGINS} sequential sftp sessions)`, 'logins/s', (t) => timed(t, async () => {
    for (let i = 0; i < LOGINS; i++) await sftp(t, c, 'pwd\n');
  }), LOGINS]);
  return out;
}

async function prepareFiles(): Promise<{ big: string; quarters: string[]; small: string; down: string }> {
  const big = path.join(root, 'src', 'big.bin');
  await mkdir(path.dirname(big), { recursive: true });
  await randomFile(big, SIZE_MB * MB);
  const quarters = await Promise.all([0, 1, 2, 3].map(async (i) => {
    const f = path.join(root, 'src', `q${i}.bin`);
    await randomFile(f, (SIZE_MB * MB) / 4);
    return f;
  }));
  const small = path.join(root, 'src', 'small');
  await mkdir(small);
  for (let i = 0; i < SMALL_FILES; i++) await writeFile(path.join(small, `f${i}`), Buffer.alloc(4096, i % 251));
  return { big, quarters, small, down: path.join(root, 'down') };
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));

async function main(): Promise<void> {
  let ours: Harness | undefined;
  let ossh: OpenSsh | undefined;
  try {
    ours = await startServer();
    const k = await ours.userKey('bench');
    key = k.key;
    const home = path.join(root, 'ours-home');
    await ours.addUser({ username: 'bench', public_keys: [k.pub], home_dir: home });
    ossh = await startOpenSsh(path.join(root, 'sshd'), k.pub);
    await mkdir(path.join(root, 'ossh-home'), { recursive: true });
    const files = await prepareFiles();
    const cpu0 = process.cpuUsage();
    const targets: Target[] = [
      { name: 'ours', port: ours.port, user: 'bench', remote: '', cpu: async () => { const u = process.cpuUsage(cpu0); return (u.user + u.system) / 1e6; } },
      { name: 'openssh', port: ossh.port, user: ossh.user, remote: `${path.join(root, 'ossh-home')}/`, cpu: ossh.cpuSeconds },
    ];
    console.log(`node ${process.version}; file ${SIZE_MB} MiB under /dev/shm; OpenSSH sshd (internal-sftp) on 127.0.0.1:${ossh.port}`);
    console.log('scenario | ours | openssh | ours/openssh | server CPU s/GiB ours | openssh | ratio');
    for (const [name, unit, fn, amount] of scenarios(files)) {
      const [a, b] = [await fn(targets[0]!), await fn(targets[1]!)];
      const rate = (s: Sample) => amount / s.seconds;
      const perGiB = (s: Sample) => (unit === 'MB/s' ? (s.cpu / (amount / 1024)) : NaN);
      const cpuCols = unit === 'MB/s' ? `${fmt(perGiB(a))} | ${fmt(perGiB(b))} | ${fmt(perGiB(a) / perGiB(b))}` : `${fmt(a.cpu)} s | ${fmt(b.cpu)} s | ${fmt(a.cpu / b.cpu)}`;
      console.log(`${name} | ${fmt(rate(a))} ${unit} | ${fmt(rate(b))} ${unit} | ${fmt(rate(a) / rate(b))}x | ${cpuCols}`);
    }
  } finally {
    await ossh?.stop().catch(() => undefined);
    await ours?.close().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
