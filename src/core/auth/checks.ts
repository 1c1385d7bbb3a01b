/**
 * Per-login rules on a resolved user (INVENTORY §3.1, §4.12): status, expiration, absolute home,
 * denied protocols, login methods (multi-step aware), source IP filters. Each failure throws
 * AuthFailed with a client-safe message.
 */
import { isAbsolute } from 'node:path';
import type { ConnectionProtocol, LoginMethod, SupportedProtocol, User } from '../../dataprovider/models.js';
import { authFailed } from '../../util/errors.js';
import { inRange, parseCidr, parseIp } from '../defender/iplist.js';

/** Protocol family a connection protocol belongs to (SFTP/SCP/SSH → SSH). */
export function protocolFamily(p: ConnectionProtocol): SupportedProtocol {
  return p === 'SFTP' || p === 'SCP' || p === 'SSH' ? 'SSH' : p;
}

export function checkStatus(user: User, now: number): void {
  if (user.status !== 1) throw authFailed(`user ${JSON.stringify(user.username)} is disabled`);
  if (user.expiration_date && user.expiration_date > 0 && user.expiration_date < now) {
    throw authFailed(`user ${JSON.stringify(user.username)} is expired`);
  }
}

export function checkHome(user: User): void {
  if (!isAbsolute(user.home_dir)) throw authFailed('cannot login user with invalid home dir');
}

export function checkProtocol(user: User, protocol: ConnectionProtocol): void {
  const fam = protocolFamily(protocol);
  if (user.filters?.denied_protocols?.includes(fam)) throw authFailed(`protocol ${fam} is not allowed for this user`);
}

export function checkLoginMethod(user: User, method: LoginMethod): void {
  if (user.filters?.denied_login_methods?.includes(method)) {
    throw authFailed(`login method ${method} is not allowed for this user`);
  }
}

/**
 * §4.12: denied evaluated first; with allowed non-empty the IP must be in it; an unparsable CIDR
 * denies; an unparsable client IP is allowed.
 */
export function isIpAllowed(user: User, ip: string): boolean {
  const addr = parseIp(ip);
  if (!addr) return true;
  const matches = (cidrs: string[]) => cidrs.some((c) => {
    const r = parseCidr(c);
    return r === undefined ? 'invalid' : inRange(addr, r);
  });
  const denied = user.filters?.denied_ip ?? [];
  const allowed = user.filters?.allowed_ip ?? [];
  if (denied.some((c) => parseCidr(c) === undefined) || allowed.some((c) => parseCidr(c) === undefined)) return false;
  if (denied.length && matches(denied)) return false;
  if (allowed.length) return matches(allowed);
  return true;
}

export function checkIp(user: User, ip: string): void {
  if (!isIpAllowed(user, ip)) throw authFailed(`login from IP ${ip} is not allowed for this user`);
}

const SSH_METHODS: LoginMethod[] = ['publickey', 'password', 'keyboard-interactive', 'publickey+password', 'publickey+keyboard-interactive'];

/**
 * When every SSH method the user may use is multi-step, a valid key only gives partial success:
 * returns which second factors are allowed; null when a single step is enough.
 */
export function secondFactors(user: User): { password: boolean; keyboardInteractive: boolean } | null {
  const denied = user.filters?.denied_login_methods ?? [];
  const allowed = SSH_METHODS.filter((m) => !denied.includes(m));
  if (!allowed.length || allowed.some((m) => !m.includes('+'))) return null;
  return { password: allowed.includes('publickey+password'), keyboardInteractive: allowed.includes('publickey+keyboard-interactive') };
}
