/**
 * Builds the commander program: root `-v/--version` (SFTPGo's banner), every command of
 * `commands/index.ts`, then the global config options on every command. Positional options keep
 * a subcommand's `-v` (serve's `--log-verbose`) apart from the root's `-v` (version), as cobra does.
 */
import { Command } from 'commander';
import { versionBanner } from '../util/version.js';
import { COMMANDS } from './commands/index.js';
import { addGlobalOptionsDeep } from './options.js';

/** Where the program writes (tests pass buffers). */
export interface ProgramIo {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/** The full program, with exit override (commander throws instead of exiting). */
export function buildProgram(io?: ProgramIo): Command {
  const program = new Command('sftpgo')
    .description('Fully featured and highly configurable SFTP server with optional FTP/S and WebDAV support')
    .enablePositionalOptions()
    .version(versionBanner(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'display help')
    .showSuggestionAfterError(true)
    .exitOverride();
  if (io) program.configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr });
  for (const mod of COMMANDS) mod.register(program);
  addGlobalOptionsDeep(program);
  applyRecursively(program, (cmd) => {
    cmd.exitOverride();
    if (io) cmd.configureOutput({ writeOut: io.writeOut, writeErr: io.writeErr });
  });
  return program;
}

function applyRecursively(cmd: Command, fn: (c: Command) => void): void {
  for (const sub of cmd.commands) {
    fn(sub);
    applyRecursively(sub, fn);
  }
}
