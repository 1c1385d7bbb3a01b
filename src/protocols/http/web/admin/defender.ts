/**
 * Web admin defender (view_defender; removing a host needs manage_defender): banned and scored
 * hosts, the JSON list at defender/hosts (as the API shows it) and the remove action.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { DefenderEntry } from '../../../../core/types.js';
import { defenderEntryJson, removeDefenderHost } from '../../api/connections.js';
import { hasAdminPerm } from '../../auth.js';
import type { ApiState } from '../../types.js';
import { ajaxButton } from '../controls.js';
import { formatDate } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { adminNav, documentHtml, sendHtml } from '../layout.js';
import { withName } from '../paths.js';
import { csrfHeader, pageCsrf, requireAdminPerm } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';

function hostRow(deps: WebDeps, canRemove: boolean, e: DefenderEntry): SafeHtml {
  const state = e.banTime ? `banned until ${formatDate(e.banTime)}` : `score ${e.score ?? 0}`;
  return html`<tr data-row><td>${e.ip}</td><td>${state}</td>
  <td>${canRemove ? ajaxButton('Remove', withName(deps.paths.admin.defenderHosts, e.id), { confirm: `Remove ${e.ip} from the defender list?`, danger: true }) : ''}</td></tr>`;
}

async function defenderPage(ctx: WebContext, deps: WebDeps): Promise<void> {
  const admin = adminOf(ctx);
  const canRemove = hasAdminPerm(admin.permissions, 'manage_defender');
  const { defender } = deps.app.core;
  const rows = defender.list().map((e) => hostRow(deps, canRemove, e));
  const body = defender.enabled
    ? html`<table id="defender"><thead><tr><th>IP address</th><th>State</th><th></th></tr></thead>
      <tbody>${rows.length ? rows : html`<tr><td colspan="3" class="muted">No banned or scored hosts</td></tr>`}</tbody></table>`
    : html`<div class="card"><p>The defender is disabled (common.defender.enabled).</p></div>`;
  const csrf = await pageCsrf(ctx, deps);
  sendHtml(ctx, documentHtml({ title: 'Defender', paths: deps.paths, nav: adminNav(deps.paths, admin, 'defender'), csrf }, body));
}

/** Defender page, JSON host list and remove action. */
export function registerDefenderPages(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.admin;
  router.get(p.defender, session, requireAdminPerm('view_defender'), (ctx: WebRouteContext) => defenderPage(ctx, deps));
  router.get(p.defenderHosts, session, requireAdminPerm('view_defender'), (ctx: WebRouteContext) => {
    ctx.body = deps.app.core.defender.list().map(defenderEntryJson);
  });
  router.delete(`${p.defenderHosts}/:id`, session, requireAdminPerm('manage_defender'), csrfHeader(deps), (ctx: WebRouteContext) => {
    removeDefenderHost(deps, ctx.params.id ?? '');
    ctx.body = { message: 'OK' };
  });
}
