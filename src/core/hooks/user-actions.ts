/**
 * Provider user actions (`data_provider.actions`, INVENTORY §5): add/update/delete of a user via
 * API, Web Admin or loaddata. Always asynchronous; failures are logged only.
 */
import type { User } from '../../dataprovider/models.js';
import { hookUserJson } from './auth-hooks.js';
import { isHttpHook } from './exec.js';
import { expectStatus, runProgramOk, withQuery, type HookDeps } from './runner.js';

export type UserAction = 'add' | 'update' | 'delete';

export class UserActions {
  constructor(private readonly cfg: { execute_on: string[]; hook: string }, private readonly deps: HookDeps) {}

  /** Fires the hook for `action` if configured; returns the run (tests await it, callers may not). */
  run(action: UserAction, user: User): Promise<void> {
    if (!this.cfg.hook || !this.cfg.execute_on.includes(action)) return Promise.resolve();
    return this.execute(action, user).catch((err: unknown) => {
      this.deps.logger.warn({ sender: 'user_actions', action, username: user.username, err }, 'user action hook failed');
    });
  }

  private async execute(action: UserAction, user: User): Promise<void> {
    const t = this.deps.timeouts.userAction;
    const json = hookUserJson(user);
    if (isHttpHook(this.cfg.hook)) {
      const res = await this.deps.http.request({
        method: 'POST', url: withQuery(this.cfg.hook, { action }), body: json, retryable: true, timeoutMs: t,
        headers: { 'Content-Type': 'application/json' },
      });
      expectStatus(res, this.cfg.hook);
      return;
    }
    const args = [action, user.username, String(user.id ?? 0), String(user.status), String(user.expiration_date ?? 0),
      user.home_dir, String(user.uid ?? 0), String(user.gid ?? 0)];
    await runProgramOk(this.cfg.hook, t, { SFTPGO_USER_ACTION: action, SFTPGO_USER: json }, args);
  }
}
