/**
 * Common middleware for every HTTP request (INVENTORY §3.6): request id, real client IP, access
 * log (§9.1 fields), HTTP metrics, ban check, trailing-slash stripping.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import { permissionDenied } from '../../util/errors.js';
import { realIp } from './ip.js';
import type { ApiState } from './types.js';

/** Sets request id, client IP and a request logger; writes one access log line per request. */
export function requestContext(app: AppContext, logger: Logger, proxyAllowed: readonly string[]): Middleware<ApiState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    ctx.state.requestId = randomUUID();
    ctx.state.ip = realIp(ctx.req.socket.remoteAddress ?? '', ctx.req.headers, proxyAllowed);
    ctx.state.log = logger.child({ request_id: ctx.state.requestId });
    ctx.set('X-Request-ID', ctx.state.requestId);
    ctx.res.once('finish', () => {
      app.core.metrics.httpRequest(ctx.status);
      ctx.state.log.info({
        sender: 'httpd', remote_addr: `${ctx.state.ip}:${ctx.req.socket.remotePort ?? 0}`, proto: `HTTP/${ctx.req.httpVersion}`,
        method: ctx.method, user_agent: ctx.get('user-agent'), uri: ctx.originalUrl, resp_status: ctx.status,
        resp_size: Number(ctx.response.get('content-length') || 0) || ctx.res.socket?.bytesWritten || 0,
        elapsed_ms: Number(process.hrtime.bigint() - started) / 1e6, request_id: ctx.state.requestId,
      }, 'access');
    });
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
