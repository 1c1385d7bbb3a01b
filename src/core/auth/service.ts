/**
 * The login pipeline (INVENTORY §4.2, §3.1): ban check, user resolution (external auth / pre-login
 * / provider), status and expiration, credential check, per-login rules, max_sessions, fs roots,
 * last_login, then metrics, the failed-login log line, defender events and the post-login hook.
 */
import type { X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../config/types.js';
import type { ConnectionProtocol, LoginMethod, User } from '../../dataprovider/models.js';
import type { DataProvider } from '../../dataprovider/types.js';
import type { DataService } from '../../dataprovider/service-types.js';
import { authFailed, ErrorKind, errorKindOf, isSftpGoError } from '../../util/errors.js';
import type { HookDeps } from '../hooks/runner.js';
import { runKeyboardInteractiveHook } from '../hooks/kbdint.js';
import { runPostLoginHook } from '../hooks/auth-hooks.js';
import type {
  AuthService, Credentials, Defender, KeyboardInteractiveIO, LoginRequest, LoginResult, Metrics, RemoteInfo,
} from '../types.js';
import { checkHome, checkIp, checkLoginMethod, checkProtocol, checkStatus, secondFactors } from './checks.js';
import { checkPassword, userHasKey, type PasswordCheckDeps } from './credentials.js';
import { certMatches, resolveUser, USER_NOT_FOUND } from './resolve.js';

const LAST_LOGIN_INTERVAL = 10 * 60_000;

export interface AuthDeps {
  config: Config;
  logger: Logger;
  provider: DataProvider;
  data: DataService;
  defender: Defender;
  metrics: Metrics;
  hookDeps: HookDeps;
  /** Active sessions of a user on this node (max_sessions). */
  countUser(username: string): number;
  /** Creates the user's fs roots (skipped by the callee when disable_fs_checks). */
  ensureRoots(user: User): Promise<void>;
  now?: () => number;
}

/** Login method name of a credential. */
export function loginMethodOf(c: Credentials): LoginMethod {
  if (c.method === 'TLSCertificate') return c.password ? 'TLSCertificate+password' : 'TLSCertificate';
  return c.method;
}

export class AuthServiceImpl implements AuthService {
  private readonly now: () => number;
  private readonly pwd: PasswordCheckDeps;

  constructor(private readonly deps: AuthDeps) {
    this.now = deps.now ?? Date.now;
    const dp = deps.config.data_provider;
    this.pwd = {
      hookDeps: deps.hookDeps,
      checkPasswordHook: dp.check_password_hook,
      checkPasswordScope: dp.check_password_scope,
      verify: (plain, hash) => deps.data.verifyPassword(plain, hash),
      cache: dp.password_caching ? new Map() : undefined,
    };
  }

  async login(req: LoginRequest): Promise<LoginResult> {
    let method = loginMethodOf(req.credentials);
    this.deps.metrics.loginAttempt(method);
    let user: User | undefined;
    try {
      // The gate admitted (and charged) this client already: re-checking must not extend the ban.
      if (this.deps.defender.isBanned(req.remote.ip, { extend: false })) throw authFailed('host is banned');
      user = await resolveUser(this.deps, { username: req.username, protocol: req.protocol, credentials: req.credentials, ip: req.remote.ip });
      // A client certificate that is not the login identity (tls_username None) makes it a password login.
      if (req.credentials.method === 'TLSCertificate' && req.credentials.password && !certMatches(user, req.credentials)) method = 'password';
      await this.verify(user, req, method);
      await this.afterAuth(user);
    } catch (err) {
      this.failed(req, method, user, err);
      throw isSftpGoError(err) && err.kind === ErrorKind.AuthFailed ? err : authFailed(clientMessage(err), err);
    }
    this.deps.metrics.loginResult(method, true);
    this.postLogin(user, req.username, method, req.remote, req.protocol, true);
    return { user, loginMethod: method };
  }

  /** Status, credentials, then the per-login rules in §3.1 order. */
  private async verify(user: User, req: LoginRequest, method: LoginMethod): Promise<void> {
    checkStatus(user, this.now());
    await this.checkCredentials(user, req);
    checkHome(user);
    checkProtocol(user, req.protocol);
    const max = user.max_sessions ?? 0;
    if (max > 0 && this.deps.countUser(user.username) >= max) {
      throw authFailed(`too many open sessions: ${max}`);
    }
    checkLoginMethod(user, method);
    checkIp(user, req.remote.ip);
  }

  private async checkCredentials(user: User, req: LoginRequest): Promise<void> {
    const c = req.credentials;
    const ip = req.remote.ip;
    switch (c.method) {
      case 'password':
        return checkPassword(this.pwd, user, c.password, req.protocol, ip);
      case 'publickey':
        if (!c.certificate && !userHasKey(user, c.publicKey)) throw authFailed('invalid credentials');
        return;
      case 'keyboard-interactive':
        return this.kbdInt(user, c.answers, ip, req.protocol);
      case 'publickey+password':
        if (!c.certificate && !userHasKey(user, c.publicKey)) throw authFailed('invalid credentials');
        return checkPassword(this.pwd, user, c.password, req.protocol, ip);
      case 'publickey+keyboard-interactive':
        if (!c.certificate && !userHasKey(user, c.publicKey)) throw authFailed('invalid credentials');
        return this.kbdInt(user, c.answers, ip, req.protocol);
      case 'TLSCertificate':
        if (!certMatches(user, c)) {
          if (user.filters?.tls_username === 'CommonName') throw authFailed('TLS certificate does not match the username');
          if (!c.password) throw authFailed('TLS certificate login is not enabled for this user');
        }
        if (c.password) return checkPassword(this.pwd, user, c.password, req.protocol, ip);
        return;
    }
  }

  private async kbdInt(user: User, io: KeyboardInteractiveIO, ip: string, protocol: ConnectionProtocol): Promise<void> {
    const hook = this.deps.config.sftpd.keyboard_interactive_auth_hook;
    if (!hook) throw authFailed('keyboard interactive authentication is not enabled');
    await runKeyboardInteractiveHook(this.deps.hookDeps, hook, {
      username: user.username, ip, passwordHash: user.password ?? '', io,
      verifyPassword: (plain) => checkPassword(this.pwd, user, plain, protocol, ip).then(() => true, () => false),
    });
  }

  /** fs roots and last_login (at most once every 10 minutes). */
  private async afterAuth(user: User): Promise<void> {
    try {
      await this.deps.ensureRoots(user);
    } catch (err) {
      throw authFailed('unable to create the user home directory', err);
    }
    const now = this.now();
    if (now - (user.last_login ?? 0) > LAST_LOGIN_INTERVAL) {
      await this.deps.provider.users.updateLastLogin(user.username, now).catch((err: unknown) => {
        this.deps.logger.warn({ sender: 'auth', username: user.username, err }, 'unable to update last login');
      });
    }
  }

  private failed(req: LoginRequest, method: LoginMethod, user: User | undefined, err: unknown): void {
    const ip = req.remote.ip;
    const notFoundUser = errorKindOf(err) === ErrorKind.NotFound && (err as Error).message === USER_NOT_FOUND;
    this.deps.defender.addEvent(ip, notFoundUser ? 'user_not_found' : 'login_failed');
    this.deps.metrics.loginResult(method, false);
    const reason = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
    this.deps.logger.info({
      sender: 'connection_failed', username: req.username, client_ip: ip, protocol: req.protocol, login_type: method, error: reason,
    }, 'login failed');
    this.postLogin(user, req.username, method, req.remote, req.protocol, false);
  }

  /** post_login_hook per post_login_scope (0 both, 1 failed only, 2 successful only); never awaited. */
  private postLogin(user: User | undefined, username: string, method: string, remote: RemoteInfo, protocol: ConnectionProtocol, ok: boolean): void {
    const dp = this.deps.config.data_provider;
    if (!dp.post_login_hook) return;
    if ((dp.post_login_scope === 1 && ok) || (dp.post_login_scope === 2 && !ok)) return;
    const fam = protocol === 'SFTP' || protocol === 'SCP' ? 'SSH' : protocol;
    runPostLoginHook(this.deps.hookDeps, dp.post_login_hook, { user, username, method, ip: remote.ip, protocol: fam, ok })
      .catch((err: unknown) => this.deps.logger.warn({ sender: 'auth', username, err }, 'post-login hook failed'));
  }

  async checkPublicKey(protocol: ConnectionProtocol, username: string, publicKey: string | Buffer, remote: RemoteInfo): Promise<boolean> {
    if (this.deps.defender.isBanned(remote.ip, { extend: false })) return false;
    try {
      const user = await resolveUser(this.deps, { username, protocol, credentials: { method: 'publickey', publicKey }, ip: remote.ip });
      if (!userHasKey(user, publicKey) || user.status !== 1) return false;
      const denied = user.filters?.denied_login_methods ?? [];
      return !denied.includes('publickey') || secondFactors(user) !== null;
    } catch {
      return false;
    }
  }

  async checkTlsCertificate(protocol: ConnectionProtocol, username: string, certificate: X509Certificate, remote: RemoteInfo): Promise<boolean> {
    if (this.deps.defender.isBanned(remote.ip)) return false;
    const credentials: Credentials = { method: 'TLSCertificate', certificate };
    try {
      const user = await resolveUser(this.deps, { username, protocol, credentials, ip: remote.ip });
      if (user.status !== 1 || !certMatches(user, credentials)) return false;
      return !(user.filters?.denied_login_methods ?? []).includes('TLSCertificate');
    } catch {
      return false;
    }
  }

  requiresSecondFactor(user: User): { password: boolean; keyboardInteractive: boolean } | null {
    return secondFactors(user);
  }

  async secondFactorFor(protocol: ConnectionProtocol, username: string, publicKey: string | Buffer, remote: RemoteInfo):
    Promise<{ password: boolean; keyboardInteractive: boolean } | null> {
    try {
      const user = await resolveUser(this.deps, { username, protocol, credentials: { method: 'publickey', publicKey }, ip: remote.ip });
      return userHasKey(user, publicKey) ? secondFactors(user) : null;
    } catch {
      return null;
    }
  }

  async loginAuthenticated(protocol: ConnectionProtocol, username: string): Promise<User> {
    const user = await this.deps.data.getUser(username);
    checkStatus(user, this.now());
    checkHome(user);
    checkProtocol(user, protocol);
    await this.afterAuth(user);
    return user;
  }

  noAuthAttempt(protocol: ConnectionProtocol, remote: RemoteInfo): void {
    this.deps.defender.addEvent(remote.ip, 'no_login_tried');
    this.deps.metrics.loginAttempt('no_auth');
    this.deps.metrics.loginResult('no_auth', false);
    this.deps.logger.info({
      sender: 'connection_failed', username: '', client_ip: remote.ip, protocol, login_type: 'no_auth_tryed', error: 'no auth attempt',
    }, 'connection closed without authentication');
    this.postLogin(undefined, '', 'no_auth_tryed', remote, protocol, false);
  }
}

/** Client-safe text for a non-auth error raised during login. */
function clientMessage(err: unknown): string {
  return errorKindOf(err) === ErrorKind.NotFound ? 'invalid credentials' : 'authentication failed';
}
