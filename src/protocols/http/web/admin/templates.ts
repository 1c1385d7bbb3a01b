/**
 * User and folder templates (manage_system, INVENTORY §3.6): the user (folder) form plus rows of
 * usernames/passwords/keys (folder names); each row fills the placeholders `%username%` and
 * `%password%` (`%name%`) and the result downloads as a dump JSON for loaddata. Nothing is
 * created. Every generated record passes the data service's validation first; passwords are
 * hashed as a dump holds them; secrets stay Plain and are sealed by the KMS at loaddata.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { DUMP_VERSION, type BaseVirtualFolder, type FilesystemConfig, type User } from '../../../../dataprovider/models.js';
import { formatBackup } from '../../../../dataprovider/dump-format.js';
import { mapSecrets } from '../../../../dataprovider/secrets.js';
import { validateUser } from '../../../../dataprovider/validate/user.js';
import { validateFolder } from '../../../../dataprovider/validate/folder-admin.js';
import { invalidInput, validationError } from '../../../../util/errors.js';
import type { ApiState } from '../../types.js';
import { postForm } from '../controls.js';
import { CSRF_FORM_FIELD } from '../csrf.js';
import { formErrorText } from '../errors.js';
import { readForm } from '../forms.js';
import { html } from '../html.js';
import { adminNav, documentHtml, errorBox, sendHtml } from '../layout.js';
import { pageCsrf, requireAdminPerm } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';
import { folderFields, folderFromForm } from './folders.js';
import { cloneSource, readUserForm, renderUserPage } from './users.js';

type Replace = (s: string | undefined) => string | undefined;

/** Replaces every key of `vars` in `s`. */
export function fillPlaceholders(s: string | undefined, vars: Record<string, string>): string | undefined {
  if (s === undefined) return s;
  return Object.entries(vars).reduce((acc, [k, v]) => acc.split(k).join(v), s);
}

/** Placeholders in key prefixes, remote usernames and plain secrets of a storage config. */
export function fillFs(fs: FilesystemConfig | undefined, r: Replace): FilesystemConfig | undefined {
  const out = mapSecrets(fs, (s) => (s?.status === 'Plain' ? { ...s, payload: r(s.payload) } : s));
  if (!out) return out;
  if (out.s3config) out.s3config = { ...out.s3config, key_prefix: r(out.s3config.key_prefix), access_key: r(out.s3config.access_key) };
  if (out.gcsconfig) out.gcsconfig = { ...out.gcsconfig, key_prefix: r(out.gcsconfig.key_prefix) };
  if (out.azblobconfig) out.azblobconfig = { ...out.azblobconfig, key_prefix: r(out.azblobconfig.key_prefix), account_name: r(out.azblobconfig.account_name) };
  if (out.sftpconfig) out.sftpconfig = { ...out.sftpconfig, prefix: r(out.sftpconfig.prefix), username: r(out.sftpconfig.username) };
  return out;
}

/** One user of the template for a row. */
export function userFromTemplate(tpl: User, row: { username: string; password: string; publicKey: string }): User {
  const vars = { '%username%': row.username };
  const password = fillPlaceholders(row.password, vars) ?? '';
  const r: Replace = (s) => fillPlaceholders(s, { ...vars, '%password%': password });
  return {
    ...tpl, username: row.username, password, public_keys: row.publicKey ? [row.publicKey] : [],
    home_dir: r(tpl.home_dir) ?? '', description: r(tpl.description), additional_info: r(tpl.additional_info),
    virtual_folders: tpl.virtual_folders?.map((vf) => ({ ...vf, name: r(vf.name) ?? '', virtual_path: r(vf.virtual_path) ?? '' })),
    filesystem: fillFs(tpl.filesystem, r),
  };
}

function sendDump(ctx: WebContext, kind: 'users' | 'folders', data: { users?: User[]; folders?: BaseVirtualFolder[] }): void {
  const count = (data.users ?? data.folders ?? []).length;
  const dump = formatBackup({ users: data.users ?? [], folders: data.folders ?? [], admins: [], version: DUMP_VERSION });
  ctx.set('Content-Disposition', `attachment; filename="sftpgo-${count}-${kind}-from-template.json"`);
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(dump, null, '  ');
}

interface TemplateRow { username: string; password: string; publicKey: string }

/** The non-empty rows of the template form. */
export function templateRows(fields: URLSearchParams): TemplateRow[] {
  const names = fields.getAll('tpl_username');
  const passwords = fields.getAll('tpl_password');
  const keys = fields.getAll('tpl_public_keys');
  return names.map((n, i) => ({ username: n.trim(), password: passwords[i] ?? '', publicKey: (keys[i] ?? '').trim() }))
    .filter((r) => r.username !== '');
}

async function generateUsers(deps: WebDeps, tpl: User, rows: TemplateRow[]): Promise<User[]> {
  if (rows.length === 0) throw invalidInput('tpl_username: set at least one username to generate');
  const { skip_natural_keys_validation: skip, users_base_dir: base } = deps.app.config.data_provider;
  const out: User[] = [];
  for (const row of rows) {
    const user = validateUser(userFromTemplate(tpl, row), { skipNaturalKeysValidation: skip, usersBaseDir: base });
    if (user.password) user.password = await deps.app.data.hashPassword(user.password);
    out.push(user);
  }
  return out;
}

async function userTemplatePost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const { user: tpl, fields, problem } = await readUserForm(ctx, deps);
  if (problem) return renderUserPage(ctx, deps, tpl, 'template', problem, 400);
  let users: User[];
  try {
    users = await generateUsers(deps, tpl, templateRows(fields));
  } catch (err) {
    return renderUserPage(ctx, deps, tpl, 'template', formErrorText(err), 400);
  }
  sendDump(ctx, 'users', { users });
}

async function userTemplatePage(ctx: WebContext, deps: WebDeps): Promise<void> {
  const from = typeof ctx.query.from === 'string' ? ctx.query.from : '';
  const base: User = from ? cloneSource(deps, await deps.app.data.getUser(from))
    : { username: '', status: 1, home_dir: '', permissions: { '/': ['*'] } };
  await renderUserPage(ctx, deps, base, 'template');
}

/** One folder of the template for a name. */
export function folderFromTemplate(tpl: BaseVirtualFolder, name: string): BaseVirtualFolder {
  const r: Replace = (s) => fillPlaceholders(s, { '%name%': name });
  return { ...tpl, name, mapped_path: r(tpl.mapped_path), description: r(tpl.description), filesystem: fillFs(tpl.filesystem, r) };
}

async function renderFolderTemplate(ctx: WebContext, deps: WebDeps, f: BaseVirtualFolder, error?: string, status = 200): Promise<void> {
  const rows = html`<fieldset><legend>Folders to generate</legend><div class="field"><label for="tpl_foldernames">Folder names</label>
  <textarea id="tpl_foldernames" name="tpl_foldernames"></textarea><div class="help">One name per line; %name% in the fields below is replaced by each.</div></div></fieldset>`;
  const form = postForm(deps.paths.admin.templateFolder, await pageCsrf(ctx, deps),
    html`${rows}${folderFields(f, 'template')}<div class="actions"><button type="submit">Generate and download</button></div>`, { id: 'folder-template-form' });
  const nav = adminNav(deps.paths, adminOf(ctx), 'folders');
  sendHtml(ctx, documentHtml({ title: 'Folder template', paths: deps.paths, nav }, html`${errorBox(error)}${form}`), status);
}

async function folderTemplatePost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const form = await readForm(ctx);
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  const { folder: tpl, reader } = folderFromForm(form.fields);
  if (reader.problems.length) return renderFolderTemplate(ctx, deps, tpl, validationError(reader.problems).message, 400);
  const names = reader.lines('tpl_foldernames');
  const skip = deps.app.config.data_provider.skip_natural_keys_validation;
  let folders: BaseVirtualFolder[];
  try {
    if (names.length === 0) throw invalidInput('tpl_foldernames: set at least one folder name to generate');
    folders = names.map((n) => validateFolder(folderFromTemplate(tpl, n), skip));
  } catch (err) {
    return renderFolderTemplate(ctx, deps, tpl, formErrorText(err), 400);
  }
  sendDump(ctx, 'folders', { folders });
}

/** User and folder templates (manage_system). */
export function registerTemplatePages(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.admin;
  const perm = requireAdminPerm('manage_system');
  router.get(p.templateUser, session, perm, (ctx: WebRouteContext) => userTemplatePage(ctx, deps));
  router.post(p.templateUser, session, perm, (ctx: WebRouteContext) => userTemplatePost(ctx, deps));
  router.get(p.templateFolder, session, perm, async (ctx: WebRouteContext) => {
    const from = typeof ctx.query.from === 'string' ? ctx.query.from : '';
    const base = from ? deps.app.data.redactFolder(await deps.app.data.getFolder(from)) : { name: '' };
    await renderFolderTemplate(ctx, deps, { ...base, name: '', filesystem: mapSecrets(base.filesystem, () => undefined) });
  });
  router.post(p.templateFolder, session, perm, (ctx: WebRouteContext) => folderTemplatePost(ctx, deps));
}
