/**
 * Common middleware for every HTTP request (INVENTORY §3.6): request id, real client IP, access
 * log (§9.1, access-log.ts), HTTP metrics, the connection gate, trailing-slash stripping.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import { ErrorKind, RateLimitedError, errorKindOf } from '../../util/errors.js';
import { startAccessLog } from './access-log.js';
import { HttpError } from './errors.js';
import { realIp } from './ip.js';
import { retryHeaders } from './retry.js';
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

/**
 * Every request passes the core gate for protocol HTTP before anything else runs, /healthz
 * included, as SFTPGo's checkConnection does (INVENTORY §3.6): the request counts as a client of
 * its IP until its response is done (streamed downloads included); over max_total_connections or
 * max_per_host_connections → 403, banned → 403, a rate limiter refusal → 429 with `Retry-After`
 * and `X-Retry-In`. The post-connect hook is not run here: SFTPGo runs it on user logins only.
 */
export function connectionCheck(app: AppContext): Middleware<ApiState> {
  return async (ctx, next) => {
    let release: () => void;
    try {
      release = await app.core.gate.accept(ctx.state.ip, 'HTTP', { postConnect: false });
    } catch (err) {
      if (err instanceof RateLimitedError) {
        ctx.set(retryHeaders(err.retryAfterMs));
        throw new HttpError(429, err.message);
      }
      if (errorKindOf(err) === ErrorKind.Unavailable) throw new HttpError(403, `configured connections limit reached: ${(err as Error).message}`);
      throw err;
    }
    ctx.res.once('close', release);
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
