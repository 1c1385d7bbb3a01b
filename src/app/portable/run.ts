/**
 * Runs portable mode on top of `serve`. The config is looked up as for every command (config dir,
 * then ~/.config/sftpgo, /etc/sftpgo, "."; SFTPGo does the same, so `common` settings apply) and
 * the portable layer goes on top (./config.ts). The throwaway user is a one-user dump loaded at
 * start, so it goes through the same validation and hashing as any other user.
 *
 * Nothing is written outside one private temp dir, removed on exit: it is the config dir of the
 * run, so host keys and every other relative path land there (SFTPGo writes its host keys into
 * the current directory). Only the shared files and a log file asked for with -l are written
 * elsewhere. Differs from SFTPGo: without -l the log goes to the console (SFTPGo drops it and
 * prints only its summary), so a failing login can be seen without restarting.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { loadConfig } from '../../config/index.js';
import type { BackupData, User } from '../../dataprovider/models.js';
import type { BuildInfo } from '../context.js';
import type { ManagedService } from '../lifecycle.js';
import { runServe } from '../serve.js';
import type { ServeWiring } from '../wiring-types.js';
import { configuredAddresses, portableOverrides, type PortableAddresses, type PortablePorts } from './config.js';
import { connectHints, type PortableSummary } from './hints.js';
import { advertise, type MdnsFactory } from './mdns.js';
import {
  absolutePaths, buildPortableUser, expandSshCommands, flagProblems, flatList, randomPassword, resolvePort, type PortableFlags,
} from './options.js';
import { preflight } from './preflight.js';

export interface PortableRuntime {
  stdout: Writable;
  stderr: Writable;
  env?: NodeJS.ProcessEnv;
  build: BuildInfo;
  /** Where the config lookup starts (global -c/--config-dir) and an explicit file (--config-file). */
  configDir: string;
  configFile?: string;
  /** Base of relative flag paths; default process.cwd(). */
  cwd?: string;
  /** Where signals come from (process by default; tests pass an emitter). */
  signals?: EventEmitter;
  /** Replaces parts of the production wiring (tests). */
  wiring?: ServeWiring;
  /** mDNS publisher factory (tests); bonjour-service by default. */
  mdns?: MdnsFactory;
  /** Called once every listener is up, after the start-up text. */
  onReady?: (services: ManagedService[], summary: PortableSummary) => void;
}

/** The user, its printable password and the resolved ports of one run. */
interface Plan {
  user: User;
  printablePassword: string;
  ports: PortablePorts;
}

/** Password rule of SFTPGo: generated (and printed) only when neither a password nor a key is given. */
function planRun(flags: PortableFlags): Plan {
  const generated = !flags.password && flatList(flags.publicKeys).length === 0;
  const password = flags.password || (generated ? randomPassword() : '');
  const ports = { sftp: resolvePort(flags.sftpdPort), ftp: resolvePort(flags.ftpdPort), webdav: resolvePort(flags.webdavPort) };
  const printablePassword = generated ? password : flags.password ? '[redacted]' : '';
  return { user: buildPortableUser(flags, password), printablePassword, ports };
}

function summaryOf(flags: PortableFlags, plan: Plan, addresses: PortableAddresses): PortableSummary {
  const { user, ports } = plan;
  return {
    username: user.username, printablePassword: plan.printablePassword, publicKeys: user.public_keys ?? [],
    directory: user.home_dir, permissions: user.permissions['/'] ?? [], sshCommands: ports.sftp ? expandSshCommands(flags.sshCommands) : [],
    patterns: user.filters?.file_patterns ?? [],
    sftp: { port: ports.sftp, address: addresses.sftp },
    ftp: { port: ports.ftp, address: addresses.ftp, tls: !!(flags.ftpdCert && flags.ftpdKey) },
    webdav: { port: ports.webdav, address: addresses.webdav, https: !!(flags.webdavCert && flags.webdavKey) },
  };
}

/**
 * Forwards SIGINT/SIGTERM to serve only after `beforeStop` (mDNS records go away before the
 * servers do, as in SFTPGo); SIGHUP and SIGUSR1 (log rotation; its listener also keeps Node's
 * inspector from starting, see signals.ts) pass straight through.
 */
function relaySignals(source: EventEmitter, beforeStop: () => Promise<void>): { relay: EventEmitter; remove(): void } {
  const relay = new EventEmitter();
  const stopWith = (signal: NodeJS.Signals) => () => {
    void beforeStop().catch(() => undefined).then(() => relay.emit(signal, signal));
  };
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGINT', stopWith('SIGINT')], ['SIGTERM', stopWith('SIGTERM')], ['SIGHUP', () => relay.emit('SIGHUP', 'SIGHUP')],
    ['SIGUSR1', () => relay.emit('SIGUSR1', 'SIGUSR1')],
  ];
  for (const [sig, fn] of handlers) source.on(sig, fn);
  return { relay, remove: () => { for (const [sig, fn] of handlers) source.off(sig, fn); } };
}

/** Checks the flags and the config, then plans the run; throws the error to print. */
async function prepare(runtime: PortableRuntime, flags: PortableFlags) {
  const problems = flagProblems(flags);
  if (problems.length) throw new Error(problems.join('; '));
  await preflight(flags);
  const loaded = await loadConfig({ configDir: runtime.configDir, configFile: runtime.configFile || undefined, env: runtime.env })
    .catch((err: Error) => { throw new Error(`unable to load configuration: ${err.message}`); });
  const plan = planRun(flags);
  const addresses = configuredAddresses(loaded.config);
  return { plan, addresses, configFile: loaded.configFile, overrides: portableOverrides(flags, plan.ports, addresses, runtime.build.version) };
}

/** Starts portable mode; resolves with the exit code when stopped. */
export async function runPortable(runtime: PortableRuntime, rawFlags: PortableFlags): Promise<number> {
  const flags = absolutePaths(rawFlags, runtime.cwd);
  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    prepared = await prepare(runtime, flags);
  } catch (err) {
    runtime.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  const { plan, addresses } = prepared;
  const summary = summaryOf(flags, plan, addresses);
  const dir = await mkdtemp(join(tmpdir(), 'sftpgo-portable-'));
  let unadvertise: (() => Promise<void>) | undefined;
  const stopAdvertising = async () => {
    const fn = unadvertise;
    unadvertise = undefined;
    await fn?.();
  };
  const signals = relaySignals(runtime.signals ?? process, stopAdvertising);
  try {
    const dump: BackupData = { users: [plan.user], folders: [], admins: [], version: 8 };
    await writeFile(join(dir, 'portable-user.json'), JSON.stringify(dump), { mode: 0o600 });
    return await runServe({
      stdout: runtime.stdout, stderr: runtime.stderr, env: runtime.env, build: runtime.build, signals: signals.relay, wiring: runtime.wiring,
      onReady(services) {
        runtime.stdout.write(`${connectHints(summary)}\n`);
        if (flags.advertiseService) {
          unadvertise = advertise({
            version: runtime.build.version, username: plan.user.username, password: plan.user.password ?? '',
            sftpPort: plan.ports.sftp, ftpPort: plan.ports.ftp, webdavPort: plan.ports.webdav,
          }, flags.advertiseCredentials, runtime.stdout, runtime.mdns);
        }
        runtime.onReady?.(services, summary);
      },
    }, {
      configDir: dir, configFile: prepared.configFile || undefined, overrides: prepared.overrides,
      logFilePath: flags.logFilePath, logVerbose: flags.logVerbose,
      loaddataFrom: join(dir, 'portable-user.json'), loaddataMode: 1, loaddataScan: 0, loaddataClean: true,
    });
  } finally {
    signals.remove();
    await stopAdvertising();
    await rm(dir, { recursive: true, force: true });
  }
}
