/**
 * Credential resolution (INVENTORY §4.2 step 2): external auth hook in scope → else pre-login
 * hook → else provider lookup. Users returned by hooks are stored (upsert) through the data service.
 */
import type { Config } from '../../config/types.js';
import type { ConnectionProtocol, User } from '../../dataprovider/models.js';
import type { DataService } from '../../dataprovider/service-types.js';
import { authFailed, ErrorKind, errorKindOf, notFound } from '../../util/errors.js';
import type { HookDeps } from '../hooks/runner.js';
import { runExternalAuthHook, runPreLoginHook } from '../hooks/auth-hooks.js';
import type { Credentials } from '../types.js';
import { protocolFamily } from './checks.js';
import { certCommonName, keyText } from './credentials.js';

export type BaseMethod = 'password' | 'publickey' | 'keyboard-interactive' | 'TLSCertificate';

/** The method the hooks see for a credential (the current step of a multi-step login). */
export function baseMethod(c: Credentials): BaseMethod {
  switch (c.method) {
    case 'publickey+password': return 'password';
    case 'publickey+keyboard-interactive': return 'keyboard-interactive';
    default: return c.method;
  }
}

const SCOPE_BITS: Record<BaseMethod, number> = { password: 1, publickey: 2, 'keyboard-interactive': 4, TLSCertificate: 8 };

export interface ResolveDeps {
  config: Config;
  data: DataService;
  hookDeps: HookDeps;
}

export interface ResolveInput {
  username: string;
  protocol: ConnectionProtocol;
  credentials: Credentials;
  ip: string;
}

/** Marks "user not found" (scored score_invalid by the defender). */
export const USER_NOT_FOUND = 'user not found';

async function findUser(data: DataService, username: string): Promise<User | undefined> {
  try {
    return await data.getUser(username);
  } catch (err) {
    if (errorKindOf(err) === ErrorKind.NotFound) return undefined;
    throw err;
  }
}

/** Resolves the user to authenticate; throws NotFound(USER_NOT_FOUND) when there is none. */
export async function resolveUser(deps: ResolveDeps, inp: ResolveInput): Promise<User> {
  const dp = deps.config.data_provider;
  const method = baseMethod(inp.credentials);
  const existing = await findUser(deps.data, inp.username);
  const extScope = dp.external_auth_scope;
  if (dp.external_auth_hook && (extScope === 0 || (extScope & SCOPE_BITS[method]) !== 0) && !existing?.filters?.hooks?.external_auth_disabled) {
    return externalAuth(deps, inp, existing);
  }
  if (dp.pre_login_hook && !existing?.filters?.hooks?.pre_login_disabled) {
    return preLogin(deps, inp, existing, method);
  }
  if (!existing) throw notFound(USER_NOT_FOUND);
  return existing;
}

async function externalAuth(deps: ResolveDeps, inp: ResolveInput, existing: User | undefined): Promise<User> {
  const c = inp.credentials;
  const password = 'password' in c && c.password ? c.password : undefined;
  const publicKey = 'publicKey' in c ? keyText(c.publicKey) : undefined;
  let resp: User | undefined;
  try {
    resp = await runExternalAuthHook(deps.hookDeps, deps.config.data_provider.external_auth_hook, {
      username: inp.username, ip: inp.ip, protocol: protocolFamily(inp.protocol), user: existing, password, publicKey,
      keyboardInteractive: baseMethod(c) === 'keyboard-interactive' ? '1' : '',
      tlsCert: c.method === 'TLSCertificate' ? c.certificate.toString() : undefined,
    });
  } catch (err) {
    throw authFailed('external authentication failed', err);
  }
  if (!resp) {
    if (!existing) throw authFailed('external authentication returned no user');
    return existing;
  }
  if (!resp.username) throw authFailed('external authentication returned a user without username');
  // The credentials used are stored, so the checks below (and later logins) accept them.
  if (password) resp.password = password;
  if (publicKey && !(resp.public_keys ?? []).some((k) => k.trim() === publicKey)) {
    resp.public_keys = [...(resp.public_keys ?? []), publicKey];
  }
  return upsert(deps.data, resp);
}

async function preLogin(deps: ResolveDeps, inp: ResolveInput, existing: User | undefined, method: BaseMethod): Promise<User> {
  let resp: Partial<User> | undefined;
  try {
    resp = await runPreLoginHook(deps.hookDeps, deps.config.data_provider.pre_login_hook, {
      user: existing, username: inp.username, method, ip: inp.ip, protocol: protocolFamily(inp.protocol),
    });
  } catch (err) {
    throw authFailed('pre-login hook denied the login', err);
  }
  if (!resp) {
    if (!existing) throw notFound(USER_NOT_FOUND);
    return existing;
  }
  const merged = { ...(existing ?? {}), ...resp } as User;
  if (!merged.username) merged.username = inp.username;
  return upsert(deps.data, merged);
}

/** Adds or updates; used quota and last login are preserved by the provider on update. */
async function upsert(data: DataService, user: User): Promise<User> {
  const current = await findUser(data, user.username);
  try {
    if (!current) return await data.addUser({ ...user, id: undefined } as User);
    return await data.updateUser({ ...user, id: current.id });
  } catch (err) {
    throw authFailed('unable to save the user returned by the hook', err);
  }
}

/** TLS username check: with tls_username=CommonName the certificate CN must be the username. */
export function certMatches(user: User, c: Credentials): boolean {
  if (c.method !== 'TLSCertificate') return false;
  return user.filters?.tls_username === 'CommonName' && certCommonName(c.certificate) === user.username;
}
