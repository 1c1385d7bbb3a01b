/**
 * The `scp` SSH command: legacy SCP (`scp -O`, and any client using `scp -t`/`scp -f` over exec).
 * Runs as an `SCP` connection, so it shows as such in the connections API (INVENTORY §3.3).
 */
import { toSftpGoError } from '../../../util/errors.js';
import { errorLine, type CommandHandler } from '../commands/types.js';
import { parseScpArgs } from './protocol.js';
import { ChannelReader } from './reader.js';
import { runSink } from './sink.js';
import { runSource } from './source.js';

/** `scp -t` / `scp -f`. */
export const scpCommand: CommandHandler = async (run) => {
  let args;
  try {
    args = parseScpArgs(run.args);
  } catch (err) {
    errorLine(run, toSftpGoError(err).message);
    return 1;
  }
  const conn = await run.connect('SCP');
  const reader = new ChannelReader(run.channel);
  try {
    if (args.mode === 'sink') return await runSink(conn, args, { reader, write: (b) => run.channel.write(b) });
    return await runSource(conn, args, reader, run.channel);
  } catch (err) {
    run.host.logger.debug({ err, command: run.line }, 'scp failed');
    errorLine(run, `scp: ${toSftpGoError(err).message}`);
    return 1;
  }
};
