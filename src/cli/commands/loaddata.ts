/**
 * `sftpgo loaddata --input-file F [--mode 0|1|2] [--scan-quota 0|1|2]` (CLI.md, INVENTORY §10):
 * restores an SFTPGo backup (folders, users, admins; the first invalid item stops the load and
 * the items before it stay, as in SFTPGo). Mode 0 adds and updates, 1 only adds, 2 is 0 here
 * (a running server holds the lock, so there is no connection to close).
 */
import type { Command } from 'commander';
import { loadData, readDumpFile } from '../../app/data-tools.js';
import type { RestoreMode } from '../../dataprovider/service-types.js';
import { intChoice } from '../options.js';
import { withSession } from '../session.js';

/** Registers `loaddata`. */
export function register(program: Command): void {
  program
    .command('loaddata')
    .description('Restore users, folders and admins from an SFTPGo backup file')
    .requiredOption('-i, --input-file <file>', 'the backup (JSON) to load')
    .option('--mode <mode>', '0 add new and update existing, 1 add new only, 2 as 0', intChoice([0, 1, 2]), 0)
    .option('--scan-quota <n>', 'quota scan after the load: 0 none, 1 all, 2 users with quota limits', intChoice([0, 1, 2]), 0)
    .action(async (opts: { inputFile: string; mode: number; scanQuota: number }, command: Command) => {
      const dump = await readDumpFile(opts.inputFile);
      const res = await withSession(command, { write: true }, (s) => loadData(s, dump, {
        mode: opts.mode as RestoreMode, scanQuota: opts.scanQuota as 0 | 1 | 2,
      }));
      const scans = res.scanned.length ? `; quota scanned: ${res.scanned.length}` : '';
      process.stdout.write(`data loaded: ${res.users.length} users, ${res.folders.length} folders, ${res.admins.length} admins${scans}\n`);
    });
}
