/**
 * Web client account pages: login (the same checks as a user API token: core login pipeline for
 * protocol HTTP, defender, filters), logout, and Credentials: change password (ends the session)
 * and manage public keys unless the user has `publickey-change-disabled`.
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { User } from '../../../../dataprovider/models.js';
import { permissionDenied } from '../../../../util/errors.js';
import { canChangePublicKeys, changeUserPassword, setUserPublicKeys } from '../../api/user-api.js';
import { toApiError } from '../../errors.js';
import { loginHttpUser, userSignature } from '../../login.js';
import type { ApiState } from '../../types.js';
import { input, postForm, textarea } from '../controls.js';
import { CSRF_FORM_FIELD } from '../csrf.js';
import { formErrorText } from '../errors.js';
import { FormReader, readForm, LOGIN_FORM_LIMIT } from '../forms.js';
import { html } from '../html.js';
import { clientNav, documentHtml, errorBox, okBox, sendHtml } from '../layout.js';
import { clearLoginCookie, pageCsrf, setLoginCookie } from '../session.js';
import { clientUserOf, type WebContext, type WebDeps, type WebRouteContext } from '../types.js';

async function renderLogin(ctx: WebContext, deps: WebDeps, error?: string, status = 200): Promise<void> {
  const form = postForm(deps.paths.client.login, await pageCsrf(ctx, deps), html`
    ${input('Username', 'username', '', 'text', { required: true, autocomplete: 'username' })}
    ${input('Password', 'password', '', 'password', { required: true, autocomplete: 'current-password' })}
    <button type="submit">Login</button>`);
  sendHtml(ctx, documentHtml({ title: 'Web Client login', paths: deps.paths, narrow: true }, html`${errorBox(error)}<div class="card">${form}</div>`), status);
}

async function loginPost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const form = await readForm(ctx, LOGIN_FORM_LIMIT);
  const username = form.fields.get('username') ?? '';
  const password = form.fields.get('password') ?? '';
  if (!username || !password) return renderLogin(ctx, deps, 'Invalid credentials');
  try {
    await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  } catch (err) {
    return renderLogin(ctx, deps, `${formErrorText(err)}; please log in again`, 403);
  }
  let user: User;
  try {
    user = await loginHttpUser(deps, { ip: ctx.state.ip, port: ctx.req.socket.remotePort ?? 0 }, username, password);
  } catch (err) {
    const { status } = toApiError(err);
    return renderLogin(ctx, deps, status === 401 ? 'Invalid credentials' : formErrorText(err), status >= 500 ? 500 : 200);
  }
  await setLoginCookie(ctx, deps, 'client', user.username, user.filters?.web_client ?? [], userSignature(user));
  ctx.redirect(deps.paths.client.files);
}

async function credentialsPage(ctx: WebContext, deps: WebDeps, msg: { error?: string; ok?: string } = {}, status = 200): Promise<void> {
  const user = clientUserOf(ctx);
  const csrf = await pageCsrf(ctx, deps);
  const pwd = postForm(deps.paths.client.changePwd, csrf, html`
    ${input('Current password', 'current_password', '', 'password', { required: true, autocomplete: 'current-password' })}
    ${input('New password', 'new_password1', '', 'password', { required: true, autocomplete: 'new-password' })}
    ${input('Confirm new password', 'new_password2', '', 'password', { required: true, autocomplete: 'new-password' })}
    <button type="submit">Change password</button>`, { id: 'password-form' });
  const keys = canChangePublicKeys(user)
    ? postForm(deps.paths.client.manageKeys, csrf, html`${textarea('Public keys', 'public_keys', (user.public_keys ?? []).join('\n'), { help: 'One OpenSSH public key per line' })}
      <button type="submit">Save public keys</button>`, { id: 'keys-form' })
    : html`<p class="muted">Your account does not allow changing public keys.</p>`;
  const body = html`${errorBox(msg.error)}${okBox(msg.ok)}<div class="card"><h2>Password</h2>${pwd}</div><div class="card"><h2>Public keys</h2>${keys}</div>`;
  sendHtml(ctx, documentHtml({ title: 'Credentials', paths: deps.paths, nav: clientNav(deps.paths, user.username, 'credentials') }, body), status);
}

async function changePwdPost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const form = await readForm(ctx);
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  const next = form.fields.get('new_password1') ?? '';
  if (next !== (form.fields.get('new_password2') ?? '')) return credentialsPage(ctx, deps, { error: 'new_password2: the two passwords do not match' }, 400);
  try {
    await changeUserPassword(deps, clientUserOf(ctx), { current_password: form.fields.get('current_password') ?? '', new_password: next });
  } catch (err) {
    return credentialsPage(ctx, deps, { error: formErrorText(err) }, 400);
  }
  logout(ctx, deps);
}

async function manageKeysPost(ctx: WebContext, deps: WebDeps): Promise<void> {
  const user = clientUserOf(ctx);
  if (!canChangePublicKeys(user)) throw permissionDenied('you are not allowed to change your public keys');
  const form = await readForm(ctx);
  await deps.csrf.verify(form.fields.get(CSRF_FORM_FIELD) ?? undefined, ctx.state.ip);
  const keys = new FormReader(form.fields).lines('public_keys');
  try {
    await setUserPublicKeys(deps, user, keys);
  } catch (err) {
    return credentialsPage(ctx, deps, { error: formErrorText(err) }, 400);
  }
  ctx.state.user = await deps.app.data.getUser(user.username);
  await credentialsPage(ctx, deps, { ok: 'Public keys updated' });
}

function logout(ctx: WebContext, deps: WebDeps): void {
  if (ctx.state.claims) deps.tokens.revoke(ctx.state.claims);
  clearLoginCookie(ctx, deps, 'client');
  ctx.redirect(deps.paths.client.login);
}

/** Login, logout and the credentials page with its two forms; `session` guards all but login. */
export function registerClientAccountRoutes(router: Router<ApiState>, deps: WebDeps, session: Middleware<ApiState>): void {
  const p = deps.paths.client;
  router.get(p.login, (ctx: WebRouteContext) => renderLogin(ctx, deps));
  router.post(p.login, (ctx: WebRouteContext) => loginPost(ctx, deps));
  router.get(p.logout, session, (ctx: WebRouteContext) => logout(ctx, deps));
  router.get(p.credentials, session, (ctx: WebRouteContext) => credentialsPage(ctx, deps));
  router.post(p.changePwd, session, (ctx: WebRouteContext) => changePwdPost(ctx, deps));
  router.post(p.manageKeys, session, (ctx: WebRouteContext) => manageKeysPost(ctx, deps));
}
