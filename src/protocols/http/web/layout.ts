/**
 * The shared page shell of both web UIs: head (our stylesheet and script from /static, the CSRF
 * token for AJAX calls), a top bar with the UI's navigation, messages, and the security headers
 * every page is sent with (a strict Content-Security-Policy: no inline script or style at all).
 */
import type { Admin, AdminPermission } from '../../../dataprovider/models.js';
import { hasAdminPerm } from '../auth.js';
import { html, type SafeHtml } from './html.js';
import type { WebPaths } from './paths.js';
import type { WebContext } from './types.js';

/** What a page puts around its body. */
export interface Shell {
  title: string;
  paths: WebPaths;
  /** Top bar content (admin or client navigation); none on login/setup pages. */
  nav?: SafeHtml;
  /** Token for the AJAX calls of the page (meta csrf-token). */
  csrf?: string;
  /** A small centered page (login, setup). */
  narrow?: boolean;
}

/** The whole document. */
export function documentHtml(shell: Shell, body: SafeHtml): SafeHtml {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>SFTPGo - ${shell.title}</title>
${shell.csrf ? html`<meta name="csrf-token" content="${shell.csrf}">` : ''}
<link rel="stylesheet" href="${shell.paths.static}/sftpgo-web.css">
<script src="${shell.paths.static}/sftpgo-web.js" defer></script>
</head><body>
<header class="top"><span class="brand">SFTPGo</span>${shell.nav ?? ''}</header>
<main${shell.narrow ? html` class="narrow"` : ''}>
<h1>${shell.title}</h1>
<div id="ajax-message" class="msg" hidden></div>
${body}
</main></body></html>
`;
}

/** Sends a page with the security headers of every web response. */
export function sendHtml(ctx: WebContext, page: SafeHtml, status = 200): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'same-origin');
  ctx.set('Cache-Control', 'no-store');
  ctx.body = page.value;
}

/** An error box (nothing when there is no error). */
export function errorBox(text: string | undefined): SafeHtml {
  return text ? html`<div class="msg error" role="alert">${text}</div>` : html``;
}

/** A success box (nothing when there is no message). */
export function okBox(text: string | undefined): SafeHtml {
  return text ? html`<div class="msg ok" role="status">${text}</div>` : html``;
}

const ADMIN_LINKS: { key: keyof WebPaths['admin']; label: string; perm: AdminPermission }[] = [
  { key: 'users', label: 'Users', perm: 'view_users' },
  { key: 'folders', label: 'Folders', perm: 'view_users' },
  { key: 'connections', label: 'Connections', perm: 'view_conns' },
  { key: 'status', label: 'Status', perm: 'view_status' },
  { key: 'managers', label: 'Admins', perm: 'manage_admins' },
  { key: 'maintenance', label: 'Maintenance', perm: 'manage_system' },
  { key: 'defender', label: 'Defender', perm: 'view_defender' },
];

/** Web admin navigation: only the pages the admin's permissions open. */
export function adminNav(paths: WebPaths, admin: Admin, active: keyof WebPaths['admin'] | ''): SafeHtml {
  const links = ADMIN_LINKS.filter((l) => hasAdminPerm(admin.permissions, l.perm))
    .map((l) => html`<a href="${paths.admin[l.key]}"${l.key === active ? html` class="active"` : ''}>${l.label}</a>`);
  return html`<nav>${links}</nav><span class="who">${admin.username}<a href="${paths.admin.changePwd}">Change password</a><a href="${paths.admin.logout}">Logout</a></span>`;
}

/** Web client navigation. */
export function clientNav(paths: WebPaths, username: string, active: 'files' | 'credentials'): SafeHtml {
  const link = (href: string, label: string, on: boolean) => html`<a href="${href}"${on ? html` class="active"` : ''}>${label}</a>`;
  return html`<nav>${link(paths.client.files, 'My Files', active === 'files')}${link(paths.client.credentials, 'Credentials', active === 'credentials')}</nav><span class="who">${username}<a href="${paths.client.logout}">Logout</a></span>`;
}

/** A page with only a message (errors: 400, 403, 404...) and a link to `home`. */
export function messagePage(paths: WebPaths, title: string, text: string, home: string): SafeHtml {
  return documentHtml({ title, paths }, html`<div class="card"><p>${text}</p><p><a href="${home}">Go back to the start page</a></p></div>`);
}
