/**
 * Web admin admins ("managers", manage_admins): list, add, edit, delete. Self-protection is the
 * API's (updateAdminAs/deleteAdminAs): nobody deletes or disables themselves or drops their own
 * `manage_admins`/`*`.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { ADMIN_PERMISSIONS, type Admin, type AdminPermission } from '../../../../dataprovider/models.js';
import { deleteAdminAs, updateAdminAs } from '../../api/admins.js';
import type { ApiState } from '../../types.js';
import { ajaxButton, checkGroup, input, postForm, select, textarea } from '../controls.js';
import { CSRF_FORM_FIELD } from '../csrf.js';
import { formErrorText } from '../errors.js';
import { FormReader, readForm } from '../forms.js';
import { html, type SafeHtml } from '../html.js';
import { adminNav, documentHtml, errorBox, sendHtml } from '../layout.js';
import { paged, pageOptions } from '../pager.js';
import { withName } from '../paths.js';
import { csrfHeader, pageCsrf, requireAdminPerm } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';

function adminRow(deps: WebDeps, me: string, a: Admin): SafeHtml {
  const p = deps.paths.admin;
  const del = a.username === me ? '' : ajaxButton('Delete', withName(p.manager, a.username), { confirm: `Delete admin ${a.username}?`, danger: true });
  return html`<tr data-row><td><a href="${withName(p.manager, a.username)}">${a.username}</a></td><td>${a.status === 1 ? 'Active' : 'Inactive'}</td>
  <td>${a.email ?? ''}</td><td>${a.permissions.join(', ')}</td><td>${a.description ?? ''}</td><td>${del}</td></tr>`;
}

async function listPage(ctx: WebContext, deps: WebDeps): Promise<void> {
  const me = adminOf(ctx);
  const opts = pageOptions(ctx.query);
  const { rows, links } = paged(await deps.app.data.listAdmins(opts), opts, deps.paths.admin.managers);
  const body = html`<div class="toolbar"><a class="button" href="${deps.paths.admin.manager}">Add admin</a></div>
  <table id="admins"><thead><tr><th>Username</th><th>Status</th><th>Email</th><th>Permissions</th><th>Description</th><th></th></tr></thead>
  <tbody>${rows.map((a) => adminRow(deps, me.username, a))}</tbody></table>${links}`;
  const csrf = await pageCsrf(ctx, deps);
  sendHtml(ctx, documentHtml({ title: 'Admins', paths: deps.paths, nav: adminNav(deps.paths, me, 'managers'), csrf }, body));
}

/** The admin form's fields. */
export function adminFields(a: Admin, edit: boolean): SafeHtml {
  const name = edit
    ? html`<div class="field"><label for="username">Username</label><input type="text" id="username" name="username" value="${a.username}" readonly></div>`
    : input('Username', 'username', a.username, 'text', { required: true });
  return html`<div class="grid">${name}${input('Password', 'password', '', 'password', { autocomplete: 'new-password', help: edit ? 'Leave empty to keep the current password' : undefined, required: !edit })}
  ${select('Status', 'status', [['1', 'Active'], ['0', 'Inactive']], String(a.status ?? 1))}${input('Email', 'email', a.email, 'email')}</div>
  ${checkGroup('Permissions', 'permissions', ADMIN_PERMISSIONS, a.permissions ?? [], '"*" grants every permission')}
  ${input('Allowed IP/Mask', 'allow_list', (a.filters?.allow_list ?? []).join(','), 'text', { help: 'Comma separated; empty allows any address' })}
  ${input('Description', 'description', a.description)}${textarea('Additional info', 'additional_info', a.additional_info ?? '')}`;
}

async function renderAdminPage(ctx: WebContext, deps: WebDeps, a: Admin, edit: boolean, error?: string, status = 200): Promise<void> {
  const p = deps.paths.admin;
  const form = postForm(edit ? withName(p.manager, a.username) : p.manager, await pageCsrf(ctx, deps),
    html`${adminFields(a, edit)}<div class="actions"><button type="submit">${edit ? 'Save admin' : 'Add admin'}</button></div>`, { id: 'admin-form' });
  const nav = adminNav(deps.paths, adminOf(ctx), 'managers');
  sendHtml(ctx, documentHtml({ title: edit ? `Edit admin ${a.username}` : 'Add admin', paths: deps.paths, nav }, html`${errorBox(error)}${form}`), status);
}

/** The posted admin (password empty when not changed). */
export function adminFromForm(fields: URLSearchParams): Admin {
  const f = new FormReader(fields);
  return {
    username: f.str('username'), password: f.rawStr('password'), status: f.str('status') === '0' ? 0 : 1, email: f.str('email'),
    permissions: f.all('permissions') as AdminPermission[], filters: { allow_list: f.list('allow_list') },
    description: f.str('description'), additional_info: f.str('additional_info'),
  };
}

async function savePost(ctx: WebContext, deps: WebDeps, username: string | undefined): Promise<void> {
  const form = await readForm(ctx);
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  const posted = adminFromForm(form.fields);
  const shown = username ? { ...posted, username } : posted;
  try {
    if (username) await updateAdminAs(deps, adminOf(ctx).username, username, posted);
    else await deps.app.data.addAdmin(posted);
  } catch (err) {
    return renderAdminPage(ctx, deps, shown, username !== undefined, formErrorText(err), 400);
  }
  ctx.redirect(deps.paths.admin.managers);
}

/** Admins list, add/edit forms and delete. */
export function registerManagerPages(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.admin;
  const perm = requireAdminPerm('manage_admins');
  const name = (ctx: WebRouteContext) => ctx.params.username ?? '';
  router.get(p.managers, session, perm, (ctx: WebRouteContext) => listPage(ctx, deps));
  router.get(p.manager, session, perm, (ctx: WebRouteContext) => renderAdminPage(ctx, deps, { username: '', status: 1, permissions: [] }, false));
  router.post(p.manager, session, perm, (ctx: WebRouteContext) => savePost(ctx, deps, undefined));
  router.get(`${p.manager}/:username`, session, perm, async (ctx: WebRouteContext) => {
    await renderAdminPage(ctx, deps, deps.app.data.redactAdmin(await deps.app.data.getAdmin(name(ctx))), true);
  });
  router.post(`${p.manager}/:username`, session, perm, async (ctx: WebRouteContext) => {
    await deps.app.data.getAdmin(name(ctx));
    await savePost(ctx, deps, name(ctx));
  });
  router.delete(`${p.manager}/:username`, session, perm, csrfHeader(deps), async (ctx: WebRouteContext) => {
    await deleteAdminAs(deps, adminOf(ctx).username, name(ctx));
    ctx.body = { message: 'Admin deleted' };
  });
}
