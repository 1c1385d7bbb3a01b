/**
 * common.startup_hook (INVENTORY §5): run once after the services started, asynchronously; an
 * http(s) URL gets a retryable GET through the configured outgoing HTTP client, anything else is
 * executed as a program (absolute path required); 60 s timeout. Its outcome is only logged.
 * The hook itself is the core's (`runStartupHook` in src/core/hooks); this only wires and logs it.
 */
import type { Logger } from 'pino';
import { defaultConfig } from '../config/defaults.js';
import type { Config } from '../config/types.js';
import { createHooks, runStartupHook as runCoreStartupHook } from '../core/hooks/index.js';
import { NodeHttpClient } from '../core/httpclient/client.js';

/** Runs the hook; `ctx` gives the `http` client settings (defaults when absent). Never throws. */
export async function runStartupHook(hook: string, logger: Logger, ctx?: { config: Config; configDir: string }): Promise<void> {
  if (!hook) return;
  const started = Date.now();
  const config = ctx?.config ?? defaultConfig();
  const http = new NodeHttpClient(config.http, ctx?.configDir ?? '.');
  try {
    await runCoreStartupHook(createHooks(config, http, logger).deps, hook);
    logger.debug({ hook, elapsed_ms: Date.now() - started }, 'startup hook executed');
  } catch (err) {
    logger.warn({ hook, err, elapsed_ms: Date.now() - started }, 'startup hook failed');
  } finally {
    http.close();
  }
}
