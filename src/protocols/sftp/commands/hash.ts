/**
 * `md5sum`, `sha1sum`, `sha256sum`, `sha384sum`, `sha512sum` (INVENTORY §3.2). With a path the
 * file is hashed through the core (`list` on the path and the file patterns apply) and printed as
 * `<hex>  <virtual path>`; without arguments up to 4096 bytes of stdin are hashed (`<hex>  -`).
 */
import { createHash } from 'node:crypto';
import type { HashAlgorithm } from '../../../core/types.js';
import { commandErrorText } from '../status-map.js';
import { argPath } from './paths.js';
import { errorLine, type CommandHandler } from './types.js';

/** The hash commands, named as the coreutils tools. */
export const HASH_COMMANDS = ['md5sum', 'sha1sum', 'sha256sum', 'sha384sum', 'sha512sum'] as const;

const STDIN_LIMIT = 4096;

/** Reads stdin until EOF or STDIN_LIMIT bytes. */
function readStdin(input: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      input.off('data', onData);
      resolve(Buffer.concat(chunks).subarray(0, STDIN_LIMIT));
    };
    const onData = (b: Buffer) => {
      chunks.push(b);
      size += b.length;
      if (size >= STDIN_LIMIT) done();
    };
    input.on('data', onData);
    input.once('end', done);
    input.once('close', done);
  });
}

/** md5sum/sha*sum of a file (through the core) or of stdin. */
export const hashCommand: CommandHandler = async (run) => {
  const algo = run.name.slice(0, -'sum'.length) as HashAlgorithm;
  const conn = await run.connect('SSH');
  if (run.args.length === 0) {
    const data = await readStdin(run.channel);
    run.channel.write(`${createHash(algo).update(data).digest('hex')}  -\n`);
    // No path argument: SFTPGo still logs the command and fires ssh_cmd, with an empty path.
    await conn.commandAction(run.line, undefined);
    return 0;
  }
  const path = argPath(run.args[run.args.length - 1]!);
  try {
    // SFTPGo checks `list` on the path for these commands, not `download` (INVENTORY §3.2).
    const hex = await conn.hashFile(path, algo, { access: 'list' });
    run.channel.write(`${hex}  ${path}\n`);
  } catch (err) {
    errorLine(run, `${run.name}: ${path} ${commandErrorText(err)}`);
    return 1;
  }
  await conn.commandAction(run.line, path);
  return 0;
};
