/**
 * Common middleware for every HTTP request (INVENTORY §3.6): request id, real client IP, access
 * log (§9.1, access-log.ts), HTTP metrics, ban check, trailing-slash stripping.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import { permissionDenied } from '../../util/errors.js';
import { startAccessLog } from './access-log.js';
import { realIp } from './ip.js';
import type { ApiState } from './types.js';

/** Sets request id, client IP and a request logger; writes one access log line per request. */
export function requestContext(app: AppContext, logger: Logger, proxyAllowed: readonly string[]): Middleware<ApiState> {
  return async (ctx, next) => {
    ctx.state.requestId = randomUUID();
    ctx.state.ip = realIp(ctx.req.socket.remoteAddress ?? '', ctx.req.headers, proxyAllowed);
    ctx.state.log = logger.child({ request_id: ctx.state.requestId });
    ctx.set('X-Request-ID', ctx.state.requestId);
    startAccessLog(app.logger, ctx.req, ctx.res, { sender: 'httpd', ip: ctx.state.ip, requestId: ctx.state.requestId });
    ctx.res.once('finish', () => app.core.metrics.httpRequest(ctx.status));
    await next();
  };
}

/** Banned hosts get 403 before anything else runs. */
export function banCheck(app: AppContext): Middleware<ApiState> {
  return async (ctx, next) => {
    if (app.core.defender.isBanned(ctx.state.ip)) throw permissionDenied('your IP address is banned');
    await next();
  };
}

/** `/api/v2/users/` is served as `/api/v2/users`. */
export function stripTrailingSlash(): Middleware<ApiState> {
  return async (ctx, next) => {
    if (ctx.path.length > 1 && ctx.path.endsWith('/')) ctx.path = ctx.path.replace(/\/+$/, '') || '/';
    await next();
  };
}
