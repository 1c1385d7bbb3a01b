/**
 * Every hook of one context behind one object, built from the config. Absent hooks are no-ops.
 */
import type { Logger } from 'pino';
import type { Config } from '../../config/types.js';
import type { HttpClient } from '../httpclient/client.js';
import { CustomActions } from './actions.js';
import { DEFAULT_HOOK_TIMEOUTS, type HookDeps, type HookTimeouts } from './runner.js';
import { UserActions } from './user-actions.js';

export { CustomActions } from './actions.js';
export { UserActions, type UserAction } from './user-actions.js';
export { DEFAULT_HOOK_TIMEOUTS, type HookTimeouts, type HookDeps } from './runner.js';
export * from './auth-hooks.js';
export { runKeyboardInteractiveHook } from './kbdint.js';
export { runProgram, isHttpHook } from './exec.js';
export { checkHookPrograms, hookProgramProblem } from './check.js';

export interface Hooks {
  deps: HookDeps;
  /** common.actions (implements the core's ActionHooks). */
  actions: CustomActions;
  /** data_provider.actions. */
  userActions: UserActions;
}

/** Builds the hooks of a context; `timeouts` overrides §5 defaults (tests use small ones). */
export function createHooks(config: Config, http: HttpClient, logger: Logger, timeouts?: Partial<HookTimeouts>): Hooks {
  const deps: HookDeps = { http, logger, timeouts: { ...DEFAULT_HOOK_TIMEOUTS, ...timeouts } };
  return {
    deps,
    actions: new CustomActions(config.common.actions, deps),
    userActions: new UserActions(config.data_provider.actions, deps),
  };
}
