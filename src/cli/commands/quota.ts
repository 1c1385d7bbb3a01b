/**
 * `sftpgo quota scan <username>` / `sftpgo quota scan --folder <name>` (CLI.md): runs a quota scan
 * to completion on the configured data provider, with a progress line on a TTY. Exit 0 ok, 1 failure.
 */
import type { Command } from 'commander';
import type { Config } from '../../config/types.js';
import { QuotaScans } from '../../core/quotascan/registry.js';
import type { DataProvider } from '../../dataprovider/types.js';
import type { Logger } from '../../logger/index.js';
import { createFsRegistry } from '../../vfs/registry.js';
import { withSession } from '../session.js';

/** Where the scan writes: a TTY gets a live progress line. */
export interface ScanOutput {
  write(text: string): void;
  isTTY?: boolean;
}

/** What to scan: a user (home + folders included in its quota) or one folder. */
export interface QuotaScanTarget {
  username?: string;
  folder?: string;
}

/** The scanning half of the core's quota scan registry. */
export type Scanner = Pick<QuotaScans, 'scanUserNow' | 'scanFolderNow'>;

/**
 * A scanner over `provider` with the built-in backends. Only plain backend secrets open here: the
 * CLI passes the session core's scanner instead, whose registry opens secrets through the KMS.
 */
export function plainScanner(provider: DataProvider, config: Config, logger: Logger): Scanner {
  return new QuotaScans({
    provider, fsRegistry: createFsRegistry(), logger, trackQuota: config.data_provider.track_quota,
    tempPath: config.common.temp_path || undefined,
  });
}

/** Runs one scan with `scans`; returns the exit code. */
export async function runQuotaScan(scans: Scanner, target: QuotaScanTarget, out: ScanOutput, err: ScanOutput): Promise<number> {
  let last = 0;
  const progress = (files: number, bytes: number) => {
    const now = Date.now();
    if (!out.isTTY || now - last < 100) return;
    last = now;
    out.write(`\rscanning: ${files} files, ${bytes} bytes`);
  };
  const what = target.folder !== undefined ? `folder ${JSON.stringify(target.folder)}` : `user ${JSON.stringify(target.username)}`;
  try {
    const res = target.folder !== undefined
      ? await scans.scanFolderNow(target.folder, progress)
      : await scans.scanUserNow(target.username ?? '', progress);
    if (out.isTTY) out.write('\r\x1b[K');
    out.write(`quota scan for ${what} done: ${res.files} files, ${res.size} bytes\n`);
    return 0;
  } catch (e) {
    if (out.isTTY) out.write('\r\x1b[K');
    err.write(`quota scan for ${what} failed: ${(e as Error).message}\n`);
    return 1;
  }
}

/** Registers `quota scan`: works on the configured provider, so it is refused while a server holds it. */
export function register(program: Command): void {
  const quota = program.command('quota').description('quota tools');
  quota
    .command('scan [username]')
    .description('scan a user home (and the folders included in its quota) or a folder, and store the usage')
    .option('--folder <name>', 'scan this virtual folder instead of a user')
    .action(async (username: string | undefined, opts: { folder?: string }, command: Command) => {
      if (!username && opts.folder === undefined) command.error('a username or --folder <name> is required', { exitCode: 2 });
      if (username && opts.folder !== undefined) command.error('give either a username or --folder <name>, not both', { exitCode: 2 });
      const target = opts.folder !== undefined ? { folder: opts.folder } : { username };
      process.exitCode = await withSession(command, { write: true }, (s) =>
        runQuotaScan(s.core?.quotaScans ?? plainScanner(s.provider, s.config, s.logger), target, process.stdout, process.stderr));
    });
}
