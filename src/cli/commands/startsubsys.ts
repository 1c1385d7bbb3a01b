/**
 * `sftpgo startsubsys` (INVENTORY §1.3, §3.7): SFTP on stdin/stdout for OpenSSH's
 * `Subsystem sftp` directive. Flags as SFTPGo v2.1.2: -p/--preserve-home, -d/--base-home-dir,
 * -j/--log-to-journald, -v/--log-verbose, plus the global config flags.
 */
import { Option, type Command } from 'commander';
import { runStartSubsys } from '../../app/startsubsys.js';
import { getVersionInfo } from '../../util/version.js';
import { boolOption, globalOptions } from '../options.js';

interface RawOptions {
  preserveHome: boolean;
  baseHomeDir: string;
  logToJournald: boolean;
  logVerbose: boolean;
}

/** Registers `startsubsys`. */
export function register(program: Command): void {
  program
    .command('startsubsys')
    .description('Serve one SFTP session on stdin/stdout, to be used as an OpenSSH "Subsystem sftp"')
    .addOption(boolOption('-p, --preserve-home', 'keep the home dir of an existing user instead of using the OS home', false))
    .addOption(new Option('-d, --base-home-dir <dir>', 'absolute base dir for the homes of new users (<dir>/<username>); empty = OS home').default(''))
    .addOption(boolOption('-j, --log-to-journald', 'send logs to journald (not supported: logs go to stderr)', false))
    .addOption(boolOption('-v, --log-verbose', 'debug level logs', true))
    .action(async (_opts: RawOptions, command: Command) => {
      const o = command.opts<RawOptions>();
      const g = globalOptions(command);
      const v = getVersionInfo();
      process.exitCode = await runStartSubsys(
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, build: { version: v.version, commit: v.commit, buildDate: v.buildDate } },
        { configDir: g.configDir, configFile: g.configFile, preserveHome: o.preserveHome, baseHomeDir: o.baseHomeDir, logToJournald: o.logToJournald, logVerbose: o.logVerbose },
      );
    });
}
