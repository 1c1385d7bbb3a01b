/**
 * common.startup_hook (INVENTORY §5): run once after the services started, asynchronously; an
 * http(s) URL gets a POST, anything else is executed as a program (absolute path required).
 * Its outcome is only logged.
 */
import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import type { Logger } from 'pino';

export async function runStartupHook(hook: string, logger: Logger, timeoutMs = 20_000): Promise<void> {
  if (!hook) return;
  const started = Date.now();
  try {
    if (/^https?:\/\//i.test(hook)) {
      const res = await fetch(hook, { method: 'POST', signal: AbortSignal.timeout(timeoutMs) });
      if (res.status !== 200) throw new Error(`unexpected status code ${res.status}`);
    } else {
      if (!isAbsolute(hook)) throw new Error(`invalid startup hook "${hook}": an absolute path is required`);
      await new Promise<void>((resolve, reject) => {
        execFile(hook, [], { timeout: timeoutMs, env: { ...process.env } }, (err) => (err ? reject(err) : resolve()));
      });
    }
    logger.debug({ hook, elapsed_ms: Date.now() - started }, 'startup hook executed');
  } catch (err) {
    logger.warn({ hook, err, elapsed_ms: Date.now() - started }, 'startup hook failed');
  }
}
