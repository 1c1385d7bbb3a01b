/**
 * Login checks shared by the REST API token endpoints and the web UI login forms, so both apply
 * the same rules (INVENTORY §3.6, §8.2): admins are checked for status, allow list and password
 * (failures not scored by the defender, v2.1.2 quirk #10); users go through the core login
 * pipeline for protocol HTTP. Also the account signatures tokens carry in `sub`.
 */
import type { Admin, User } from '../../dataprovider/models.js';
import { authFailed, permissionDenied } from '../../util/errors.js';
import { ipInList } from './ip.js';
import { accountSignature } from './tokens.js';
import type { ApiDeps } from './types.js';

/** Signature of an admin: changes when the password does. */
export function adminSignature(admin: Admin): string {
  return accountSignature(admin.username, admin.password ?? '');
}

/** Signature of a user: changes with the password, the status or the expiration. */
export function userSignature(user: User): string {
  return accountSignature(`${user.username}_${user.status}_${user.expiration_date ?? 0}`, user.password ?? '');
}

/** True when the admin is enabled and `ip` is inside its allow list (when it has one). */
export function adminMayConnect(admin: Admin, ip: string): boolean {
  const allow = admin.filters?.allow_list ?? [];
  return admin.status === 1 && (allow.length === 0 || ipInList(ip, allow));
}

/**
 * Admin login, in SFTPGo's order: enabled and client IP inside allow_list (when set), then the
 * password. Any failure is AuthFailed (v2.1.2 answers 401 for an IP outside the allow list too).
 */
export async function checkAdminCredentials(deps: ApiDeps, ip: string, username: string, password: string): Promise<Admin> {
  let admin: Admin;
  try {
    admin = await deps.app.data.getAdmin(username);
  } catch (err) {
    throw authFailed('invalid credentials', err);
  }
  if (admin.status !== 1) throw authFailed('invalid credentials');
  if (!adminMayConnect(admin, ip)) throw authFailed(`login from IP ${ip} not allowed`);
  if (!admin.password || !password || !(await deps.app.data.verifyPassword(password, admin.password))) {
    throw authFailed('invalid credentials');
  }
  return admin;
}

/**
 * User password login through the core pipeline: the post-connect hook (the request itself already
 * passed the gate's limits, ban and rate limiters in `connectionCheck`), then defender, status,
 * credentials and the per-login rules. As SFTPGo: a failure of the status or the credentials is
 * AuthFailed "invalid credentials"; a rule that refuses a user who gave the right password
 * (protocol HTTP denied, login method, source IP, sessions) is PermissionDenied with its reason.
 */
export async function loginHttpUser(deps: ApiDeps, remote: { ip: string; port: number }, username: string, password: string): Promise<User> {
  await deps.app.core.gate.postConnect(remote.ip, 'HTTP');
  try {
    const { user } = await deps.app.core.auth.login({
      protocol: 'HTTP', username, credentials: { method: 'password', password }, remote,
    });
    return user;
  } catch (err) {
    if (await refusedByRule(deps, username, password)) throw permissionDenied(err instanceof Error ? err.message : String(err));
    throw authFailed('invalid credentials', err);
  }
}

/** After a failed login: true when the account is usable and the password right, so a rule refused it. */
async function refusedByRule(deps: ApiDeps, username: string, password: string): Promise<boolean> {
  const user = await deps.app.data.getUser(username).catch(() => undefined);
  if (!user?.password || !password || user.status !== 1) return false;
  if (user.expiration_date && user.expiration_date > 0 && user.expiration_date < Date.now()) return false;
  return deps.app.data.verifyPassword(password, user.password);
}
