/**
 * A private OpenSSH sshd for tests: 127.0.0.1 on a free high port, a fresh ed25519 host key and
 * client key in a temp dir (deleted on stop, never committed), public key login for the current
 * user only, the internal-sftp subsystem. `startSshd()` returns the reason instead when sshd
 * cannot run here, so tests skip with it (and fail under SFTPGO_TEST_REQUIRE_ALL=1).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';

export interface Sshd {
  port: number;
  /** `SHA256:...` of the host key, as the backend compares it. */
  hostFingerprint: string;
  /** The client's private key (OpenSSH format, unencrypted). */
  clientKey: string;
  username: string;
  /** Temp dir of this instance (keys, config); tests may create remote roots under it. */
  dir: string;
  /** Kills the per-connection sshd children: every open session drops. */
  dropConnections(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** True once the port answers with an SSH banner. */
function banner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('SSH-2.0-'));
    });
    sock.once('error', () => resolve(false));
  });
}

function fingerprintOfPub(pub: string): string {
  const blob = Buffer.from(pub.trim().split(/\s+/)[1]!, 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function sshdConfig(dir: string, port: number): string {
  return [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_key`, `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password', 'Subsystem sftp internal-sftp',
    'LogLevel ERROR', 'MaxStartups 100', 'MaxSessions 100', '',
  ].join('\n');
}

/** Starts an sshd, or returns why it cannot run. */
export async function startSshd(): Promise<Sshd | string> {
  if (!existsSync(SSHD)) return `${SSHD} is not installed`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sftpgo-sshd-'));
  let proc: ChildProcess | undefined;
  try {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'client_key')]);
    await writeFile(path.join(dir, 'authorized_keys'), await readFile(path.join(dir, 'client_key.pub')));
    // sshd running as root insists on its privilege separation directory.
    if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const port = await freePort();
    await writeFile(path.join(dir, 'sshd_config'), sshdConfig(dir, port));
    const child = spawn(SSHD, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    for (let i = 0; i < 200 && child.exitCode === null; i++) {
      if (await banner(port)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    if (child.exitCode !== null || !(await banner(port))) throw new Error(`sshd did not start: ${stderr.trim() || 'no banner'}`);
    return {
      port, dir, username: os.userInfo().username,
      hostFingerprint: fingerprintOfPub(await readFile(path.join(dir, 'host_key.pub'), 'utf8')),
      clientKey: await readFile(path.join(dir, 'client_key'), 'utf8'),
      async dropConnections() {
        await run('pkill', ['-TERM', '-P', String(child.pid)]).catch(() => undefined);
      },
      async stop() {
        child.kill('SIGTERM');
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    proc?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    return `cannot start sshd: ${err instanceof Error ? err.message : String(err)}`;
  }
}
