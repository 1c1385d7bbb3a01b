/** What an SSH command handler receives. */
import type { ServerChannel } from 'ssh2';
import type { Connection } from '../../../core/types.js';
import type { ChannelHost } from '../client-session.js';

/** One exec request being served. */
export interface CommandRun {
  /** Command name (first word). */
  name: string;
  /** Arguments after the name, unquoted. */
  args: string[];
  /** The command line as the client sent it. */
  line: string;
  /** stdin/stdout are the channel itself, stderr is `channel.stderr`. */
  channel: ServerChannel;
  host: ChannelHost;
  /** Opens the core connection this command runs in (one per channel). */
  connect(protocol: 'SSH' | 'SCP'): Promise<Connection>;
}

/** Runs a command and resolves with its exit status. */
export type CommandHandler = (run: CommandRun) => Promise<number>;

/** Writes one line to the channel's stderr (dropped once the client closed the channel). */
export function errorLine(run: Pick<CommandRun, 'channel'>, text: string): void {
  if (run.channel.stderr.writable) run.channel.stderr.write(`${text}\n`);
}
