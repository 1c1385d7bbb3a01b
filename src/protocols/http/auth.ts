/**
 * Authentication middleware: HTTP Basic parsing for the token endpoints, a small Bearer JWT
 * middleware (jose; koa-jwt is unmaintained), and admin permission checks (INVENTORY §8.3).
 */
import type { Middleware, Context } from 'koa';
import { isIpAllowed } from '../../core/index.js';
import type { AdminPermission, User } from '../../dataprovider/models.js';
import { authFailed, permissionDenied } from '../../util/errors.js';
import type { TokenManager } from './tokens.js';
import type { ApiState, TokenAudience, TokenClaims } from './types.js';

/** Credentials of an `Authorization: Basic` header; AuthFailed when missing or malformed. */
export function parseBasic(ctx: Context): { username: string; password: string } {
  const header = ctx.get('authorization');
  const m = /^Basic\s+(\S+)$/i.exec(header);
  if (!m?.[1]) {
    ctx.set('WWW-Authenticate', 'Basic realm="SFTPGo"');
    throw authFailed('basic authentication required');
  }
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const idx = decoded.indexOf(':');
  if (idx <= 0) throw authFailed('malformed basic credentials');
  return { username: decoded.slice(0, idx), password: decoded.slice(idx + 1) };
}

/** Requires a valid, unrevoked Bearer token of the given audience; sets `ctx.state.claims`. */
export function bearer(tokens: TokenManager, aud: TokenAudience): Middleware<ApiState> {
  return async (ctx, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'));
    if (!m?.[1]) throw authFailed('no token found');
    ctx.state.claims = await tokens.verify(m[1], aud);
    await next();
  };
}

/** True when the admin permissions grant `perm` (`*` grants everything). */
export function hasAdminPerm(perms: readonly string[], perm: AdminPermission): boolean {
  return perms.includes('*') || perms.includes(perm);
}

/** Requires an admin permission from the token (API tokens carry the permissions at issue time). */
export function requirePerm(perm: AdminPermission): Middleware<ApiState> {
  return async (ctx, next) => {
    if (!hasAdminPerm(ctx.state.claims?.permissions ?? [], perm)) throw permissionDenied(`permission denied: ${perm} is required`);
    await next();
  };
}

/** The verified claims of the request; only called behind `bearer`. */
export function claimsOf(ctx: { state: ApiState }): TokenClaims {
  const claims = ctx.state.claims;
  if (!claims) throw authFailed('no token found');
  return claims;
}

/**
 * Whether a user may use the HTTP API now (re-checked on every user-API request, as SFTPGo does):
 * enabled, not expired, HTTP not denied, password login allowed, source IP allowed.
 */
export function checkUserHttpAccess(user: User, ip: string, now = Date.now()): void {
  if (user.status !== 1) throw permissionDenied('user is disabled');
  if (user.expiration_date && user.expiration_date > 0 && user.expiration_date < now) throw permissionDenied('user is expired');
  if (user.filters?.denied_protocols?.includes('HTTP')) throw permissionDenied('protocol HTTP is not allowed for this user');
  if (user.filters?.denied_login_methods?.includes('password')) throw permissionDenied('login method password is not allowed for this user');
  if (!isIpAllowed(user, ip)) throw permissionDenied(`login from IP ${ip} is not allowed for this user`);
}

/** Middleware chain of an admin API route: a valid API token, plus the permission when given. */
export function adminGuard(tokens: TokenManager, perm?: AdminPermission): Middleware<ApiState>[] {
  return perm ? [bearer(tokens, 'API'), requirePerm(perm)] : [bearer(tokens, 'API')];
}
