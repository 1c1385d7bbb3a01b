/** `sftpgo version`: the same banner as `--version`. */
import type { Command } from 'commander';
import { versionBanner } from '../../util/version.js';

/** Registers `version`. */
export function register(program: Command): void {
  program
    .command('version')
    .description('print the version')
    .action(() => { process.stdout.write(`${versionBanner()}\n`); });
}
