/**
 * `sftpgo revertprovider --to-version 8` (INVENTORY §1.3): downgrades the schema 10 → 9 → 8 so
 * that SFTPGo v2.0.x can use the database again. Exit 0 ok, 1 failure, 2 usage.
 */
import { Option, type Command } from 'commander';
import { revertProvider } from '../../app/data-tools.js';
import { parseIntStrict } from '../options.js';
import { withSession } from '../session.js';

/** Registers `revertprovider`. */
export function register(program: Command): void {
  program
    .command('revertprovider')
    .description('Revert the configured data provider to a previous schema version (8 is the only one supported)')
    .addOption(new Option('--to-version <version>', 'target schema version; only 8 is supported').argParser(parseIntStrict).makeOptionMandatory())
    .action(async (opts: { toVersion: number }, command: Command) => {
      await withSession(command, { write: true, schema: 'none', allowVolatile: true }, (s) => revertProvider(s, opts.toVersion));
      process.stdout.write(`Data provider successfully reverted to version ${opts.toVersion}\n`);
    });
}
