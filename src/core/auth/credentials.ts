/**
 * Credential verification: passwords (check-password hook, password cache, stored hash of any
 * supported format), public keys (wire-blob equality with authorized keys), TLS certificate
 * common name. Failures throw AuthFailed with a client-safe message.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import type { ConnectionProtocol, User } from '../../dataprovider/models.js';
import { authFailed } from '../../util/errors.js';
import type { HookDeps } from '../hooks/runner.js';
import { runCheckPasswordHook } from '../hooks/auth-hooks.js';
import { protocolFamily } from './checks.js';

const KEY_TYPE = /^(ssh-|ecdsa-|sk-|rsa-)/;

/** The key type named at the start of a wire blob (SSH string), or undefined when malformed. */
function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  return len > 0 && len <= 64 && 4 + len <= blob.length ? blob.subarray(4, 4 + len).toString('latin1') : undefined;
}

/**
 * Wire blob of an offered key: a Buffer is the blob; a string is an OpenSSH authorized_keys line
 * (options and comment allowed). The blob must name the same type as the line, as OpenSSH requires.
 */
export function keyBlob(key: string | Buffer): Buffer | undefined {
  if (Buffer.isBuffer(key)) return key;
  const tokens = key.trim().split(/\s+/);
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!KEY_TYPE.test(tokens[i]!) || !/^[A-Za-z0-9+/]+=*$/.test(tokens[i + 1]!)) continue;
    const blob = Buffer.from(tokens[i + 1]!, 'base64');
    if (blobType(blob) === tokens[i]) return blob;
  }
  return undefined;
}

/** OpenSSH SHA256 fingerprint of a key ("SHA256:" + unpadded base64), as `ssh-keygen -l` prints it. */
export function keyFingerprint(key: string | Buffer): string | undefined {
  const blob = keyBlob(key);
  if (!blob || !blobType(blob)) return undefined;
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** True when the offered key is one of the user's authorized keys. */
export function userHasKey(user: User, offered: string | Buffer): boolean {
  const blob = keyBlob(offered);
  if (!blob || blob.length === 0) return false;
  return (user.public_keys ?? []).some((k) => keyBlob(k)?.equals(blob) ?? false);
}

/** The authorized_keys form of an offered key (stored by external auth). */
export function keyText(key: string | Buffer): string {
  if (typeof key === 'string') return key.trim();
  const typeLen = key.readUInt32BE(0);
  return `${key.subarray(4, 4 + typeLen).toString('ascii')} ${key.toString('base64')}`;
}

/** Common name of a certificate subject. */
export function certCommonName(cert: X509Certificate): string {
  const m = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject);
  return m?.[1] ?? '';
}

export interface PasswordCheckDeps {
  hookDeps: HookDeps;
  checkPasswordHook: string;
  checkPasswordScope: number;
  verify(plain: string, hash: string): Promise<boolean>;
  cache?: Map<string, { hash: string; password: string }>;
}

/** check_password_scope: 1 SSH, 2 FTP, 4 DAV, 0 all; HTTP only when 0. */
function hookInScope(scope: number, protocol: ConnectionProtocol): boolean {
  if (scope === 0) return true;
  const bit = { SSH: 1, FTP: 2, DAV: 4, HTTP: 0 }[protocolFamily(protocol)];
  return (scope & bit) !== 0;
}

/** Verifies a password for `user` (§5 check_password_hook, §8.1 cache and hashes). */
export async function checkPassword(deps: PasswordCheckDeps, user: User, password: string, protocol: ConnectionProtocol, ip: string): Promise<void> {
  const bad = () => authFailed('invalid credentials');
  if (!password) throw bad();
  const hookOn = deps.checkPasswordHook && !user.filters?.hooks?.check_password_disabled && hookInScope(deps.checkPasswordScope, protocol);
  let toVerify = password;
  if (hookOn) {
    let res;
    try {
      res = await runCheckPasswordHook(deps.hookDeps, deps.checkPasswordHook, {
        username: user.username, password, ip, protocol: protocolFamily(protocol),
      });
    } catch (err) {
      throw authFailed('unable to check credentials', err);
    }
    if (res.status === 1) return;
    if (res.status !== 2) throw bad();
    toVerify = res.to_verify;
  }
  const stored = user.password ?? '';
  if (!stored) throw authFailed('credentials cannot be null or empty');
  const cached = deps.cache?.get(user.username);
  if (cached && cached.hash === stored && cached.password === toVerify) return;
  if (!(await deps.verify(toVerify, stored))) throw bad();
  // The cache is keyed by the stored hash too: a password change invalidates it by itself.
  deps.cache?.set(user.username, { hash: stored, password: toVerify });
}
