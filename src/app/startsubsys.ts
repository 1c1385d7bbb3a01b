/**
 * `sftpgo startsubsys` (INVENTORY §3.7): one SFTP session on stdin/stdout, for OpenSSH's
 * `Subsystem sftp /usr/bin/sftpgo startsubsys`. sshd already authenticated the OS user, whose
 * name and home are used; the matching SFTPGo user is created (random password, every
 * permission) or its home updated unless `--preserve-home`. File-based providers (sqlite, bolt)
 * cannot be shared with a running server and are replaced by the memory provider; the idle
 * timeout is off. Logs go to stderr (sshd passes them to the client).
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { loadConfig } from '../config/index.js';
import type { LoadedConfig } from '../config/types.js';
import { noopMetrics, type RemoteInfo } from '../core/types.js';
import type { User } from '../dataprovider/models.js';
import { createLogger, type Logger } from '../logger/index.js';
import { SftpSession } from '../protocols/sftp/session.js';
import { ErrorKind, errorKindOf } from '../util/errors.js';
import type { AppContext, BuildInfo } from './context.js';
import { prepareProvider } from './provider-init.js';
import { defaultWiring } from './wiring.js';

/** `startsubsys` flags (INVENTORY §1.3). */
export interface SubsysFlags {
  configDir: string;
  configFile?: string;
  preserveHome: boolean;
  baseHomeDir: string;
  logToJournald: boolean;
  logVerbose: boolean;
}

/** Process streams and build info; tests pass their own. */
export interface SubsysRuntime {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
  build: BuildInfo;
  /** The OS account sshd logged in (tests pass another). */
  osUser?: { username: string; homedir: string };
}

const FILE_DRIVERS = new Set(['sqlite', 'bolt']);

/** Config with the subsystem overrides. */
async function subsysConfig(flags: SubsysFlags, env: NodeJS.ProcessEnv | undefined): Promise<LoadedConfig> {
  const base = { configDir: flags.configDir, configFile: flags.configFile || undefined, env };
  const first = await loadConfig(base);
  const swap = FILE_DRIVERS.has(first.config.data_provider.driver);
  return loadConfig({
    ...base,
    overrides: { common: { idle_timeout: 0 }, ...(swap ? { data_provider: { driver: 'memory', name: '' } } : {}) },
  });
}

/** The SFTPGo user for the OS account: created, or its home brought in line. */
async function ensureUser(ctx: AppContext, flags: SubsysFlags, os: { username: string; homedir: string }): Promise<void> {
  const home = isAbsolute(flags.baseHomeDir) ? join(flags.baseHomeDir, os.username) : os.homedir;
  let user: User | undefined;
  try {
    user = await ctx.data.getUser(os.username);
  } catch (err) {
    if (errorKindOf(err) !== ErrorKind.NotFound) throw err;
  }
  if (!user) {
    await ctx.data.addUser({
      username: os.username, home_dir: home, status: 1, password: randomBytes(24).toString('base64url'),
      permissions: { '/': ['*'] },
    } as User);
    return;
  }
  if (!flags.preserveHome && user.home_dir !== home) await ctx.data.updateUser({ ...user, home_dir: home });
}

/** Client address from sshd's SSH_CONNECTION ("client_ip client_port server_ip server_port"). */
function remoteFrom(env: NodeJS.ProcessEnv): RemoteInfo {
  const [ip, port] = (env.SSH_CONNECTION ?? '').split(' ');
  return { ip: ip || '127.0.0.1', port: Number(port) || 0 };
}

/** Serves one session; resolves with the exit code once stdin ends. */
export async function runStartSubsys(rt: SubsysRuntime, flags: SubsysFlags): Promise<number> {
  const fail = (msg: string) => { rt.stderr.write(`${msg}\n`); return 1; };
  if (flags.logToJournald) return fail('not supported: logging to journald (logs go to stderr)');
  let built: { ctx: AppContext; close(): Promise<void> };
  let logger: Logger;
  try {
    const loaded = await subsysConfig(flags, rt.env);
    logger = createLogger({ verbose: flags.logVerbose, destination: rt.stderr, pretty: false });
    built = await defaultWiring.createContext(loaded, logger, noopMetrics, rt.build);
  } catch (err) {
    return fail(`unable to initialize: ${(err as Error).message}`);
  }
  const { ctx } = built;
  try {
    await prepareProvider(ctx.provider, ctx.data, ctx.config, logger);
    const os = rt.osUser ?? userInfo();
    await ensureUser(ctx, flags, os);
    const user = await ctx.core.auth.loginAuthenticated('SFTP', os.username);
    const connection = await ctx.core.connections.open({ protocol: 'SFTP', user, remote: remoteFrom(rt.env ?? process.env) });
    const session = new SftpSession({ connection, input: rt.stdin, output: rt.stdout, logger: logger.child({ connection_id: connection.id }) });
    session.start();
    await session.done;
    return 0;
  } catch (err) {
    return fail(`startsubsys: ${(err as Error).message}`);
  } finally {
    await built.close().catch(() => undefined);
  }
}
