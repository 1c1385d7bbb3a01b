/**
 * Custom actions (`common.actions`, INVENTORY §5). Pre-actions run synchronously and veto on
 * failure; post-actions are fire-and-forget unless listed in execute_sync (still never throwing).
 */
import type { ActionsConfig } from '../../config/types.js';
import { permissionDenied } from '../../util/errors.js';
import type { ActionHooks, ActionInfo, PostActionEvent, PreActionEvent } from '../types.js';
import { isHttpHook } from './exec.js';
import { expectStatus, postJson, runProgramOk, type HookDeps } from './runner.js';

/** Program environment of an action (every name prefixed SFTPGO_ACTION). */
export function actionEnv(info: ActionInfo): Record<string, string> {
  return {
    SFTPGO_ACTION: info.action,
    SFTPGO_ACTION_USERNAME: info.username,
    SFTPGO_ACTION_PATH: info.path,
    SFTPGO_ACTION_TARGET: info.target_path ?? '',
    SFTPGO_ACTION_SSH_CMD: info.ssh_cmd ?? '',
    SFTPGO_ACTION_FILE_SIZE: String(info.file_size ?? 0),
    SFTPGO_ACTION_FS_PROVIDER: String(info.fs_provider),
    SFTPGO_ACTION_BUCKET: info.bucket ?? '',
    SFTPGO_ACTION_ENDPOINT: info.endpoint ?? '',
    SFTPGO_ACTION_STATUS: String(info.status),
    SFTPGO_ACTION_PROTOCOL: info.protocol,
    SFTPGO_ACTION_OPEN_FLAGS: String(info.open_flags ?? 0),
  };
}

/** HTTP body of an action: optional fields only when set. */
export function actionBody(info: ActionInfo): Record<string, unknown> {
  const body: Record<string, unknown> = {
    action: info.action, username: info.username, path: info.path,
  };
  if (info.target_path) body.target_path = info.target_path;
  if (info.ssh_cmd) body.ssh_cmd = info.ssh_cmd;
  if (info.file_size !== undefined) body.file_size = info.file_size;
  body.fs_provider = info.fs_provider;
  if (info.bucket) body.bucket = info.bucket;
  if (info.endpoint) body.endpoint = info.endpoint;
  body.status = info.status;
  body.protocol = info.protocol;
  if (info.open_flags !== undefined) body.open_flags = info.open_flags;
  return body;
}

export class CustomActions implements ActionHooks {
  constructor(private readonly cfg: ActionsConfig, private readonly deps: HookDeps) {}

  private configured(event: string): boolean {
    return this.cfg.hook !== '' && this.cfg.execute_on.includes(event);
  }

  wants(event: PreActionEvent | PostActionEvent): boolean {
    return this.configured(event);
  }

  async pre(event: PreActionEvent, info: ActionInfo): Promise<void | 'handled'> {
    if (!this.configured(event)) return;
    try {
      await this.execute({ ...info, action: event });
    } catch (err) {
      // pre-delete failing is not a veto: the core deletes as usual (§5).
      const what = event === 'pre-delete' ? 'pre-delete hook failed, not handled' : 'pre-action denied the operation';
      this.deps.logger.warn({ sender: 'actions', action: event, username: info.username, path: info.path, err }, what);
      throw permissionDenied(`${event} denied by the action hook: ${this.reason(err)}`, err);
    }
    // pre-delete success means the hook handled the file itself (§5): the core must not delete it.
    return event === 'pre-delete' ? 'handled' : undefined;
  }

  post(event: PostActionEvent, info: ActionInfo): void | Promise<void> {
    if (!this.configured(event)) return;
    const run = this.execute({ ...info, action: event }).catch((err: unknown) => {
      this.deps.logger.warn({ sender: 'actions', action: event, username: info.username, path: info.path, err }, 'action hook failed');
    });
    return this.isSync(event) ? run : undefined;
  }

  /** Like `post` but resolves when the hook finished (execute_sync events; tests). */
  async postAndWait(event: PostActionEvent, info: ActionInfo): Promise<void> {
    if (!this.configured(event)) return;
    await this.execute({ ...info, action: event }).catch((err: unknown) => {
      this.deps.logger.warn({ sender: 'actions', action: event, username: info.username, err }, 'action hook failed');
    });
  }

  /** Why the hook failed, in words safe for a client (no hook path, URL or hook output). */
  private reason(err: unknown): string {
    const text = err instanceof Error ? err.message : String(err);
    const timedOut = /timed out after (\d+) ms/.exec(text);
    if (timedOut) return `timed out after ${timedOut[1]} ms`;
    const code = /exited with code (\S+)/.exec(text);
    if (code) return `exit code ${code[1]!.replace(/:$/, '')}`;
    const status = /HTTP status (\d+)/.exec(text);
    return status ? `HTTP status ${status[1]}` : 'the hook could not be run';
  }

  /** True when `event` must complete before the operation returns to the client. */
  isSync(event: PostActionEvent): boolean {
    return this.cfg.execute_sync.includes(event);
  }

  private async execute(info: ActionInfo): Promise<void> {
    const timeout = this.deps.timeouts.action;
    if (isHttpHook(this.cfg.hook)) {
      const res = await postJson(this.deps, this.cfg.hook, actionBody(info), timeout, true);
      expectStatus(res, this.cfg.hook);
      return;
    }
    const args = [info.action, info.username, info.path, info.target_path ?? '', info.ssh_cmd ?? ''];
    await runProgramOk(this.cfg.hook, timeout, actionEnv(info), args);
  }
}
