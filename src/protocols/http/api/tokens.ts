/**
 * Token endpoints (INVENTORY §3.6, §8.2): admin token with Basic auth (allow_list enforced;
 * failures are not scored by the defender, v2.1.2 quirk #10), user token through the core login
 * pipeline (protocol HTTP, defender, filters), and logout for both (revocation list).
 */
import type Router from '@koa/router';
import type { Admin } from '../../../dataprovider/models.js';
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
    const { username, password } = parseBasic(ctx);
    // Connection limits, rate limiters and the post-connect hook apply to user logins (INVENTORY §3.6).
    const release = await deps.app.core.gate.accept(ctx.state.ip, 'HTTP').catch((err: unknown) => {
      throw isSftpGoError(err) && err.kind === ErrorKind.Unavailable ? new HttpError(429, err.message) : err;
    });
    const { user } = await deps.app.core.auth.login({
      protocol: 'HTTP', username, credentials: { method: 'password', password },
      remote: { ip: ctx.state.ip, port: ctx.req.socket.remotePort ?? 0 },
    }).catch((err: unknown) => {
      if (isSftpGoError(err) && err.kind === ErrorKind.PermissionDenied) throw err;
      throw authFailed('invalid credentials', err);
    }).finally(release);
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

/** Admin Basic login: enabled, password ok, client IP inside allow_list when set. */
async function authenticateAdmin(deps: ApiDeps, ctx: ApiContext): Promise<Admin> {
  const { username, password } = parseBasic(ctx);
  let admin: Admin;
  try {
    admin = await deps.app.data.getAdmin(username);
  } catch (err) {
    throw authFailed('invalid credentials', err);
  }
  if (admin.status !== 1 || !admin.password || !(await deps.app.data.verifyPassword(password, admin.password))) {
    throw authFailed('invalid credentials');
  }
  const allow = admin.filters?.allow_list ?? [];
  if (allow.length > 0 && !ipInList(ctx.state.ip, allow)) throw permissionDenied(`login from IP ${ctx.state.ip} is not allowed`);
  return admin;
}
