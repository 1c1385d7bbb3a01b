/**
 * Web admin users: the list (view_users) with edit/clone/template/quota scan/delete actions, the
 * add form (add_users, `?clone-from=`) and the edit form (edit_users). Saving goes through the
 * data service exactly as the REST API does (mergeUser, deleteUserAndDisconnect, startUserScan).
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { User } from '../../../../dataprovider/models.js';
import { mapSecrets } from '../../../../dataprovider/secrets.js';
import { validationError } from '../../../../util/errors.js';
import { hasAdminPerm } from '../../auth.js';
import { startUserScan } from '../../api/quota.js';
import { deleteUserAndDisconnect, mergeUser } from '../../api/users.js';
import type { ApiState } from '../../types.js';
import { ajaxButton } from '../controls.js';
import { CSRF_FORM_FIELD } from '../csrf.js';
import { formErrorText } from '../errors.js';
import { bandwidthSummary, formatDate, quotaSummary } from '../format.js';
import { readForm } from '../forms.js';
import { html, type SafeHtml } from '../html.js';
import { adminNav, documentHtml, errorBox, sendHtml } from '../layout.js';
import { paged, pageOptions } from '../pager.js';
import { withName } from '../paths.js';
import { csrfHeader, pageCsrf, requireAdminPerm } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';
import { userForm, type UserFormMode } from './user-form.js';
import { userFromForm } from './user-parse.js';

const STORAGE = ['Local', 'S3', 'GCS', 'Azure Blob', 'Local encrypted', 'SFTP'];

function userRow(deps: WebDeps, perms: string[], u: User): SafeHtml {
  const p = deps.paths.admin;
  const can = (perm: Parameters<typeof hasAdminPerm>[1]) => hasAdminPerm(perms, perm);
  const expires = u.expiration_date ? formatDate(u.expiration_date).slice(0, 10) : 'never';
  return html`<tr data-row><td>${can('edit_users') ? html`<a href="${withName(p.user, u.username)}">${u.username}</a>` : u.username}</td>
  <td>${u.status === 1 ? 'Active' : 'Inactive'}<div class="muted">expires: ${expires}</div></td>
  <td>${quotaSummary(u.used_quota_size, u.quota_size, u.used_quota_files, u.quota_files)}</td>
  <td>${bandwidthSummary(u.upload_bandwidth, u.download_bandwidth)}</td>
  <td>${STORAGE[u.filesystem?.provider ?? 0] ?? ''}: <code>${u.home_dir}</code>${u.description ? html`<div class="muted">${u.description}</div>` : ''}</td>
  <td><div class="actions">${can('add_users') ? html`<a class="button small secondary" href="${p.user}?clone-from=${encodeURIComponent(u.username)}">Clone</a>` : ''}
  ${can('manage_system') ? html`<a class="button small secondary" href="${p.templateUser}?from=${encodeURIComponent(u.username)}">Template</a>` : ''}
  ${can('quota_scans') ? ajaxButton('Quota scan', withName(p.scanUser, u.username), { post: true }) : ''}
  ${can('del_users') ? ajaxButton('Delete', withName(p.user, u.username), { confirm: `Delete user ${u.username}?`, danger: true }) : ''}</div></td></tr>`;
}

async function listPage(ctx: WebContext, deps: WebDeps): Promise<void> {
  const admin = adminOf(ctx);
  const opts = pageOptions(ctx.query);
  const { rows, links } = paged(await deps.app.data.listUsers(opts), opts, deps.paths.admin.users);
  const add = hasAdminPerm(admin.permissions, 'add_users') ? html`<a class="button" href="${deps.paths.admin.user}">Add user</a>` : '';
  const body = html`<div class="toolbar">${add}</div><table id="users"><thead><tr><th>Username</th><th>Status</th><th>Quota</th><th>Bandwidth</th><th>Storage</th><th>Actions</th></tr></thead>
  <tbody>${rows.map((u) => userRow(deps, admin.permissions, u))}</tbody></table>${links}`;
  const csrf = await pageCsrf(ctx, deps);
  sendHtml(ctx, documentHtml({ title: 'Users', paths: deps.paths, nav: adminNav(deps.paths, admin, 'users'), csrf }, body));
}

/** Renders the user form page (add, edit or template). */
export async function renderUserPage(ctx: WebContext, deps: WebDeps, u: User, mode: UserFormMode, error?: string, status = 200): Promise<void> {
  const p = deps.paths.admin;
  const action = mode === 'edit' ? withName(p.user, u.username) : mode === 'add' ? p.user : p.templateUser;
  const title = { add: 'Add user', edit: `Edit user ${u.username}`, template: 'User template' }[mode];
  const nav = adminNav(deps.paths, adminOf(ctx), 'users');
  sendHtml(ctx, documentHtml({ title, paths: deps.paths, nav }, html`${errorBox(error)}${userForm(u, mode, action, await pageCsrf(ctx, deps))}`), status);
}

/** A stored user prepared as the starting point of a new one: no identity, no password, no secrets. */
export function cloneSource(deps: WebDeps, user: User): User {
  const { id: _id, password: _pw, ...rest } = deps.app.data.redactUser(user);
  return {
    ...rest, username: '', used_quota_size: 0, used_quota_files: 0, last_login: 0,
    filesystem: mapSecrets(rest.filesystem, () => undefined),
    virtual_folders: rest.virtual_folders?.map((vf) => ({ ...vf, filesystem: undefined })),
  };
}

async function addPage(ctx: WebContext, deps: WebDeps): Promise<void> {
  const from = typeof ctx.query['clone-from'] === 'string' ? ctx.query['clone-from'] : '';
  const base: User = from ? cloneSource(deps, await deps.app.data.getUser(from)) : { username: '', status: 1, home_dir: '', permissions: { '/': ['*'] } };
  await renderUserPage(ctx, deps, base, 'add');
}

/** Reads the posted user form (CSRF checked); form-shape problems are thrown as field errors. */
export async function readUserForm(ctx: WebContext, deps: WebDeps): Promise<{ user: User; fields: URLSearchParams; problem?: string }> {
  const form = await readForm(ctx);
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  const { user, reader } = userFromForm(form.fields);
  return { user, fields: form.fields, problem: reader.problems.length ? validationError(reader.problems).message : undefined };
}

async function addPost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const { user, problem } = await readUserForm(ctx, deps);
  if (problem) return renderUserPage(ctx, deps, user, 'add', problem, 400);
  try {
    await deps.app.data.addUser(user);
  } catch (err) {
    return renderUserPage(ctx, deps, user, 'add', formErrorText(err), 400);
  }
  ctx.redirect(deps.paths.admin.users);
}

async function editPost(ctx: WebContext, deps: WebDeps, username: string): Promise<void> {
  const existing = await deps.app.data.getUser(username);
  const { user, problem } = await readUserForm(ctx, deps);
  const submitted = { ...user, username };
  if (problem) return renderUserPage(ctx, deps, submitted, 'edit', problem, 400);
  try {
    await deps.app.data.updateUser(mergeUser(existing, submitted));
  } catch (err) {
    return renderUserPage(ctx, deps, submitted, 'edit', formErrorText(err), 400);
  }
  ctx.redirect(deps.paths.admin.users);
}

/** Users list, add/edit forms, delete and quota scan actions. */
export function registerUserPages(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.admin;
  const perm = requireAdminPerm;
  const name = (ctx: WebRouteContext) => ctx.params.username ?? '';
  router.get(p.users, session, perm('view_users'), (ctx: WebRouteContext) => listPage(ctx, deps));
  router.get(p.user, session, perm('add_users'), (ctx: WebRouteContext) => addPage(ctx, deps));
  router.post(p.user, session, perm('add_users'), (ctx: WebRouteContext) => addPost(ctx, deps));
  router.get(`${p.user}/:username`, session, perm('edit_users'), async (ctx: WebRouteContext) => {
    await renderUserPage(ctx, deps, deps.app.data.redactUser(await deps.app.data.getUser(name(ctx))), 'edit');
  });
  router.post(`${p.user}/:username`, session, perm('edit_users'), (ctx: WebRouteContext) => editPost(ctx, deps, name(ctx)));
  router.delete(`${p.user}/:username`, session, perm('del_users'), csrfHeader(deps), async (ctx: WebRouteContext) => {
    await deleteUserAndDisconnect(deps, name(ctx));
    ctx.body = { message: 'User deleted' };
  });
  router.post(`${p.scanUser}/:username`, session, perm('quota_scans'), csrfHeader(deps), (ctx: WebRouteContext) => startUserScan(deps, ctx, name(ctx)));
}
