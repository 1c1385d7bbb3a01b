/**
 * Users and folders CRUD (folders reuse the user permissions, INVENTORY §8.3). An update may
 * disconnect the user (`disconnect=1`); a delete always does. Secrets are redacted on output.
 */
import type Router from '@koa/router';
import type { BaseVirtualFolder, User } from '../../../dataprovider/models.js';
import { adminGuard } from '../auth.js';
import { readJson } from '../body.js';
import { enumInt, parsePagination } from '../query.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';

export function registerUserRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  const { data, core } = deps.app;
  const guard = (p: Parameters<typeof adminGuard>[1]) => adminGuard(deps.tokens, p);
  router.get('/users', ...guard('view_users'), async (ctx: ApiContext) => {
    const users = await data.listUsers(parsePagination(ctx.query));
    ctx.body = users.map((u) => data.redactUser(u));
  });
  router.post('/users', ...guard('add_users'), async (ctx: ApiContext) => {
    const input = deps.schemas.check<User>('User', await readJson(ctx));
    ctx.status = 201;
    ctx.body = data.redactUser(await data.addUser(input));
  });
  router.get('/users/:username', ...guard('view_users'), async (ctx: ApiContext) => {
    ctx.body = data.redactUser(await data.getUser(ctx.params.username ?? ''));
  });
  router.put('/users/:username', ...guard('edit_users'), async (ctx: ApiContext) => {
    const disconnect = enumInt(ctx.query, 'disconnect', [0, 1] as const, 0);
    const username = ctx.params.username ?? '';
    const existing = await data.getUser(username);
    const body = deps.schemas.check<Partial<User>>('User', await readJson(ctx));
    await data.updateUser(mergeUser(existing, body));
    if (disconnect === 1) await core.connections.closeUser(username);
    ctx.body = { message: 'User updated' };
  });
  router.delete('/users/:username', ...guard('del_users'), async (ctx: ApiContext) => {
    await deleteUserAndDisconnect(deps, ctx.params.username ?? '');
    ctx.body = { message: 'User deleted' };
  });
}

/** Deletes a user and ends its live sessions (a delete always disconnects). */
export async function deleteUserAndDisconnect(deps: ApiDeps, username: string): Promise<void> {
  await deps.app.data.deleteUser(username);
  await deps.app.core.connections.closeUser(username);
}

/**
 * The body replaces the stored user field by field (as SFTPGo decodes onto the stored record);
 * permissions are kept when none are sent; the stored password is kept when none is sent.
 */
export function mergeUser(existing: User, body: Partial<User>): User {
  const merged: User = { ...existing, ...body, id: existing.id, username: existing.username };
  if (!body.permissions || Object.keys(body.permissions).length === 0) merged.permissions = existing.permissions;
  if (!body.password) delete merged.password;
  return merged;
}

/** The body replaces the stored folder field by field; id and name stay. */
export function mergeFolder(existing: BaseVirtualFolder, body: Partial<BaseVirtualFolder>): BaseVirtualFolder {
  return { ...existing, ...body, id: existing.id, name: existing.name };
}

export function registerFolderRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  const { data } = deps.app;
  const guard = (p: Parameters<typeof adminGuard>[1]) => adminGuard(deps.tokens, p);
  router.get('/folders', ...guard('view_users'), async (ctx: ApiContext) => {
    const folders = await data.listFolders(parsePagination(ctx.query));
    ctx.body = folders.map((f) => data.redactFolder(f));
  });
  router.post('/folders', ...guard('add_users'), async (ctx: ApiContext) => {
    const input = deps.schemas.check<BaseVirtualFolder>('BaseVirtualFolder', await readJson(ctx));
    ctx.status = 201;
    ctx.body = data.redactFolder(await data.addFolder(input));
  });
  router.get('/folders/:name', ...guard('view_users'), async (ctx: ApiContext) => {
    ctx.body = data.redactFolder(await data.getFolder(ctx.params.name ?? ''));
  });
  router.put('/folders/:name', ...guard('edit_users'), async (ctx: ApiContext) => {
    const name = ctx.params.name ?? '';
    const existing = await data.getFolder(name);
    const body = deps.schemas.check<Partial<BaseVirtualFolder>>('BaseVirtualFolder', await readJson(ctx));
    await data.updateFolder(mergeFolder(existing, body));
    ctx.body = { message: 'Folder updated' };
  });
  router.delete('/folders/:name', ...guard('del_users'), async (ctx: ApiContext) => {
    await data.deleteFolder(ctx.params.name ?? '');
    ctx.body = { message: 'Folder deleted' };
  });
}
