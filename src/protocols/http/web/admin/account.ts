/**
 * Web admin account pages: first-admin setup (only while no admin exists; the new admin gets `*`
 * and is logged in), login and logout (form + CSRF, `jwt` cookie), and the change-password page
 * (which ends the session, as the old password's cookie no longer matches).
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { ErrorKind, invalidInput, isSftpGoError } from '../../../../util/errors.js';
import { changeAdminPassword } from '../../api/admins.js';
import { adminSignature, checkAdminCredentials } from '../../login.js';
import type { ApiState } from '../../types.js';
import { input, postForm } from '../controls.js';
import { CSRF_FORM_FIELD } from '../csrf.js';
import { formErrorText } from '../errors.js';
import { readForm, LOGIN_FORM_LIMIT, FORM_LIMIT } from '../forms.js';
import { html } from '../html.js';
import { adminNav, documentHtml, errorBox, sendHtml } from '../layout.js';
import { clearLoginCookie, pageCsrf, setLoginCookie } from '../session.js';
import { adminOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';

async function hasAdmins(deps: WebDeps): Promise<boolean> {
  return (await deps.app.provider.admins.count()) > 0;
}

async function renderLogin(ctx: WebContext, deps: WebDeps, error?: string, status = 200): Promise<void> {
  const form = postForm(deps.paths.admin.login, await pageCsrf(ctx, deps), html`
    ${input('Username', 'username', '', 'text', { required: true, autocomplete: 'username' })}
    ${input('Password', 'password', '', 'password', { required: true, autocomplete: 'current-password' })}
    <button type="submit">Login</button>`);
  sendHtml(ctx, documentHtml({ title: 'Web Admin login', paths: deps.paths, narrow: true }, html`${errorBox(error)}<div class="card">${form}</div>`), status);
}

async function renderSetup(ctx: WebContext, deps: WebDeps, username: string, error?: string): Promise<void> {
  const form = postForm(deps.paths.admin.setup, await pageCsrf(ctx, deps), html`
    ${input('Username', 'username', username, 'text', { required: true, autocomplete: 'username' })}
    ${input('Password', 'password', '', 'password', { required: true, autocomplete: 'new-password' })}
    ${input('Confirm password', 'confirm_password', '', 'password', { required: true, autocomplete: 'new-password' })}
    <button type="submit">Create admin</button>`);
  const intro = html`<p class="muted">No admin exists yet: create the first one. It gets every permission.</p>`;
  sendHtml(ctx, documentHtml({ title: 'Setup', paths: deps.paths, narrow: true }, html`${intro}${errorBox(error)}<div class="card">${form}</div>`));
}

async function loginPost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const form = await readForm(ctx, LOGIN_FORM_LIMIT);
  const username = form.fields.get('username') ?? '';
  const password = form.fields.get('password') ?? '';
  if (!username || !password) return renderLogin(ctx, deps, 'Invalid credentials');
  try {
    await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  } catch (err) {
    // A login page left open past the token's life: show the form again, still as a 403.
    return renderLogin(ctx, deps, `${formErrorText(err)}; please log in again`, 403);
  }
  try {
    const admin = await checkAdminCredentials(deps, ctx.state.ip, username, password);
    await setLoginCookie(ctx, deps, 'admin', admin.username, admin.permissions, adminSignature(admin));
    ctx.redirect(deps.paths.admin.users);
  } catch (err) {
    if (isSftpGoError(err) && err.kind === ErrorKind.AuthFailed) return renderLogin(ctx, deps, err.message);
    throw err;
  }
}

async function setupPost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const form = await readForm(ctx, LOGIN_FORM_LIMIT);
  if (await hasAdmins(deps)) throw invalidInput('an admin user already exists: setup is closed');
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  const username = (form.fields.get('username') ?? '').trim();
  const password = form.fields.get('password') ?? '';
  if (!username) return renderSetup(ctx, deps, username, 'username: please set a username');
  if (!password) return renderSetup(ctx, deps, username, 'password: please set a password');
  if (password !== (form.fields.get('confirm_password') ?? '')) return renderSetup(ctx, deps, username, 'confirm_password: the passwords do not match');
  try {
    const admin = await deps.app.data.addAdmin({ username, password, status: 1, permissions: ['*'] });
    await setLoginCookie(ctx, deps, 'admin', admin.username, admin.permissions, adminSignature(admin));
    ctx.redirect(deps.paths.admin.users);
  } catch (err) {
    return renderSetup(ctx, deps, username, formErrorText(err));
  }
}

async function renderChangePwd(ctx: WebContext, deps: WebDeps, error?: string): Promise<void> {
  const form = postForm(deps.paths.admin.changePwd, await pageCsrf(ctx, deps), html`
    ${input('Current password', 'current_password', '', 'password', { required: true, autocomplete: 'current-password' })}
    ${input('New password', 'new_password1', '', 'password', { required: true, autocomplete: 'new-password' })}
    ${input('Confirm new password', 'new_password2', '', 'password', { required: true, autocomplete: 'new-password' })}
    <button type="submit">Change password</button>`);
  const nav = adminNav(deps.paths, adminOf(ctx), 'changePwd');
  sendHtml(ctx, documentHtml({ title: 'Change password', paths: deps.paths, nav }, html`${errorBox(error)}<div class="card">${form}</div>`));
}

async function changePwdPost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const form = await readForm(ctx, FORM_LIMIT);
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  const next = form.fields.get('new_password1') ?? '';
  if (next !== (form.fields.get('new_password2') ?? '')) return renderChangePwd(ctx, deps, 'new_password2: the two passwords do not match');
  try {
    await changeAdminPassword(deps, adminOf(ctx).username, { current_password: form.fields.get('current_password') ?? '', new_password: next });
  } catch (err) {
    return renderChangePwd(ctx, deps, formErrorText(err));
  }
  logout(ctx, deps);
}

function logout(ctx: WebContext, deps: WebDeps): void {
  if (ctx.state.claims) deps.tokens.revoke(ctx.state.claims);
  clearLoginCookie(ctx, deps, 'admin');
  ctx.redirect(deps.paths.admin.login);
}

/** Setup, login, logout and change password; `session` guards the last two. */
export function registerAdminAccountRoutes(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.admin;
  router.get(p.login, async (ctx: WebRouteContext) => {
    if (!(await hasAdmins(deps))) return ctx.redirect(p.setup);
    await renderLogin(ctx, deps);
  });
  router.post(p.login, (ctx: WebRouteContext) => loginPost(ctx, deps));
  router.get(p.setup, async (ctx: WebRouteContext) => {
    if (await hasAdmins(deps)) return ctx.redirect(p.login);
    await renderSetup(ctx, deps, '');
  });
  router.post(p.setup, (ctx: WebRouteContext) => setupPost(ctx, deps));
  router.get(p.logout, session, (ctx: WebRouteContext) => logout(ctx, deps));
  router.get(p.changePwd, session, (ctx: WebRouteContext) => renderChangePwd(ctx, deps));
  router.post(p.changePwd, session, (ctx: WebRouteContext) => changePwdPost(ctx, deps));
}
