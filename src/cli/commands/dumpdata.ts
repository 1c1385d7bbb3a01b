/**
 * `sftpgo dumpdata [--output-file F] [--indent]` (CLI.md): users, folders and admins in SFTPGo
 * v2.1.2's backup format (version 8), on stdout unless a file is given (written 0600 through a
 * temp file and a rename). Reads only, so it works while a server runs: it sees what is on disk.
 */
import { chmod, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { withSession } from '../session.js';

/** Registers `dumpdata`. */
export function register(program: Command): void {
  program
    .command('dumpdata')
    .description('Dump users, folders and admins as an SFTPGo backup (JSON) on stdout or into a file')
    .option('-o, --output-file <file>', 'write the dump here (mode 0600) instead of stdout')
    .option('--indent', 'pretty-print the JSON', false)
    .action(async (opts: { outputFile?: string; indent: boolean }, command: Command) => {
      const dump = await withSession(command, { write: false }, (s) => s.data.dump());
      const text = `${JSON.stringify(dump, null, opts.indent ? 2 : undefined)}\n`;
      if (!opts.outputFile) {
        process.stdout.write(text);
        return;
      }
      const file = path.resolve(opts.outputFile);
      const tmp = `${file}.tmp-${process.pid}`;
      await writeFile(tmp, text, { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, file);
      process.stderr.write(`dump written to ${file}: ${dump.users.length} users, ${dump.folders.length} folders, ${dump.admins.length} admins\n`);
    });
}
