/**
 * Token endpoints (INVENTORY §3.6, §8.2): admin token with Basic auth (allow_list enforced;
 * failures are not scored by the defender, v2.1.2 quirk #10), user token through the core login
 * pipeline (protocol HTTP, defender, filters), and logout for both (revocation list). The login
 * rules live in ../login.ts, shared with the web UI login forms.
 */
import type Router from '@koa/router';
import { bearer, claimsOf, parseBasic } from '../auth.js';
import { adminSignature, checkAdminCredentials, loginHttpUser, userSignature } from '../login.js';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';

export function registerTokenRoutes(router: Router<ApiState>, deps: ApiDeps): void {
  router.get('/token', async (ctx: ApiContext) => {
    const { username, password } = parseBasic(ctx);
    const admin = await checkAdminCredentials(deps, ctx.state.ip, username, password);
    ctx.body = await deps.tokens.issue('API', admin.username, admin.permissions, adminSignature(admin));
  });
  router.get('/logout', bearer(deps.tokens, 'API'), logout(deps));
  router.get('/user/token', async (ctx: ApiContext) => {
    const { username, password } = parseBasic(ctx);
    const user = await loginHttpUser(deps, { ip: ctx.state.ip, port: ctx.req.socket.remotePort ?? 0 }, username, password);
    ctx.body = await deps.tokens.issue('APIUser', user.username, [], userSignature(user));
  });
  router.get('/user/logout', bearer(deps.tokens, 'APIUser'), logout(deps));
}

function logout(deps: ApiDeps) {
  return (ctx: ApiContext) => {
    deps.tokens.revoke(claimsOf(ctx));
    ctx.body = { message: 'Your token has been invalidated' };
  };
}
