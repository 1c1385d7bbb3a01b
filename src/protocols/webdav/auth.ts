/**
 * Who sends a request (INVENTORY §3.5): HTTP Basic (realm "SFTPGo WebDAV") and, on bindings with
 * client_auth_type > 0, the TLS client certificate (its CN is the username when no Basic header
 * comes with it). A login goes through the core pipeline (defender, hooks, checks); a repeat of a
 * cached login skips the expensive part but still passes the per-login checks.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { LoginMethod, User } from '../../dataprovider/models.js';
import type { Credentials, RemoteInfo } from '../../core/types.js';
import { checkHome, checkIp, checkLoginMethod, checkProtocol, checkStatus } from '../../core/auth/checks.js';
import { certCommonName } from '../../core/auth/credentials.js';
import { ErrorKind, errorKindOf } from '../../util/errors.js';
import { DavError } from './status-map.js';
import { recordFingerprint, secretDigest } from './user-cache.js';
import type { DavDeps } from './types.js';

/** Basic auth realm, as SFTPGo announces it. */
export const REALM = 'SFTPGo WebDAV';

/** Username and password of an HTTP Basic header. */
export interface BasicCredentials {
  username: string;
  password: string;
}

/** Parses `Authorization: Basic ...`; undefined when absent or another scheme, 401 when malformed. */
export function parseBasic(header: string | undefined): BasicCredentials | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) throw new DavError(401, 'malformed Basic credentials');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The verified client certificate of a TLS request, when the binding asks for one. */
export function clientCertificate(req: IncomingMessage, clientAuthType: number): X509Certificate | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (clientAuthType <= 0 || typeof socket.getPeerX509Certificate !== 'function') return undefined;
  const cert = socket.getPeerX509Certificate();
  if (!cert) return undefined;
  // client_auth_type 2 asks for a certificate without requiring one: a bad one is still refused.
  if (!socket.authorized) throw new DavError(401, 'client certificate not trusted');
  return cert;
}

/** The logged-in user of a request and how they proved it. */
export interface Authenticated {
  user: User;
  method: LoginMethod;
}

/** Authenticates a request or throws 401 (AuthFailed / DavError). */
export async function authenticate(deps: DavDeps, req: IncomingMessage, clientAuthType: number, remote: RemoteInfo): Promise<Authenticated> {
  const basic = parseBasic(req.headers.authorization);
  const cert = clientCertificate(req, clientAuthType);
  // No credentials at all is the client's first probe (neon, Windows): asked to authenticate, not
  // scored as a failed login (SFTPGo 2.2 behaviour; v2.1.2 scored it and banned busy clients).
  if (!basic && !cert) throw new DavError(401, 'authentication required');
  const username = basic?.username ?? certCommonName(cert!);
  const credentials: Credentials = cert
    ? { method: 'TLSCertificate', certificate: cert, ...(basic ? { password: basic.password } : {}) }
    : { method: 'password', password: basic!.password };
  const secret = secretDigest(basic?.password, cert?.fingerprint256);
  const cached = deps.users.lookup(username, secret);
  if (cached) {
    const hit = await fromCache(deps, username, cached.user, cached.method, cached.record, remote);
    if (hit) return hit;
    deps.users.delete(username);
  }
  const result = await deps.app.core.auth.login({ protocol: 'DAV', username, credentials, remote });
  const stored = await deps.app.provider.users.get(username).catch(() => undefined);
  if (stored) deps.users.put(username, { user: result.user, method: result.loginMethod, secret, record: recordFingerprint(stored) });
  return { user: result.user, method: result.loginMethod };
}

/**
 * A cached login is reused when the stored record did not change; the per-login rules run again
 * (status, expiration, protocol, method, source IP) since they depend on time and address; when
 * one fails the caller runs the full login, which refuses and reports it.
 */
async function fromCache(
  deps: DavDeps, username: string, user: User, method: LoginMethod, record: string, remote: RemoteInfo,
): Promise<Authenticated | undefined> {
  let stored: User;
  try {
    stored = await deps.app.provider.users.get(username);
  } catch (err) {
    if (errorKindOf(err) === ErrorKind.NotFound) return undefined;
    throw err;
  }
  if (recordFingerprint(stored) !== record || deps.app.core.defender.isBanned(remote.ip)) return undefined;
  try {
    checkStatus(user, Date.now());
    checkHome(user);
    checkProtocol(user, 'DAV');
    checkLoginMethod(user, method);
    checkIp(user, remote.ip);
  } catch {
    // The full login refuses it again, with the failed-login log line and defender event.
    return undefined;
  }
  return { user: { ...user, used_quota_size: stored.used_quota_size, used_quota_files: stored.used_quota_files }, method };
}
