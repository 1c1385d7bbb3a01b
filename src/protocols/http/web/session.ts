/**
 * Web UI sessions (INVENTORY §8.2): the `jwt` cookie holds a token of audience WebAdmin or
 * WebClient. Every request behind a session verifies it and reloads the account: an admin must
 * still exist, be enabled, be allowed from the client IP and keep the password the token was
 * issued for (its current permissions apply, not the token's); a user must pass the same HTTP
 * access checks as the user API. Anything else clears the cookie and sends a 302 to the login
 * page. GET page loads re-issue the cookie when less than 10 minutes are left.
 */
import type { Middleware } from 'koa';
import type { AdminPermission } from '../../../dataprovider/models.js';
import { permissionDenied } from '../../../util/errors.js';
import { checkUserHttpAccess, hasAdminPerm } from '../auth.js';
import { adminMayConnect, adminSignature, userSignature } from '../login.js';
import { TOKEN_LIFETIME_S } from '../tokens.js';
import type { ApiState, TokenClaims } from '../types.js';
import { appendSetCookie, isSecureRequest, jwtCookie, readCookie, JWT_COOKIE } from './cookies.js';
import { CSRF_HEADER } from './csrf.js';
import type { WebContext, WebDeps } from './types.js';

export type WebUi = 'admin' | 'client';

const REFRESH_BELOW_MS = 10 * 60 * 1000;
const AUDIENCE = { admin: 'WebAdmin', client: 'WebClient' } as const;

function cookiePath(deps: WebDeps, ui: WebUi): string {
  return ui === 'admin' ? deps.paths.admin.base : deps.paths.client.base;
}

/** Issues a login token for the UI and sets it as the `jwt` cookie. */
export async function setLoginCookie(ctx: WebContext, deps: WebDeps, ui: WebUi, username: string, permissions: string[], signature: string): Promise<void> {
  const { access_token: token } = await deps.tokens.issue(AUDIENCE[ui], username, permissions, signature);
  appendSetCookie(ctx, jwtCookie(token, cookiePath(deps, ui), TOKEN_LIFETIME_S, isSecureRequest(ctx, deps.binding.proxy_allowed)));
}

/** Deletes the `jwt` cookie of the UI. */
export function clearLoginCookie(ctx: WebContext, deps: WebDeps, ui: WebUi): void {
  appendSetCookie(ctx, jwtCookie('', cookiePath(deps, ui), 0, isSecureRequest(ctx, deps.binding.proxy_allowed)));
}

/** Verified claims of the request's cookie, or undefined when missing, invalid, expired or revoked. */
async function cookieClaims(ctx: WebContext, deps: WebDeps, ui: WebUi): Promise<TokenClaims | undefined> {
  const token = readCookie(ctx, JWT_COOKIE);
  if (!token) return undefined;
  return deps.tokens.verify(token, AUDIENCE[ui]).catch(() => undefined);
}

function toLogin(ctx: WebContext, deps: WebDeps, ui: WebUi, hadCookie: boolean): void {
  if (hadCookie) clearLoginCookie(ctx, deps, ui);
  ctx.redirect(ui === 'admin' ? deps.paths.admin.login : deps.paths.client.login);
}

/** Re-issues the cookie on GET when the token is close to its end. */
async function maybeRefresh(ctx: WebContext, deps: WebDeps, ui: WebUi, claims: TokenClaims, perms: string[]): Promise<void> {
  if (ctx.method !== 'GET' || claims.exp * 1000 - deps.tokens.now() >= REFRESH_BELOW_MS) return;
  await setLoginCookie(ctx, deps, ui, claims.username, perms, claims.sub);
}

/** Session guard of the web admin: sets `ctx.state.admin` and `ctx.state.claims`. */
export function adminSession(deps: WebDeps): Middleware<ApiState> {
  return async (ctx, next) => {
    const claims = await cookieClaims(ctx, deps, 'admin');
    const admin = claims ? await deps.app.data.getAdmin(claims.username).catch(() => undefined) : undefined;
    if (!claims || !admin || !adminMayConnect(admin, ctx.state.ip) || adminSignature(admin) !== claims.sub) {
      toLogin(ctx, deps, 'admin', readCookie(ctx, JWT_COOKIE) !== undefined);
      return;
    }
    ctx.state.claims = claims;
    ctx.state.admin = admin;
    await maybeRefresh(ctx, deps, 'admin', claims, admin.permissions);
    await next();
  };
}

/** Session guard of the web client: sets `ctx.state.user` and `ctx.state.claims`. */
export function clientSession(deps: WebDeps): Middleware<ApiState> {
  return async (ctx, next) => {
    const claims = await cookieClaims(ctx, deps, 'client');
    const user = claims ? await deps.app.data.getUser(claims.username).catch(() => undefined) : undefined;
    let allowed = !!claims && !!user && userSignature(user) === claims.sub;
    if (allowed && user) {
      try {
        checkUserHttpAccess(user, ctx.state.ip);
      } catch {
        allowed = false;
      }
    }
    if (!allowed || !claims || !user) {
      toLogin(ctx, deps, 'client', readCookie(ctx, JWT_COOKIE) !== undefined);
      return;
    }
    ctx.state.claims = claims;
    ctx.state.user = user;
    await maybeRefresh(ctx, deps, 'client', claims, user.filters?.web_client ?? []);
    await next();
  };
}

/** Admin permission gate of a page or action: a 403 page without it. */
export function requireAdminPerm(perm: AdminPermission): Middleware<ApiState> {
  return async (ctx, next) => {
    if (!hasAdminPerm(ctx.state.admin?.permissions ?? [], perm)) throw permissionDenied(`permission denied: ${perm} is required`);
    await next();
  };
}

/** CSRF gate of AJAX actions: the `X-CSRF-TOKEN` header must hold a valid token. */
export function csrfHeader(deps: WebDeps): Middleware<ApiState> {
  return async (ctx, next) => {
    await deps.csrf.verify(ctx.get(CSRF_HEADER) || undefined, ctx.state.ip);
    await next();
  };
}

/** A CSRF token for the page being rendered (one per request, reused by every form of it). */
export async function pageCsrf(ctx: WebContext, deps: WebDeps): Promise<string> {
  ctx.state.csrfToken ??= await deps.csrf.issue(ctx.state.ip);
  return ctx.state.csrfToken;
}
