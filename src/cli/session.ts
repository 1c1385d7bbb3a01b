/**
 * The one step every provider tool shares: load the config and the logger as the command's global
 * options say, then run `fn` in a data session that is always closed.
 */
import type { Command } from 'commander';
import type { DataSession, DataSessionOptions } from '../app/data-session.js';
import { globalOptions, loadRuntime } from './runtime.js';

/** Runs `fn` on the configured provider (see {@link DataSessionOptions}). */
export async function withSession<T>(command: Command, opts: DataSessionOptions, fn: (s: DataSession) => Promise<T>): Promise<T> {
  const { loaded, logger } = await loadRuntime(globalOptions(command));
  // Loaded on use, so `--help` and `gen` start without the provider and core code.
  const { withDataSession } = await import('../app/data-session.js');
  return withDataSession(loaded, logger, opts, fn);
}
