/**
 * Web admin live connections (view_conns; closing one needs close_conns): user, protocol,
 * client, remote address, duration, last command and active transfers with size and speed.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ConnectionStatus, TransferStatus } from '../../../../dataprovider/models.js';
import { closeConnection } from '../../api/connections.js';
import { hasAdminPerm } from '../../auth.js';
import type { ApiState } from '../../types.js';
import { ajaxButton } from '../controls.js';
import { elapsed, formatBytes, formatDate } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { adminNav, documentHtml, sendHtml } from '../layout.js';
import { withName } from '../paths.js';
import { csrfHeader, pageCsrf, requireAdminPerm } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';

/** "UL /path 1.5 MB (300 KB/s)". */
export function transferText(t: TransferStatus, now = Date.now()): string {
  const secs = Math.max(1, (now - t.start_time) / 1000);
  const kind = t.operation_type === 'upload' ? 'UL' : 'DL';
  return `${kind} ${t.path} ${formatBytes(t.size)} (${formatBytes(t.size / secs)}/s)`;
}

function connectionRow(deps: WebDeps, canClose: boolean, c: ConnectionStatus, now: number): SafeHtml {
  const transfers = c.active_transfers.map((t) => html`<div>${transferText(t, now)}</div>`);
  return html`<tr data-row><td>${c.username}</td><td>${c.protocol}</td><td>${c.client_version}</td><td>${c.remote_address}</td>
  <td>${elapsed(c.connection_time, now)}<div class="muted">last activity ${formatDate(c.last_activity)}</div></td>
  <td>${c.command}${transfers}</td>
  <td>${canClose ? ajaxButton('Close', withName(deps.paths.admin.connections, c.connection_id), { confirm: `Close the connection of ${c.username}?`, danger: true }) : ''}</td></tr>`;
}

async function connectionsPage(ctx: WebContext, deps: WebDeps): Promise<void> {
  const admin = adminOf(ctx);
  const canClose = hasAdminPerm(admin.permissions, 'close_conns');
  const now = Date.now();
  const rows = deps.app.core.connections.list().map((c) => connectionRow(deps, canClose, c, now));
  const body = html`<div class="toolbar"><a class="button secondary" href="${deps.paths.admin.connections}">Refresh</a></div>
  <table id="connections"><thead><tr><th>Username</th><th>Protocol</th><th>Client</th><th>Remote address</th><th>Connected</th><th>Activity</th><th></th></tr></thead>
  <tbody>${rows.length ? rows : html`<tr><td colspan="7" class="muted">No active connections</td></tr>`}</tbody></table>`;
  const csrf = await pageCsrf(ctx, deps);
  sendHtml(ctx, documentHtml({ title: 'Connections', paths: deps.paths, nav: adminNav(deps.paths, admin, 'connections'), csrf }, body));
}

/** Connections page and the close action. */
export function registerConnectionPages(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.admin;
  router.get(p.connections, session, requireAdminPerm('view_conns'), (ctx: WebRouteContext) => connectionsPage(ctx, deps));
  router.delete(`${p.connections}/:id`, session, requireAdminPerm('close_conns'), csrfHeader(deps), async (ctx: WebRouteContext) => {
    await closeConnection(deps, ctx.params.id ?? '');
    ctx.body = { message: 'Connection closed' };
  });
}
