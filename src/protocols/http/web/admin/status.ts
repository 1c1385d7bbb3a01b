/**
 * Web admin server status (view_status): the same document as GET /api/v2/status, shown per
 * service: SSH (bindings, host keys with fingerprints, SSH commands), FTP (bindings with TLS mode,
 * passive port range), WebDAV bindings, the data provider and the defender.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { servicesStatus } from '../../api/maintenance.js';
import type { ApiState } from '../../types.js';
import { html, type SafeHtml } from '../html.js';
import { adminNav, documentHtml, sendHtml } from '../layout.js';
import { requireAdminPerm } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';

type Doc = Record<string, unknown>;

/** One binding as "address:port" followed by its other settings. */
export function bindingText(b: unknown): string {
  if (!b || typeof b !== 'object') return String(b);
  const { address, port, ...rest } = b as Doc;
  const extra = Object.entries(rest).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  return `${String(address ?? '') || '0.0.0.0'}:${String(port ?? '')}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function bindings(list: unknown): SafeHtml {
  const items = Array.isArray(list) ? list : [];
  return items.length ? html`<ul>${items.map((b) => html`<li><code>${bindingText(b)}</code></li>`)}</ul>` : html``;
}

function service(title: string, active: boolean, details: SafeHtml): SafeHtml {
  return html`<div class="card"><h2>${title}</h2><p>Status: <strong>${active ? 'Started' : 'Stopped'}</strong></p>${active ? details : ''}</div>`;
}

/** The status page body for a services status document. */
export function statusBody(s: Doc): SafeHtml {
  const ssh = (s.ssh ?? {}) as Doc;
  const ftp = (s.ftp ?? {}) as Doc;
  const dav = (s.webdav ?? {}) as Doc;
  const dp = (s.data_provider ?? {}) as Doc;
  const keys = Array.isArray(ssh.host_keys) ? (ssh.host_keys as { path: string; fingerprint: string }[]) : [];
  const range = (ftp.passive_port_range ?? {}) as Doc;
  return html`${service('SFTP/SSH', ssh.is_active === true, html`${bindings(ssh.bindings)}
    <p>Host keys:</p><ul>${keys.map((k) => html`<li><code>${k.path}</code> ${k.fingerprint}</li>`)}</ul>
    <p>SSH commands: ${Array.isArray(ssh.ssh_commands) ? ssh.ssh_commands.join(', ') : ''}</p>`)}
  ${service('FTP', ftp.is_active === true, html`${bindings(ftp.bindings)}<p>Passive port range: ${String(range.start ?? '')}-${String(range.end ?? '')}</p>`)}
  ${service('WebDAV', dav.is_active === true, bindings(dav.bindings))}
  <div class="card"><h2>Data provider</h2><p>Driver: ${String(dp.driver ?? '')}; status: <strong>${dp.is_active ? 'OK' : 'Not available'}</strong>
  ${dp.error ? html`<span class="msg error">${String(dp.error)}</span>` : ''}</p></div>
  <div class="card"><h2>Defender</h2><p>${(s.defender as Doc | undefined)?.is_active ? 'Enabled' : 'Disabled'}</p></div>`;
}

async function statusPage(ctx: WebContext, deps: WebDeps): Promise<void> {
  const body = statusBody(await servicesStatus(deps));
  sendHtml(ctx, documentHtml({ title: 'Status', paths: deps.paths, nav: adminNav(deps.paths, adminOf(ctx), 'status') }, body));
}

/** The status page. */
export function registerStatusPage(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  router.get(deps.paths.admin.status, session, requireAdminPerm('view_status'), (ctx: WebRouteContext) => statusPage(ctx, deps));
}
