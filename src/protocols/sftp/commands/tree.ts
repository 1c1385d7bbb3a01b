/**
 * `sftpgo-copy <src> <dst>` and `sftpgo-remove <path>` (INVENTORY §3.2): server-side recursive
 * copy and delete through the core; both print `OK` on success. A trailing "/" on the copy
 * destination copies into that directory keeping the source's name.
 */
import { posix } from 'node:path';
import { commandErrorText } from '../status-map.js';
import { argPath, hasTrailingSlash } from './paths.js';
import { errorLine, type CommandHandler } from './types.js';

/** `sftpgo-copy <src> <dst>`. */
export const copyCommand: CommandHandler = async (run) => {
  if (run.args.length !== 2) {
    errorLine(run, 'usage: sftpgo-copy <source> <destination>');
    return 1;
  }
  const [rawSrc, rawDst] = run.args as [string, string];
  const src = argPath(rawSrc);
  const dst = hasTrailingSlash(rawDst) ? posix.join(argPath(rawDst), posix.basename(src)) : argPath(rawDst);
  const conn = await run.connect('SSH');
  try {
    await conn.copy(src, dst);
  } catch (err) {
    errorLine(run, `${run.name}: ${src} ${dst} ${commandErrorText(err)}`);
    return 1;
  }
  run.channel.write('OK\n');
  await conn.commandAction(run.line, src, dst);
  return 0;
};

/** `sftpgo-remove <path>`. */
export const removeCommand: CommandHandler = async (run) => {
  if (run.args.length !== 1) {
    errorLine(run, 'usage: sftpgo-remove <path>');
    return 1;
  }
  const path = argPath(run.args[0]!);
  const conn = await run.connect('SSH');
  try {
    await conn.removeAll(path);
  } catch (err) {
    errorLine(run, `${run.name}: ${path} ${commandErrorText(err)}`);
    return 1;
  }
  run.channel.write('OK\n');
  await conn.commandAction(run.line, path);
  return 0;
};
