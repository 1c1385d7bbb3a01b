/**
 * Token endpoints (INVENTORY §3.6, §8.2): admin token with Basic auth (allow_list enforced;
 * failures are not scored by the defender, v2.1.2 quirk #10), user token through the core login
 * pipeline (protocol HTTP, defender, filters), and logout for both (revocation list).
 */
import type Router from '@koa/router';
import type { Admin, User } from '../../../dataprovider/models.js';
import { authFailed, ErrorKind, isSftpGoError, permissionDenied } from '../../../util/errors.js';
import { bearer, claimsOf, parseBasic } from '../auth.js';
import { HttpError } from '../errors.js';
import { ipInList } from '../ip.js';
import { accountSignature } from '../tokens.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';

export function registerTokenRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  router.get('/token', async (ctx: ApiContext) => {
    const admin = await authenticateAdmin(deps, ctx);
    ctx.body = await deps.tokens.issue('API', admin.username, admin.permissions, accountSignature(admin.username, admin.password ?? ''));
  });
  router.get('/logout', bearer(deps.tokens, 'API'), logout(deps));
  router.get('/user/token', async (ctx: ApiContext) => {
    const user = await authenticateUser(deps, ctx);
    const sig = accountSignature(`${user.username}_${user.status}_${user.expiration_date ?? 0}`, user.password ?? '');
    ctx.body = await deps.tokens.issue('APIUser', user.username, [], sig);
  });
  router.get('/user/logout', bearer(deps.tokens, 'APIUser'), logout(deps));
}

function logout(deps: ApiDeps) {
  return (ctx: ApiContext) => {
    deps.tokens.revoke(claimsOf(ctx));
    ctx.body = { message: 'Your token has been invalidated' };
  };
}

/**
 * User Basic login through the core pipeline (gate: connection limits, rate limiters, post-connect
 * hook; then defender, status, credentials and the per-login rules). As SFTPGo: a failure of the
 * status or the credentials is 401 "invalid credentials"; a rule that refuses a user who gave the
 * right password (protocol HTTP denied, login method, source IP, sessions) is 403 with its reason.
 */
async function authenticateUser(deps: ApiDeps, ctx: ApiContext): Promise<User> {
  const { username, password } = parseBasic(ctx);
  const release = await deps.app.core.gate.accept(ctx.state.ip, 'HTTP').catch((err: unknown) => {
    throw isSftpGoError(err) && err.kind === ErrorKind.Unavailable ? new HttpError(429, err.message) : err;
  });
  try {
    const { user } = await deps.app.core.auth.login({
      protocol: 'HTTP', username, credentials: { method: 'password', password },
      remote: { ip: ctx.state.ip, port: ctx.req.socket.remotePort ?? 0 },
    });
    return user;
  } catch (err) {
    if (await refusedByRule(deps, username, password)) throw permissionDenied(err instanceof Error ? err.message : String(err));
    throw authFailed('invalid credentials', err);
  } finally {
    release();
  }
}

/** After a failed login: true when the account is usable and the password right, so a rule refused it. */
async function refusedByRule(deps: ApiDeps, username: string, password: string): Promise<boolean> {
  const user = await deps.app.data.getUser(username).catch(() => undefined);
  if (!user?.password || !password || user.status !== 1) return false;
  if (user.expiration_date && user.expiration_date > 0 && user.expiration_date < Date.now()) return false;
  return deps.app.data.verifyPassword(password, user.password);
}

/**
 * Admin Basic login, in SFTPGo's order: enabled and client IP inside allow_list (when set), then
 * the password. Any failure is 401 (v2.1.2 answers 401 for an IP outside the allow list too);
 * admin failures are not scored by the defender (v2.1.2 quirk #10).
 */
async function authenticateAdmin(deps: ApiDeps, ctx: ApiContext): Promise<Admin> {
  const { username, password } = parseBasic(ctx);
  let admin: Admin;
  try {
    admin = await deps.app.data.getAdmin(username);
  } catch (err) {
    throw authFailed('invalid credentials', err);
  }
  if (admin.status !== 1) throw authFailed('invalid credentials');
  const allow = admin.filters?.allow_list ?? [];
  if (allow.length > 0 && !ipInList(ctx.state.ip, allow)) throw authFailed(`login from IP ${ctx.state.ip} not allowed`);
  if (!admin.password || !password || !(await deps.app.data.verifyPassword(password, admin.password))) {
    throw authFailed('invalid credentials');
  }
  return admin;
}
