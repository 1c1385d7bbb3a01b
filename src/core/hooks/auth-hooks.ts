/**
 * Login-related hooks (INVENTORY §5): post_connect, external_auth, pre_login, post_login,
 * check_password. Exact env names, query parameters and bodies as SFTPGo v2.1.2. Each returns
 * parsed data; the auth pipeline decides what to do with it.
 */
import type { User } from '../../dataprovider/models.js';
import { failure } from '../../util/errors.js';
import { isHttpHook } from './exec.js';
import { expectStatus, postJson, runProgramOk, withQuery, type HookDeps } from './runner.js';

/** User JSON for hooks: secrets hidden, id 0 for a user not yet stored. */
export function hookUserJson(user: User | undefined, username = ''): string {
  if (!user) return JSON.stringify({ id: 0, username, status: 0, home_dir: '', permissions: {} });
  const copy: User = { ...user };
  delete copy.password;
  return JSON.stringify(copy);
}

/** post_connect_hook: resolves when the hook accepts, throws otherwise. */
export async function runPostConnectHook(deps: HookDeps, hook: string, ip: string, protocol: string): Promise<void> {
  const t = deps.timeouts.postConnect;
  if (isHttpHook(hook)) {
    const url = withQuery(hook, { ip, protocol });
    expectStatus(await deps.http.request({ method: 'GET', url, retryable: true, timeoutMs: t }), hook);
    return;
  }
  await runProgramOk(hook, t, { SFTPGO_CONNECTION_IP: ip, SFTPGO_CONNECTION_PROTOCOL: protocol });
}

/** startup_hook: result ignored by the caller (errors are thrown for logging). */
export async function runStartupHook(deps: HookDeps, hook: string): Promise<void> {
  const t = deps.timeouts.startup;
  if (isHttpHook(hook)) {
    expectStatus(await deps.http.request({ method: 'GET', url: hook, retryable: true, timeoutMs: t }), hook);
    return;
  }
  await runProgramOk(hook, t, {});
}

export interface ExternalAuthInput {
  username: string;
  ip: string;
  protocol: string;
  user?: User;
  password?: string;
  publicKey?: string;
  /** "1" for keyboard-interactive logins. */
  keyboardInteractive?: string;
  /** PEM; newlines escaped as "\n" in the program env. */
  tlsCert?: string;
}

/** external_auth_hook: the user JSON returned, or undefined for an empty response (keep the existing user). */
export async function runExternalAuthHook(deps: HookDeps, hook: string, inp: ExternalAuthInput): Promise<User | undefined> {
  const t = deps.timeouts.externalAuth;
  let out: Buffer;
  if (isHttpHook(hook)) {
    const body = {
      username: inp.username, ip: inp.ip, user: inp.user ? JSON.parse(hookUserJson(inp.user)) as unknown : undefined,
      password: inp.password ?? '', public_key: inp.publicKey ?? '', protocol: inp.protocol,
      keyboard_interactive: inp.keyboardInteractive ?? '', tls_cert: inp.tlsCert ?? '',
    };
    const res = await postJson(deps, hook, body, t, false);
    expectStatus(res, hook);
    out = res.body;
  } else {
    out = await runProgramOk(hook, t, {
      SFTPGO_AUTHD_USERNAME: inp.username,
      SFTPGO_AUTHD_USER: hookUserJson(inp.user, inp.username),
      SFTPGO_AUTHD_IP: inp.ip,
      SFTPGO_AUTHD_PASSWORD: inp.password ?? '',
      SFTPGO_AUTHD_PUBLIC_KEY: inp.publicKey ?? '',
      SFTPGO_AUTHD_PROTOCOL: inp.protocol,
      SFTPGO_AUTHD_TLS_CERT: (inp.tlsCert ?? '').replace(/\n/g, '\\n'),
      SFTPGO_AUTHD_KEYBOARD_INTERACTIVE: inp.keyboardInteractive ?? '',
    });
  }
  return parseUserResponse(out, 'external auth hook');
}

/** Empty → undefined; otherwise a JSON object or Failure. */
function parseUserResponse(out: Buffer, what: string): User | undefined {
  const text = out.toString('utf8').trim();
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as User;
  } catch (err) {
    throw failure(`${what} returned an invalid user: ${(err as Error).message}`, err);
  }
}

export interface PreLoginInput {
  user: User | undefined;
  username: string;
  method: string;
  ip: string;
  protocol: string;
}

/** pre_login_hook: the (possibly partial) user JSON to merge, or undefined for no change. */
export async function runPreLoginHook(deps: HookDeps, hook: string, inp: PreLoginInput): Promise<Partial<User> | undefined> {
  const t = deps.timeouts.preLogin;
  const userJson = hookUserJson(inp.user, inp.username);
  if (isHttpHook(hook)) {
    const url = withQuery(hook, { login_method: inp.method, ip: inp.ip, protocol: inp.protocol });
    const res = await deps.http.request({
      method: 'POST', url, body: userJson, timeoutMs: t, headers: { 'Content-Type': 'application/json' }, maxBodyBytes: 1024 * 1024,
    });
    if (res.status === 204) return undefined;
    expectStatus(res, hook);
    return parseUserResponse(res.body, 'pre-login hook');
  }
  const out = await runProgramOk(hook, t, {
    SFTPGO_LOGIND_USER: userJson,
    SFTPGO_LOGIND_METHOD: inp.method,
    SFTPGO_LOGIND_IP: inp.ip,
    SFTPGO_LOGIND_PROTOCOL: inp.protocol,
  });
  return parseUserResponse(out, 'pre-login hook');
}

export interface PostLoginInput {
  user: User | undefined;
  username: string;
  method: string;
  ip: string;
  protocol: string;
  ok: boolean;
}

/** post_login_hook (retryable over HTTP); the caller logs errors and never waits on it for the login. */
export async function runPostLoginHook(deps: HookDeps, hook: string, inp: PostLoginInput): Promise<void> {
  const t = deps.timeouts.postLogin;
  const userJson = hookUserJson(inp.user, inp.username);
  const status = inp.ok ? '1' : '0';
  if (isHttpHook(hook)) {
    const url = withQuery(hook, { login_method: inp.method, ip: inp.ip, protocol: inp.protocol, status });
    const res = await deps.http.request({
      method: 'POST', url, body: userJson, retryable: true, timeoutMs: t, headers: { 'Content-Type': 'application/json' },
    });
    expectStatus(res, hook);
    return;
  }
  await runProgramOk(hook, t, {
    SFTPGO_LOGIND_USER: userJson,
    SFTPGO_LOGIND_IP: inp.ip,
    SFTPGO_LOGIND_METHOD: inp.method,
    SFTPGO_LOGIND_STATUS: status,
    SFTPGO_LOGIND_PROTOCOL: inp.protocol,
  });
}

export interface CheckPasswordResult {
  /** 1 accept, 2 verify `to_verify` against the stored hash, anything else reject. */
  status: number;
  to_verify: string;
}

/** check_password_hook. Throws Failure on any hook error (the caller reports "unable to check credentials"). */
export async function runCheckPasswordHook(
  deps: HookDeps, hook: string, inp: { username: string; password: string; ip: string; protocol: string },
): Promise<CheckPasswordResult> {
  const t = deps.timeouts.checkPassword;
  let out: Buffer;
  if (isHttpHook(hook)) {
    const res = await postJson(deps, hook, inp, t, false);
    expectStatus(res, hook);
    out = res.body;
  } else {
    out = await runProgramOk(hook, t, {
      SFTPGO_AUTHD_USERNAME: inp.username,
      SFTPGO_AUTHD_PASSWORD: inp.password,
      SFTPGO_AUTHD_IP: inp.ip,
      SFTPGO_AUTHD_PROTOCOL: inp.protocol,
    });
  }
  try {
    const v = JSON.parse(out.toString('utf8')) as Partial<CheckPasswordResult>;
    return { status: Number(v.status ?? 0), to_verify: typeof v.to_verify === 'string' ? v.to_verify : '' };
  } catch (err) {
    throw failure('check password hook returned invalid JSON', err);
  }
}
