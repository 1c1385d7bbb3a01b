/**
 * Hooks that SFTPGo does not check at start (startup, post-connect, custom and user actions) are
 * still looked at once: a path that cannot run is logged as a warning at start, so the mistake is
 * visible before the first event silently fails. Start-up goes on, as in SFTPGo.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { hookProgramProblem } from '../core/index.js';

/** Logs one warning per hook setting of `config` whose program cannot be run. */
export async function warnAboutHookPrograms(config: Config, logger: Logger): Promise<void> {
  const hooks: Record<string, string> = {
    'common.startup_hook': config.common.startup_hook,
    'common.post_connect_hook': config.common.post_connect_hook,
    'common.actions.hook': config.common.actions.hook,
    'data_provider.actions.hook': config.data_provider.actions.hook,
  };
  for (const [field, value] of Object.entries(hooks)) {
    const problem = await hookProgramProblem(value);
    if (problem) logger.warn({ field }, `${field}: ${problem}: the hook will fail when it runs`);
  }
}
