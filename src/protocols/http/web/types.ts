/**
 * What the web UI modules receive: the API dependencies (same data service, core and tokens, so
 * no rule is implemented twice) plus the web paths, the CSRF signer and the binding's settings.
 */
import type { Admin, User } from '../../../dataprovider/models.js';
import type { HttpdBinding } from '../../../config/types.js';
import type { ParameterizedContext } from 'koa';
import type { ApiContext, ApiDeps, ApiState } from '../types.js';
import type { CsrfTokens } from './csrf.js';
import type { WebPaths } from './paths.js';

export interface WebDeps extends ApiDeps {
  paths: WebPaths;
  csrf: CsrfTokens;
  binding: HttpdBinding;
  /** static_files_path when that directory exists. */
  staticDir: string | undefined;
}

/** A request of the web UIs (`state.admin` / `state.user` are set behind the sessions). */
export type WebContext = ParameterizedContext<ApiState>;

/** A request of a web route with path parameters (the router's context, as the API's). */
export type WebRouteContext = ApiContext;

/** The logged-in admin of a web admin request. */
export function adminOf(ctx: WebContext): Admin {
  const admin = ctx.state.admin;
  if (!admin) throw new Error('web admin session missing: route registered outside the session guard');
  return admin;
}

/** The logged-in user of a web client request. */
export function clientUserOf(ctx: WebContext): User {
  const user = ctx.state.user;
  if (!user) throw new Error('web client session missing: route registered outside the session guard');
  return user;
}
