/**
 * A private OpenSSH sshd for the benchmark: own config, an Ed25519 host key generated in a temp
 * dir, loopback high port, the running user with a throwaway authorized key, the in-process
 * `internal-sftp` (as sftp-server would add a fork). CPU is read from /proc: sshd waits for its
 * session children, so their time lands in the master's cutime/cstime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { run } from '../../test/integration/sftp/harness.js';

export interface OpenSsh {
  port: number;
  user: string;
  /** CPU seconds used by sshd and its finished sessions so far. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Waits (up to 5 s) until sshd reaped its session children, so their CPU time is in cutime. */
async function reaped(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const kids = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
    if (!kids.trim()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function procCpu(pid: number): Promise<number> {
  await reaped(pid);
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 (utime, stime, cutime, cstime) are at offsets 11-14 after the command name.
  const ticks = [11, 12, 13, 14].reduce((n, i) => n + Number(f[i]), 0);
  return ticks / 100;
}

/** Starts sshd accepting `pubKeyLine` for the current user. */
export async function startOpenSsh(dir: string, pubKeyLine: string): Promise<OpenSsh> {
  await mkdir(dir, { recursive: true });
  await mkdir('/run/sshd', { recursive: true }).catch(() => undefined);
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  const auth = path.join(dir, 'authorized_keys');
  await writeFile(auth, `${pubKeyLine}\n`, { mode: 0o600 });
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  await writeFile(config, [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey}`, `AuthorizedKeysFile ${auth}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no', 'StrictModes no',
    'Subsystem sftp internal-sftp', 'MaxStartups 200', 'MaxSessions 100', 'LogLevel ERROR', '',
  ].join('\n'));
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitListening(port, () => (child.exitCode !== null ? `sshd exited: ${stderr}` : undefined));
  return {
    port, user: userInfo().username,
    cpuSeconds: () => procCpu(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function waitListening(port: number, failed: () => string | undefined): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 200; i++) {
    const why = failed();
    if (why) throw new Error(why);
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('sshd did not start');
}
