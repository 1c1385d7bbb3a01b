/**
 * `sftpgo initprovider` (INVENTORY §1.3): creates the schema if missing and migrates it to the
 * current version. Never creates an admin. Exit 0 ok (also when already up to date), 1 failure.
 */
import type { Command } from 'commander';
import { initProvider, UP_TO_DATE } from '../../app/data-tools.js';
import { withSession } from '../session.js';

/** Registers `initprovider`. */
export function register(program: Command): void {
  program
    .command('initprovider')
    .description('Initialize and/or update the configured data provider (SQL schema creation and migrations)')
    .action(async (_opts: unknown, command: Command) => {
      const res = await withSession(command, { write: true, schema: 'none', allowVolatile: true }, initProvider);
      process.stdout.write(res.changed ? `Data provider successfully initialized/updated (schema version ${res.version})\n` : `${UP_TO_DATE}\n`);
    });
}
