/**
 * Admin CRUD and admin password change (INVENTORY §8.3). Self-protection: an admin cannot delete
 * or disable itself, nor drop its own `manage_admins`/`*`. Password hashes never leave the server.
 */
import type Router from '@koa/router';
import type { Admin } from '../../../dataprovider/models.js';
import { invalidInput, validationError } from '../../../util/errors.js';
import { adminGuard, claimsOf, hasAdminPerm } from '../auth.js';
import { readJson } from '../body.js';
import { omitEmptyEmail } from '../output.js';
import { parsePagination } from '../query.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';

interface PwdChange { current_password?: string; new_password?: string }

export function registerAdminRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  const { data } = deps.app;
  const guard = (p?: Parameters<typeof adminGuard>[1]) => adminGuard(deps.tokens, p);
  const changePwd = async (ctx: ApiContext) => {
    const body = deps.schemas.check<PwdChange>('PwdChange', await readJson(ctx));
    await changeAdminPassword(deps, claimsOf(ctx).username, body);
    ctx.body = { message: 'Password updated' };
  };
  router.put('/admin/changepwd', ...guard(), changePwd);
  router.put('/changepwd/admin', ...guard(), changePwd);

  router.get('/admins', ...guard('manage_admins'), async (ctx: ApiContext) => {
    const admins = await data.listAdmins(parsePagination(ctx.query));
    ctx.body = admins.map((a) => omitEmptyEmail(data.redactAdmin(a)));
  });
  router.post('/admins', ...guard('manage_admins'), async (ctx: ApiContext) => {
    const input = deps.schemas.check<Admin>('Admin', await readJson(ctx));
    ctx.status = 201;
    ctx.body = omitEmptyEmail(data.redactAdmin(await data.addAdmin(input)));
  });
  router.get('/admins/:username', ...guard('manage_admins'), async (ctx: ApiContext) => {
    ctx.body = omitEmptyEmail(data.redactAdmin(await data.getAdmin(ctx.params.username ?? '')));
  });
  router.put('/admins/:username', ...guard('manage_admins'), async (ctx: ApiContext) => {
    const body = deps.schemas.check<Partial<Admin>>('Admin', await readJson(ctx));
    await updateAdminAs(deps, claimsOf(ctx).username, ctx.params.username ?? '', body);
    ctx.body = { message: 'Admin updated' };
  });
  router.delete('/admins/:username', ...guard('manage_admins'), async (ctx: ApiContext) => {
    await deleteAdminAs(deps, claimsOf(ctx).username, ctx.params.username ?? '');
    ctx.body = { message: 'Admin deleted' };
  });
}

/** Updates admin `username` on behalf of `caller`: the body replaces stored fields; self-protection applies. */
export async function updateAdminAs(deps: ApiDeps, caller: string, username: string, body: Partial<Admin>): Promise<void> {
  const existing = await deps.app.data.getAdmin(username);
  const merged: Admin = { ...existing, ...body, id: existing.id, username };
  if (!body.password) delete merged.password;
  checkSelfUpdate(caller, merged);
  await deps.app.data.updateAdmin(merged);
}

/** Deletes admin `username` on behalf of `caller` (nobody deletes themselves). */
export async function deleteAdminAs(deps: ApiDeps, caller: string, username: string): Promise<void> {
  if (username === caller) throw invalidInput('you cannot delete yourself');
  await deps.app.data.deleteAdmin(username);
}

/** Rejects an update that would disable the caller or drop its admin management rights. */
export function checkSelfUpdate(caller: string, updated: Admin): void {
  if (updated.username !== caller) return;
  if (updated.status !== 1) throw invalidInput('you cannot disable yourself');
  if (!hasAdminPerm(updated.permissions, 'manage_admins')) throw invalidInput('you cannot remove these permissions to yourself');
}

/** Changes an admin's own password: the current one must match and the new one differ. */
export async function changeAdminPassword(deps: ApiDeps, username: string, body: PwdChange): Promise<void> {
  const { data } = deps.app;
  const current = body.current_password ?? '';
  const next = body.new_password ?? '';
  if (!current) throw validationError([{ field: 'current_password', message: 'is required' }]);
  if (!next) throw validationError([{ field: 'new_password', message: 'is required' }]);
  if (current === next) throw validationError([{ field: 'new_password', message: 'the new password must be different from the current one' }]);
  const admin = await data.getAdmin(username);
  if (!admin.password || !(await data.verifyPassword(current, admin.password))) {
    throw validationError([{ field: 'current_password', message: 'current password does not match' }]);
  }
  await data.updateAdmin({ ...admin, password: next });
}
