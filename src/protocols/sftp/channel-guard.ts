/**
 * Stream errors on an SSH channel must never reach the process: ssh2 ends a channel's stderr when
 * the client closes it, and a later write there (an error message of a command still running)
 * would emit an unhandled 'error'. Such late writes are dropped instead.
 */
import type { ServerChannel } from 'ssh2';
import type { Logger } from 'pino';

/** Adds error listeners to the channel and its stderr; returns the channel. */
export function guardChannel(channel: ServerChannel, logger: Logger): ServerChannel {
  const log = (err: Error) => logger.debug({ err: err.message }, 'ssh channel stream error');
  channel.on('error', log);
  channel.stderr.on('error', log);
  return channel;
}
