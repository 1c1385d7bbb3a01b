/**
 * `cd` (a no-op: every command starts at the home) and `pwd` (always "/"), as SFTPGo answers them.
 * Neither names a path: their log line and ssh_cmd action have an empty one.
 */
import type { CommandHandler } from './types.js';

/** `cd`: nothing to do, exit 0. */
export const cdCommand: CommandHandler = async (run) => {
  const conn = await run.connect('SSH');
  await conn.commandAction(run.line, undefined);
  return 0;
};

/** `pwd`: the home is always "/". */
export const pwdCommand: CommandHandler = async (run) => {
  const conn = await run.connect('SSH');
  run.channel.write('/\n');
  await conn.commandAction(run.line, undefined);
  return 0;
};
