/**
 * Quota scans (202 "Scan started", 409 when one runs) and used-quota updates (mode add|reset;
 * 403 when quota tracking is off; `add` refused for users without limits when track_quota = 2),
 * plus the deprecated v2.0 paths that take a whole User/folder body.
 */
import type Router from '@koa/router';
import type { BaseVirtualFolder, User } from '../../../dataprovider/models.js';
import type { QuotaScanStatus } from '../../../core/types.js';
import { conflict, notSupported, validationError } from '../../../util/errors.js';
import { adminGuard } from '../auth.js';
import { readJson } from '../body.js';
import { enumStr } from '../query.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';

interface UsageBody { used_quota_size?: number; used_quota_files?: number }

export function registerQuotaRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  const scans = deps.app.core.quotaScans;
  const guard = (p: Parameters<typeof adminGuard>[1]) => adminGuard(deps.tokens, p);
  const listUsers = (ctx: ApiContext) => { ctx.body = scans.listUserScans().map(userScan); };
  const listFolders = (ctx: ApiContext) => { ctx.body = scans.listFolderScans().map(folderScan); };
  router.get('/quotas/users/scans', ...guard('quota_scans'), listUsers);
  router.get('/quota-scans', ...guard('quota_scans'), listUsers);
  router.get('/quotas/folders/scans', ...guard('quota_scans'), listFolders);
  router.get('/folder-quota-scans', ...guard('quota_scans'), listFolders);

  router.post('/quotas/users/:username/scan', ...guard('quota_scans'), (ctx: ApiContext) => startUserScan(deps, ctx, ctx.params.username ?? ''));
  router.post('/quota-scans', ...guard('quota_scans'), async (ctx: ApiContext) => {
    const body = deps.schemas.check<Partial<User>>('User', await readJson(ctx));
    await startUserScan(deps, ctx, body.username ?? '');
  });
  router.post('/quotas/folders/:name/scan', ...guard('quota_scans'), (ctx: ApiContext) => startFolderScan(deps, ctx, ctx.params.name ?? ''));
  router.post('/folder-quota-scans', ...guard('quota_scans'), async (ctx: ApiContext) => {
    const body = deps.schemas.check<Partial<BaseVirtualFolder>>('BaseVirtualFolder', await readJson(ctx));
    await startFolderScan(deps, ctx, body.name ?? '');
  });

  router.put('/quotas/users/:username/usage', ...guard('edit_users'), async (ctx: ApiContext) => {
    const usage = deps.schemas.check<UsageBody>('QuotaUsage', await readJson(ctx));
    await updateUserUsage(deps, ctx, ctx.params.username ?? '', usage);
  });
  router.put('/quota-update', ...guard('edit_users'), async (ctx: ApiContext) => {
    const body = deps.schemas.check<Partial<User>>('User', await readJson(ctx));
    await updateUserUsage(deps, ctx, body.username ?? '', body);
  });
  router.put('/quotas/folders/:name/usage', ...guard('edit_users'), async (ctx: ApiContext) => {
    const usage = deps.schemas.check<UsageBody>('QuotaUsage', await readJson(ctx));
    await updateFolderUsage(deps, ctx, ctx.params.name ?? '', usage);
  });
  router.put('/folder-quota-update', ...guard('edit_users'), async (ctx: ApiContext) => {
    const body = deps.schemas.check<Partial<BaseVirtualFolder>>('BaseVirtualFolder', await readJson(ctx));
    await updateFolderUsage(deps, ctx, body.name ?? '', body);
  });
}

const userScan = (s: QuotaScanStatus) => ({ username: s.name, start_time: s.start_time });
const folderScan = (s: QuotaScanStatus) => ({ name: s.name, start_time: s.start_time });

function trackingOn(deps: ApiDeps): void {
  if (deps.app.config.data_provider.track_quota === 0) throw notSupported('quota tracking is disabled');
}

/** Starts a user quota scan: 202 "Scan started", 409 when one runs, 403 when tracking is off. */
export async function startUserScan(deps: ApiDeps, ctx: ApiContext, username: string): Promise<void> {
  trackingOn(deps);
  await deps.app.data.getUser(username);
  await deps.app.core.quotaScans.startUserScan(username);
  ctx.status = 202;
  ctx.body = { message: 'Scan started' };
}

/** Starts a folder quota scan, answering as startUserScan. */
export async function startFolderScan(deps: ApiDeps, ctx: ApiContext, name: string): Promise<void> {
  trackingOn(deps);
  await deps.app.data.getFolder(name);
  await deps.app.core.quotaScans.startFolderScan(name);
  ctx.status = 202;
  ctx.body = { message: 'Scan started' };
}

function checkUsage(usage: UsageBody): { size: number; files: number } {
  const size = usage.used_quota_size ?? 0;
  const files = usage.used_quota_files ?? 0;
  const problems = [];
  if (size < 0) problems.push({ field: 'used_quota_size', message: 'must be >= 0' });
  if (files < 0) problems.push({ field: 'used_quota_files', message: 'must be >= 0' });
  if (problems.length) throw validationError(problems);
  return { size, files };
}

async function updateUserUsage(deps: ApiDeps, ctx: ApiContext, username: string, usage: UsageBody): Promise<void> {
  const mode = enumStr(ctx.query, 'mode', ['add', 'reset'] as const, 'reset');
  const { size, files } = checkUsage(usage);
  trackingOn(deps);
  const user = await deps.app.data.getUser(username);
  const limited = (user.quota_size ?? 0) > 0 || (user.quota_files ?? 0) > 0;
  if (mode === 'add' && !limited && deps.app.config.data_provider.track_quota === 2) {
    throw notSupported('this user has no quota restrictions, only reset mode is supported');
  }
  if (deps.app.core.quotaScans.listUserScans().some((s) => s.name === username)) throw conflict('another quota scan is in progress for this user');
  await deps.app.provider.users.updateQuota(username, size, files, mode === 'reset');
  if (mode === 'reset') deps.app.core.connections.quotaReset('user', username);
  ctx.body = { message: 'Quota updated' };
}

async function updateFolderUsage(deps: ApiDeps, ctx: ApiContext, name: string, usage: UsageBody): Promise<void> {
  const mode = enumStr(ctx.query, 'mode', ['add', 'reset'] as const, 'reset');
  const { size, files } = checkUsage(usage);
  trackingOn(deps);
  await deps.app.data.getFolder(name);
  if (deps.app.core.quotaScans.listFolderScans().some((s) => s.name === name)) throw conflict('another quota scan is in progress for this folder');
  await deps.app.provider.folders.updateQuota(name, size, files, mode === 'reset');
  if (mode === 'reset') deps.app.core.connections.quotaReset('folder', name);
  ctx.body = { message: 'Quota updated' };
}
