/**
 * Runs portable mode on top of `serve`: a temporary config dir gets an `sftpgo.json` (memory
 * provider, HTTP and telemetry off, the requested listeners, max_auth_tries 12) and a one-user
 * dump loaded at start, so the throwaway user goes through the same validation and hashing as any
 * other. Nothing is written outside that temp dir (host keys included), which is removed on exit.
 * Differs from SFTPGo: a system-wide sftpgo.json is not read (portable is self-contained); SFTPGO_*
 * env overrides still apply.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { BackupData } from '../../dataprovider/models.js';
import type { BuildInfo } from '../context.js';
import { formatAddress, type ManagedService } from '../lifecycle.js';
import { runServe } from '../serve.js';
import { buildPortableUser, expandSshCommands, randomPassword, resolvePort, type PortableFlags } from './options.js';
import { connectHints } from './hints.js';

export interface PortableRuntime {
  stdout: Writable;
  stderr: Writable;
  env?: NodeJS.ProcessEnv;
  build: BuildInfo;
  logFilePath: string;
  logVerbose: boolean;
  /** Called with the running services (mDNS advertising, tests). */
  onReady?: (services: ManagedService[], info: PortableInfo) => void;
  signals?: import('node:events').EventEmitter;
}

export interface PortableInfo {
  username: string;
  password: string;
  passwordGenerated: boolean;
  sftpPort: number;
  ftpPort: number;
  webdavPort: number;
  webdavHttps: boolean;
}

function portableConfig(flags: PortableFlags, ports: { sftp: number; ftp: number; dav: number }) {
  const ftpTls = !!(flags.ftpdCert && flags.ftpdKey);
  const davTls = !!(flags.webdavCert && flags.webdavKey);
  return {
    data_provider: { driver: 'memory', name: '' },
    httpd: { bindings: [{ port: 0, address: '' }] },
    telemetry: { bind_port: 0 },
    sftpd: {
      bindings: [{ port: ports.sftp, address: '', apply_proxy_config: false }],
      max_auth_tries: 12,
      enabled_ssh_commands: expandSshCommands(flags.sshCommands),
    },
    ftpd: {
      bindings: [{ port: ports.ftp, address: '', apply_proxy_config: false, tls_mode: 0 }],
      certificate_file: ftpTls ? flags.ftpdCert : '',
      certificate_key_file: ftpTls ? flags.ftpdKey : '',
    },
    webdavd: {
      bindings: [{ port: ports.dav, address: '', enable_https: davTls }],
      certificate_file: davTls ? flags.webdavCert : '',
      certificate_key_file: davTls ? flags.webdavKey : '',
    },
  };
}

/** Starts portable mode; resolves with the exit code when stopped. */
export async function runPortable(runtime: PortableRuntime, flags: PortableFlags): Promise<number> {
  const generated = !flags.password && flags.publicKeys.length === 0;
  const password = flags.password || (generated ? randomPassword() : '');
  const ports = { sftp: resolvePort(flags.sftpdPort), ftp: resolvePort(flags.ftpdPort), dav: resolvePort(flags.webdavPort) };
  const user = buildPortableUser(flags, password);
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-portable-'));
  try {
    await writeFile(join(dir, 'sftpgo.json'), JSON.stringify(portableConfig(flags, ports), null, 2), { mode: 0o600 });
    const dump: BackupData = { users: [user], folders: [], admins: [], version: 8 };
    await writeFile(join(dir, 'portable-user.json'), JSON.stringify(dump), { mode: 0o600 });
    const info: PortableInfo = {
      username: user.username, password, passwordGenerated: generated,
      sftpPort: ports.sftp, ftpPort: ports.ftp, webdavPort: ports.dav, webdavHttps: !!(flags.webdavCert && flags.webdavKey),
    };
    return await runServe({
      stdout: runtime.stdout, stderr: runtime.stderr, env: runtime.env, build: runtime.build, signals: runtime.signals,
      onReady(services) {
        runtime.stdout.write(`${connectHints(info, flags.directory, services.map((s) => `${s.name}: ${s.addresses().map(formatAddress).join(', ')}`))}\n`);
        runtime.onReady?.(services, info);
      },
    }, {
      configDir: dir, logFilePath: runtime.logFilePath, logVerbose: runtime.logVerbose,
      loaddataFrom: join(dir, 'portable-user.json'), loaddataMode: 1, loaddataScan: 0, loaddataClean: true,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
