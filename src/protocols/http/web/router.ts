/**
 * The web UIs of one binding as one Koa middleware: it owns `{web_root}`, `{web_root}/web/...`
 * and `{web_root}/static/...` and leaves every other path (the REST API) to the next middleware.
 * `/` and `/web` redirect (301) to the client login when the web client is enabled, else to the
 * admin login; while no admin exists they go (302) to the admin setup page (INVENTORY §3.6).
 * Errors are HTML pages (or JSON for AJAX calls); unknown web paths are an HTML 404.
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { notFound } from '../../../util/errors.js';
import type { ApiState } from '../types.js';
import { registerAdminAccountRoutes } from './admin/account.js';
import { registerConnectionPages } from './admin/connections.js';
import { registerDefenderPages } from './admin/defender.js';
import { registerFolderPages } from './admin/folders.js';
import { registerMaintenancePages } from './admin/maintenance.js';
import { registerManagerPages } from './admin/managers.js';
import { registerStatusPage } from './admin/status.js';
import { registerTemplatePages } from './admin/templates.js';
import { registerUserPages } from './admin/users.js';
import { registerClientAccountRoutes } from './client/account.js';
import { registerClientFileRoutes } from './client/files.js';
import { webErrorFunnel } from './errors.js';
import { adminSession, clientSession } from './session.js';
import { serveStatic } from './static.js';
import type { WebDeps, WebRouteContext } from './types.js';

/** True for the paths the web UIs own. */
export function isWebPath(path: string, deps: Pick<WebDeps, 'paths'>): boolean {
  const { root, web, static: stat } = deps.paths;
  return path === root || path === web || path.startsWith(`${web}/`) || path.startsWith(`${stat}/`);
}

function registerRedirects(router: Router<ApiState>, deps: WebDeps): void {
  const { binding, paths } = deps;
  const toStart = async (ctx: WebRouteContext) => {
    if (binding.enable_web_admin && (await deps.app.provider.admins.count()) === 0) return ctx.redirect(paths.admin.setup);
    ctx.status = 301;
    ctx.redirect(binding.enable_web_client ? paths.client.login : paths.admin.login);
  };
  router.get(paths.root, toStart);
  router.get(paths.web, toStart);
  if (binding.enable_web_admin) router.get(paths.admin.base, async (ctx: WebRouteContext) => {
    if ((await deps.app.provider.admins.count()) === 0) return ctx.redirect(paths.admin.setup);
    ctx.status = 301;
    ctx.redirect(paths.admin.login);
  });
  if (binding.enable_web_client) router.get(paths.client.base, (ctx: WebRouteContext) => {
    ctx.status = 301;
    ctx.redirect(paths.client.login);
  });
}

function registerStatic(router: Router<ApiState>, deps: WebDeps): void {
  router.get(`${deps.paths.static}/*name`, async (ctx: WebRouteContext) => {
    const name = ctx.params.name ?? '';
    if (name.includes('\0') || name.includes('\\') || name.split('/').includes('..') || !(await serveStatic(ctx, deps.staticDir, name))) {
      throw notFound(`${ctx.path}: not found`);
    }
  });
}

function registerAdmin(router: Router<ApiState>, deps: WebDeps): void {
  const session = adminSession(deps);
  registerAdminAccountRoutes(router, deps, session);
  registerUserPages(router, deps, session);
  registerFolderPages(router, deps, session);
  registerTemplatePages(router, deps, session);
  registerConnectionPages(router, deps, session);
  registerStatusPage(router, deps, session);
  registerManagerPages(router, deps, session);
  registerMaintenancePages(router, deps, session);
  registerDefenderPages(router, deps, session);
}

function registerClient(router: Router<ApiState>, deps: WebDeps): void {
  const session = clientSession(deps);
  registerClientAccountRoutes(router, deps, session);
  registerClientFileRoutes(router, deps, session);
}

/**
 * Runs a middleware that may refuse the request (the connection gate) so that, on the UIs' paths,
 * its refusal is the UIs' HTML page (or JSON for AJAX), as SFTPGo renders its 403/429 pages there.
 */
export function withWebRefusals(deps: WebDeps, mw: Middleware<ApiState>): Middleware<ApiState> {
  const funnel = webErrorFunnel(deps);
  return async (ctx, next) => {
    if (!isWebPath(ctx.path, deps)) return mw(ctx, next);
    let admitted = false;
    await funnel(ctx, () => mw(ctx, async () => { admitted = true; }));
    if (admitted) await next();
  };
}

/** The web UIs middleware for a binding with at least one UI enabled. */
export function createWebMiddleware(deps: WebDeps): Middleware<ApiState> {
  const router = new Router<ApiState>();
  registerRedirects(router, deps);
  registerStatic(router, deps);
  if (deps.binding.enable_web_admin) registerAdmin(router, deps);
  if (deps.binding.enable_web_client) registerClient(router, deps);
  const routes = router.routes() as Middleware<ApiState>;
  const funnel = webErrorFunnel(deps);
  return async (ctx, next) => {
    if (!isWebPath(ctx.path, deps)) return next();
    await funnel(ctx, () => routes(ctx, async () => {
      throw notFound(`${ctx.method} ${ctx.path}: not found`);
    }));
  };
}
