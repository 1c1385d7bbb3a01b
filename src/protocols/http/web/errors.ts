/**
 * The web UIs' error funnel: the same status mapping as the API (errors.ts `toApiError`), shown
 * as an HTML page, or as the API's JSON body for AJAX calls (they send `X-CSRF-TOKEN` or ask for
 * JSON). An invalid CSRF token is a PermissionDenied, so it lands here as the 403 page.
 */
import type { Middleware } from 'koa';
import { toApiError } from '../errors.js';
import type { ApiState } from '../types.js';
import { CSRF_HEADER } from './csrf.js';
import { messagePage, sendHtml } from './layout.js';
import type { WebContext, WebDeps } from './types.js';

const TITLES: Record<number, string> = {
  400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict',
  413: 'Request too large', 416: 'Range not satisfiable', 429: 'Too many requests', 503: 'Service unavailable',
};

/** True for requests made by our script (or any client asking for JSON). */
export function wantsJson(ctx: WebContext): boolean {
  if (ctx.get(CSRF_HEADER)) return true;
  const accept = ctx.get('accept');
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** The start page of the UI the request belongs to. */
function homeOf(ctx: WebContext, deps: WebDeps): string {
  const client = ctx.path.startsWith(`${deps.paths.client.base}/`);
  return client ? deps.paths.client.files : deps.paths.admin.users;
}

/** Renders thrown errors of web routes; 5xx details are logged, never shown. */
export function webErrorFunnel(deps: WebDeps): Middleware<ApiState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, body } = toApiError(err);
      if (status >= 500) ctx.state.log?.error({ err }, 'web request failed');
      if (wantsJson(ctx)) {
        ctx.status = status;
        ctx.body = body;
        return;
      }
      const title = TITLES[status] ?? 'Internal server error';
      const text = status >= 500 ? 'The server could not complete the request; the details are in its log.' : (body.error ?? title);
      sendHtml(ctx, messagePage(deps.paths, title, text, homeOf(ctx, deps)), status);
    }
  };
}

/**
 * The message to show in a re-rendered form for a client error (bad input, refused, not found,
 * exists...); server errors are rethrown to the funnel, so no internals reach a form.
 */
export function formErrorText(err: unknown): string {
  const { status, body } = toApiError(err);
  if (status >= 500) throw err;
  return body.error ?? TITLES[status] ?? 'invalid request';
}
