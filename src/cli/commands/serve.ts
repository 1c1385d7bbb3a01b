/**
 * `sftpgo serve`: SFTPGo's serve flags (INVENTORY §1.1) with their env forms, handed to the app's
 * `runServe`; its resolved value is the exit code.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ServeFlags } from '../../app/serve.js';
import { getVersionInfo } from '../../util/version.js';
import { boolOption, globalOptions, parseIntStrict } from '../options.js';

interface RawServeOptions {
  logFilePath: string;
  logMaxSize: number;
  logMaxBackups: number;
  logMaxAge: number;
  logCompress: boolean;
  logVerbose: boolean;
  loaddataFrom: string;
  loaddataMode: number;
  loaddataScan: number;
  loaddataClean: boolean;
}

const intOption = (flags: string, desc: string, def: number, env: string, allowed?: number[]) =>
  new Option(flags, desc).argParser((v: string) => {
    const n = parseIntStrict(v);
    if (allowed && !allowed.includes(n)) throw new InvalidArgumentError(`allowed: ${allowed.join(', ')}`);
    return n;
  }).default(def).env(env);

/** Adds the log flags shared by serve-like commands. */
export function addLogOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-l, --log-file-path <path>', 'log file; relative to the config dir; empty = stdout')
      .default('sftpgo.log').env('SFTPGO_LOG_FILE_PATH'))
    .addOption(intOption('-s, --log-max-size <MB>', 'log file size that triggers rotation', 10, 'SFTPGO_LOG_MAX_SIZE'))
    .addOption(intOption('-b, --log-max-backups <n>', 'rotated log files kept', 5, 'SFTPGO_LOG_MAX_BACKUPS'))
    .addOption(intOption('-a, --log-max-age <days>', 'days rotated log files are kept', 28, 'SFTPGO_LOG_MAX_AGE'))
    .addOption(boolOption('-z, --log-compress', 'gzip rotated log files', false, 'SFTPGO_LOG_COMPRESS'))
    .addOption(boolOption('-v, --log-verbose', 'debug level logs', true, 'SFTPGO_LOG_VERBOSE'));
}

/** Registers `serve`. */
export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description('Start the SFTPGo service (SFTP, FTP/S, WebDAV, HTTP and telemetry as configured)');
  addLogOptions(cmd)
    .addOption(new Option('--loaddata-from <file>', 'dump file to load at start (absolute path)').default('').env('SFTPGO_LOADDATA_FROM'))
    .addOption(intOption('--loaddata-mode <mode>', '0 add new and update existing, 1 add new only', 1, 'SFTPGO_LOADDATA_MODE', [0, 1]))
    .addOption(intOption('--loaddata-scan <n>', 'quota scan after load: 0 none, 1 all, 2 users with quota limits', 0, 'SFTPGO_LOADDATA_QUOTA_SCAN', [0, 1, 2]))
    .addOption(boolOption('--loaddata-clean', 'delete the dump file after a successful load', false, 'SFTPGO_LOADDATA_CLEAN'))
    .action(async (_opts: RawServeOptions, command: Command) => {
      const o = command.opts<RawServeOptions>();
      const g = globalOptions(command);
      const flags: ServeFlags = {
        configDir: g.configDir, configFile: g.configFile,
        logFilePath: o.logFilePath, logMaxSize: o.logMaxSize, logMaxBackups: o.logMaxBackups,
        logMaxAge: o.logMaxAge, logCompress: o.logCompress, logVerbose: o.logVerbose,
        loaddataFrom: o.loaddataFrom, loaddataMode: o.loaddataMode, loaddataScan: o.loaddataScan,
        loaddataClean: o.loaddataClean,
      };
      const v = getVersionInfo();
      // Loaded on use: other commands start without the servers' code.
      const { runServe } = await import('../../app/serve.js');
      process.exitCode = await runServe(
        { stdout: process.stdout, stderr: process.stderr, env: process.env, build: { version: v.version, commit: v.commit, buildDate: v.buildDate } },
        flags,
      );
    });
}
