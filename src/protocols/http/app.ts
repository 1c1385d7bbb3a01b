/**
 * The Koa application of one HTTP binding: common middleware (the connection gate first, as
 * SFTPGo, so /healthz is gated too), /healthz, the web UIs (admin and
 * client, when the binding enables them), the REST API under /api/v2, and a JSON 404 for anything
 * else.
 */
import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { AppContext } from '../../app/context.js';
import type { HttpdBinding } from '../../config/types.js';
import { notFound } from '../../util/errors.js';
import { registerAdminRoutes } from './api/admins.js';
import { registerConnectionRoutes, registerDefenderRoutes } from './api/connections.js';
import { registerMaintenanceRoutes } from './api/maintenance.js';
import { registerQuotaRoutes } from './api/quota.js';
import { registerTokenRoutes } from './api/tokens.js';
import { registerUserApiRoutes } from './api/user-api.js';
import { registerFolderRoutes, registerUserRoutes } from './api/users.js';
import { errorFunnel } from './errors.js';
import { connectionCheck, requestContext, stripTrailingSlash } from './middleware.js';
import type { ApiDeps, ApiState } from './types.js';
import type { CsrfTokens } from './web/csrf.js';
import type { WebPaths } from './web/paths.js';
import { createWebMiddleware, withWebRefusals } from './web/router.js';

/** What the web UIs share across the bindings of one server. */
export interface WebShared {
  csrf: CsrfTokens;
  paths: WebPaths;
  /** static_files_path when that directory exists. */
  staticDir: string | undefined;
}

export const API_PREFIX = '/api/v2';

/** Builds the API router with every operation of openapi.yaml. */
export function createApiRouter(deps: ApiDeps): Router<ApiState> {
  const router = new Router<ApiState>({ prefix: API_PREFIX });
  registerTokenRoutes(router, deps);
  registerMaintenanceRoutes(router, deps);
  registerAdminRoutes(router, deps);
  registerConnectionRoutes(router, deps);
  registerDefenderRoutes(router, deps);
  registerQuotaRoutes(router, deps);
  registerUserRoutes(router, deps);
  registerFolderRoutes(router, deps);
  registerUserApiRoutes(router, deps);
  return router;
}

/** The whole Koa app for one binding. */
export function createKoaApp(app: AppContext, deps: ApiDeps, binding: HttpdBinding, logger: Logger, web: WebShared): Koa<ApiState> {
  const koa = new Koa<ApiState>({ proxy: false });
  const api = createApiRouter(deps);
  const webEnabled = binding.enable_web_admin || binding.enable_web_client;
  const webDeps = { ...deps, ...web, binding };
  koa.use(requestContext(app, logger, binding.proxy_allowed));
  koa.use(errorFunnel());
  koa.use(webEnabled ? withWebRefusals(webDeps, connectionCheck(app)) : connectionCheck(app));
  koa.use(stripTrailingSlash());
  koa.use(async (ctx, next) => {
    if (ctx.path === '/healthz' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      ctx.type = 'text/plain';
      ctx.body = 'ok';
      return;
    }
    await next();
  });
  if (webEnabled) koa.use(createWebMiddleware(webDeps));
  koa.use(api.routes());
  koa.use((ctx) => {
    throw notFound(`${ctx.method} ${ctx.path}: not found`);
  });
  return koa;
}
