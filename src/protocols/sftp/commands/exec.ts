/**
 * `exec` requests (INVENTORY §3.2): the command line is split shell-like, its first word picks the
 * handler, and a command not enabled in `enabled_ssh_commands` (or not known at all) fails with a
 * message on stderr and exit status 1. After the handler the exit status is sent and the channel
 * ended; the core connection opened for the command is closed.
 */
import type { ServerChannel } from 'ssh2';
import type { Connection } from '../../../core/types.js';
import { toSftpGoError } from '../../../util/errors.js';
import type { ChannelHost } from '../client-session.js';
import { hashCommand, HASH_COMMANDS } from './hash.js';
import { splitCommandLine } from './shell-words.js';
import { cdCommand, pwdCommand } from './simple.js';
import { SYSTEM_COMMANDS, systemCommand } from './system.js';
import { copyCommand, removeCommand } from './tree.js';
import { scpCommand } from '../scp/command.js';
import { errorLine, type CommandHandler, type CommandRun } from './types.js';

const HANDLERS: Record<string, CommandHandler> = {
  ...Object.fromEntries(HASH_COMMANDS.map((n) => [n, hashCommand])),
  ...Object.fromEntries(SYSTEM_COMMANDS.map((n) => [n, systemCommand])),
  cd: cdCommand,
  pwd: pwdCommand,
  scp: scpCommand,
  'sftpgo-copy': copyCommand,
  'sftpgo-remove': removeCommand,
};

/** Runs one exec request on an accepted channel and ends it with the exit status. */
export async function runExec(host: ChannelHost, line: string, channel: ServerChannel | undefined): Promise<void> {
  if (!channel) return;
  let conn: Connection | undefined;
  let finished = false;
  let code = 1;
  try {
    const words = splitCommandLine(line);
    const name = words[0] ?? '';
    const handler = HANDLERS[name];
    if (!handler || !host.commands.has(name)) {
      errorLine({ channel }, `sftpgo: command ${JSON.stringify(name)} is not supported or not enabled`);
      host.logger.info({ command: line }, 'ssh command refused');
    } else {
      const run: CommandRun = {
        name, args: words.slice(1), line, channel, host,
        connect: async (protocol) => {
          conn = await host.openConnection(protocol, () => {
            if (!finished) channel.close();
          });
          conn.setCommand(line);
          return conn;
        },
      };
      code = await handler(run);
    }
  } catch (err) {
    errorLine({ channel }, `sftpgo: ${toSftpGoError(err).message}`);
    code = 1;
  }
  finished = true;
  host.ctx.core.metrics.sshCommand(code === 0);
  host.logger.info({ connection_id: conn?.id, command: line, exit_status: code }, 'ssh command executed');
  await conn?.close('command done');
  channel.exit(code);
  channel.end();
}
