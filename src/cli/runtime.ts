/**
 * What every command shares: the loaded config and a logger. Commands other than `serve` log to
 * stderr (stdout stays clean for their output, e.g. `dumpdata`), warnings and errors only.
 */
import { loadConfig, type LoadedConfig } from '../config/index.js';
import { createLogger, type Logger, type LoggerOptions } from '../logger/index.js';
import type { GlobalOptions } from './options.js';

export { globalOptions } from './options.js';

/** The config and logger a command works with. */
export interface CliRuntime {
  loaded: LoadedConfig;
  logger: Logger;
}

/** Options of {@link loadRuntime}. */
export interface RuntimeOptions {
  /** Log settings (serve's log flags); default: stderr. */
  logFlags?: LoggerOptions;
  env?: NodeJS.ProcessEnv;
}

/** Loads config (defaults < file < env) and creates the logger; config warnings are logged. */
export async function loadRuntime(globals: GlobalOptions, opts: RuntimeOptions = {}): Promise<CliRuntime> {
  const loaded = await loadConfig({
    configDir: globals.configDir,
    ...(globals.configFile ? { configFile: globals.configFile } : {}),
    env: opts.env ?? process.env,
  });
  const logFlags: LoggerOptions = opts.logFlags ?? { destination: process.stderr, level: 'warn' };
  const logger = createLogger({ configDir: loaded.configDir, ...logFlags });
  for (const w of loaded.warnings ?? []) logger.warn(w);
  return { loaded, logger };
}
