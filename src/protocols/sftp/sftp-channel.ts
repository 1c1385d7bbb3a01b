/**
 * The `sftp` subsystem on an SSH channel. ssh2's own SFTP server cannot advertise extensions, so
 * the raw channel is taken and `SftpSession` speaks SFTP v3 on it (LIBS.md). When the client ends
 * the channel we send exit-status 0 and end our side: without the status OpenSSH's scp exits 1
 * after a good copy, without the end the client hangs at quit.
 */
import type { ServerChannel } from 'ssh2';
import type { Connection } from '../../core/types.js';
import type { ChannelHost } from './client-session.js';
import { SftpSession } from './session.js';

/**
 * Serves an accepted channel. The channel must be accepted synchronously: OpenSSH sends SFTP INIT
 * right after the channel opens, without waiting for the subsystem reply, and ssh2 drops data for
 * a session whose channel does not exist yet. A refused session (max_sessions) therefore gets a
 * message on stderr and exit status 1 instead of a subsystem failure.
 */
export async function serveSftpChannel(host: ChannelHost, channel: ServerChannel | undefined): Promise<void> {
  if (!channel) return;
  let clientEnded = false;
  channel.once('end', () => (clientEnded = true));
  let conn: Connection;
  try {
    conn = await host.openConnection('SFTP', (reason) => {
      // Closed from the server side (admin, idle timeout, shutdown): drop the channel.
      if (clientEnded) return;
      host.logger.debug({ reason }, 'closing sftp channel');
      channel.close();
    });
  } catch (err) {
    host.logger.info({ err: (err as Error).message }, 'sftp session refused');
    if (channel.stderr.writable) channel.stderr.write(`sftpgo: ${(err as Error).message}\n`);
    channel.exit(1);
    channel.end();
    return;
  }
  channel.once('close', () => void conn.close('channel closed'));
  // The connection's own logger: a child of the SSH session's one would write `protocol` twice.
  const session = new SftpSession({ connection: conn, input: channel, output: channel, logger: conn.logger });
  session.start();
  await session.done;
  if (clientEnded) {
    channel.exit(0);
    channel.end();
  } else {
    channel.close();
  }
}
