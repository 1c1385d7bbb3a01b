/**
 * Web admin virtual folders (the user permissions apply, INVENTORY §8.3): list (view_users) with
 * quota scan and delete, add (add_users) and edit (edit_users) forms with the storage backend.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { BaseVirtualFolder } from '../../../../dataprovider/models.js';
import { validationError } from '../../../../util/errors.js';
import { hasAdminPerm } from '../../auth.js';
import { startFolderScan } from '../../api/quota.js';
import { mergeFolder } from '../../api/users.js';
import type { ApiState } from '../../types.js';
import { ajaxButton, input, postForm } from '../controls.js';
import { CSRF_FORM_FIELD } from '../csrf.js';
import { formErrorText } from '../errors.js';
import { quotaSummary } from '../format.js';
import { FormReader, readForm } from '../forms.js';
import { html, type SafeHtml } from '../html.js';
import { adminNav, documentHtml, errorBox, sendHtml } from '../layout.js';
import { paged, pageOptions } from '../pager.js';
import { withName } from '../paths.js';
import { csrfHeader, pageCsrf, requireAdminPerm } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';
import { fsFields, fsFromForm } from './fs-form.js';

function folderRow(deps: WebDeps, perms: string[], f: BaseVirtualFolder): SafeHtml {
  const p = deps.paths.admin;
  const can = (perm: Parameters<typeof hasAdminPerm>[1]) => hasAdminPerm(perms, perm);
  return html`<tr data-row><td>${can('edit_users') ? html`<a href="${withName(p.folder, f.name)}">${f.name}</a>` : f.name}</td>
  <td><code>${f.mapped_path ?? ''}</code>${f.description ? html`<div class="muted">${f.description}</div>` : ''}</td>
  <td>${quotaSummary(f.used_quota_size, 0, f.used_quota_files, 0)}</td><td>${(f.users ?? []).join(', ')}</td>
  <td><div class="actions">${can('manage_system') ? html`<a class="button small secondary" href="${p.templateFolder}?from=${encodeURIComponent(f.name)}">Template</a>` : ''}
  ${can('quota_scans') ? ajaxButton('Quota scan', withName(p.scanFolder, f.name), { post: true }) : ''}
  ${can('del_users') ? ajaxButton('Delete', withName(p.folder, f.name), { confirm: `Delete folder ${f.name}? Its files stay on disk.`, danger: true }) : ''}</div></td></tr>`;
}

async function listPage(ctx: WebContext, deps: WebDeps): Promise<void> {
  const admin = adminOf(ctx);
  const opts = pageOptions(ctx.query);
  const { rows, links } = paged(await deps.app.data.listFolders(opts), opts, deps.paths.admin.folders);
  const add = hasAdminPerm(admin.permissions, 'add_users') ? html`<a class="button" href="${deps.paths.admin.folder}">Add folder</a>` : '';
  const body = html`<div class="toolbar">${add}</div><table id="folders"><thead><tr><th>Name</th><th>Path</th><th>Used quota</th><th>Users</th><th>Actions</th></tr></thead>
  <tbody>${rows.map((f) => folderRow(deps, admin.permissions, f))}</tbody></table>${links}`;
  const csrf = await pageCsrf(ctx, deps);
  sendHtml(ctx, documentHtml({ title: 'Folders', paths: deps.paths, nav: adminNav(deps.paths, admin, 'folders'), csrf }, body));
}

/** The folder fields (also the folder template's). */
export function folderFields(f: BaseVirtualFolder, mode: 'add' | 'edit' | 'template'): SafeHtml {
  const name = mode === 'edit'
    ? html`<div class="field"><label for="name">Name</label><input type="text" id="name" name="name" value="${f.name}" readonly></div>`
    : mode === 'add' ? input('Name', 'name', f.name, 'text', { required: true }) : '';
  const pathHelp = mode === 'template' ? 'Absolute path; %name% is replaced' : 'Absolute path of the folder on the server (local and encrypted storage)';
  return html`<fieldset><legend>Folder</legend>${name}${input('Path', 'mapped_path', f.mapped_path, 'text', { help: pathHelp })}
  ${input('Description', 'description', f.description)}</fieldset>${fsFields(f.filesystem)}`;
}

async function renderFolderPage(ctx: WebContext, deps: WebDeps, f: BaseVirtualFolder, mode: 'add' | 'edit', error?: string, status = 200): Promise<void> {
  const p = deps.paths.admin;
  const action = mode === 'edit' ? withName(p.folder, f.name) : p.folder;
  const form = postForm(action, await pageCsrf(ctx, deps), html`${folderFields(f, mode)}<div class="actions"><button type="submit">${mode === 'add' ? 'Add folder' : 'Save folder'}</button></div>`, { id: 'folder-form' });
  const nav = adminNav(deps.paths, adminOf(ctx), 'folders');
  sendHtml(ctx, documentHtml({ title: mode === 'add' ? 'Add folder' : `Edit folder ${f.name}`, paths: deps.paths, nav }, html`${errorBox(error)}${form}`), status);
}

/** The posted folder fields (name, path, description, storage) and form-shape problems. */
export function folderFromForm(fields: URLSearchParams): { folder: BaseVirtualFolder; reader: FormReader } {
  const reader = new FormReader(fields);
  const folder: BaseVirtualFolder = { name: reader.str('name'), mapped_path: reader.str('mapped_path'), description: reader.str('description'), filesystem: fsFromForm(reader) };
  return { folder, reader };
}

async function savePost(ctx: WebContext, deps: WebDeps, existing: BaseVirtualFolder | undefined): Promise<void> {
  const form = await readForm(ctx);
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  const { folder, reader } = folderFromForm(form.fields);
  const mode = existing ? 'edit' : 'add';
  const shown = existing ? { ...folder, name: existing.name } : folder;
  if (reader.problems.length) return renderFolderPage(ctx, deps, shown, mode, validationError(reader.problems).message, 400);
  try {
    if (existing) await deps.app.data.updateFolder(mergeFolder(existing, folder));
    else await deps.app.data.addFolder(folder);
  } catch (err) {
    return renderFolderPage(ctx, deps, shown, mode, formErrorText(err), 400);
  }
  ctx.redirect(deps.paths.admin.folders);
}

/** Folders list, add/edit forms, delete and quota scan actions. */
export function registerFolderPages(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.admin;
  const perm = requireAdminPerm;
  const name = (ctx: WebRouteContext) => ctx.params.name ?? '';
  router.get(p.folders, session, perm('view_users'), (ctx: WebRouteContext) => listPage(ctx, deps));
  router.get(p.folder, session, perm('add_users'), (ctx: WebRouteContext) => renderFolderPage(ctx, deps, { name: '' }, 'add'));
  router.post(p.folder, session, perm('add_users'), (ctx: WebRouteContext) => savePost(ctx, deps, undefined));
  router.get(`${p.folder}/:name`, session, perm('edit_users'), async (ctx: WebRouteContext) => {
    await renderFolderPage(ctx, deps, deps.app.data.redactFolder(await deps.app.data.getFolder(name(ctx))), 'edit');
  });
  router.post(`${p.folder}/:name`, session, perm('edit_users'), async (ctx: WebRouteContext) => savePost(ctx, deps, await deps.app.data.getFolder(name(ctx))));
  router.delete(`${p.folder}/:name`, session, perm('del_users'), csrfHeader(deps), async (ctx: WebRouteContext) => {
    await deps.app.data.deleteFolder(name(ctx));
    ctx.body = { message: 'Folder deleted' };
  });
  router.post(`${p.scanFolder}/:name`, session, perm('quota_scans'), csrfHeader(deps), (ctx: WebRouteContext) => startFolderScan(deps, ctx, name(ctx)));
}
