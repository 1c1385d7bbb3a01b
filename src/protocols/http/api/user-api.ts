/**
 * The user API (token audience APIUser): change password, get/set public keys (blocked by the
 * `publickey-change-disabled` web client option). Every request reloads the user and re-checks
 * that it is enabled, not expired and allowed to use HTTP.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { User } from '../../../dataprovider/models.js';
import { authFailed, permissionDenied, validationError } from '../../../util/errors.js';
import { bearer, checkUserHttpAccess, claimsOf } from '../auth.js';
import { readJson } from '../body.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';
import { registerUserFileRoutes } from './user-files.js';

/** Bearer APIUser token, then the user loaded into `ctx.state.user`. */
export function userGuard(deps: ApiDeps): Middleware<ApiState>[] {
  const load: Middleware<ApiState> = async (ctx, next) => {
    const user = await deps.app.data.getUser(claimsOf(ctx).username).catch((err: unknown) => {
      throw authFailed('the user of this token does not exist', err);
    });
    checkUserHttpAccess(user, ctx.state.ip);
    ctx.state.user = user;
    await next();
  };
  return [bearer(deps.tokens, 'APIUser'), load];
}

export function userOf(ctx: ApiContext): User {
  const user = ctx.state.user;
  if (!user) throw authFailed('no user');
  return user;
}

interface PwdChange { current_password?: string; new_password?: string }

/** Changes a user's own password: the current one must match and the new one differ. */
export async function changeUserPassword(deps: ApiDeps, user: User, body: PwdChange): Promise<void> {
  const current = body.current_password ?? '';
  const next = body.new_password ?? '';
  if (!current || !next) throw validationError([{ field: current ? 'new_password' : 'current_password', message: 'is required' }]);
  if (current === next) throw validationError([{ field: 'new_password', message: 'the new password must be different from the current one' }]);
  if (!user.password || !(await deps.app.data.verifyPassword(current, user.password))) {
    throw validationError([{ field: 'current_password', message: 'current password does not match' }]);
  }
  await deps.app.data.updateUser({ ...user, password: next });
}

/** True when the user may manage its own public keys (web client option). */
export function canChangePublicKeys(user: User): boolean {
  return !user.filters?.web_client?.includes('publickey-change-disabled');
}

/** Replaces a user's public keys, unless `publickey-change-disabled` is set. */
export async function setUserPublicKeys(deps: ApiDeps, user: User, keys: string[]): Promise<void> {
  if (!canChangePublicKeys(user)) throw permissionDenied('you are not allowed to change your public keys');
  const { password: _stored, ...rest } = user;
  await deps.app.data.updateUser({ ...rest, public_keys: keys });
}

export function registerUserApiRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  const guard = userGuard(deps);
  router.put('/user/changepwd', ...guard, async (ctx: ApiContext) => {
    const body = deps.schemas.check<PwdChange>('PwdChange', await readJson(ctx));
    await changeUserPassword(deps, userOf(ctx), body);
    ctx.body = { message: 'Password updated' };
  });
  router.get('/user/publickeys', ...guard, (ctx: ApiContext) => {
    ctx.body = userOf(ctx).public_keys ?? [];
  });
  router.put('/user/publickeys', ...guard, async (ctx: ApiContext) => {
    const keys = deps.schemas.checkSchema<string[]>('publickeys', { type: 'array', items: { type: 'string' } }, await readJson(ctx));
    await setUserPublicKeys(deps, userOf(ctx), keys);
    ctx.body = { message: 'Public keys updated' };
  });
  registerUserFileRoutes(router, deps, guard);
}
