/**
 * `sftpconfig` (INVENTORY §7.6), validated once per backend: endpoint `host:port` (IPv6 in
 * brackets), username, password and/or private key (already opened by the registry), SHA256 host
 * key fingerprints, prefix (the remote chroot, cleaned, default "/"), disable_concurrent_reads and
 * buffer_size (MB, 0..16).
 */
import path from 'node:path';
import { validationError, type FieldProblem } from '../../util/errors.js';
import { PrivateKeyError, toSsh2PrivateKey } from '../../util/ssh-private-key.js';

export const MAX_BUFFER_SIZE_MB = 16;

/**
 * Loop protection inputs (INVENTORY §7.6): this server's own host key fingerprints and the
 * usernames the remote login must not use (the user itself, and the remote user when it also
 * uses SFTP storage). Given by whoever builds the backend (not part of `sftpconfig`); absent means
 * no check.
 */
export interface SftpLoopGuard {
  hostFingerprints: readonly string[];
  forbiddenUsernames: readonly string[];
}

/** The validated configuration. */
export interface SftpBackendConfig {
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  fingerprints: readonly string[];
  prefix: string;
  disableConcurrentReads: boolean;
  /** Bytes; 0 = unbuffered. */
  bufferSize: number;
  loopGuard?: SftpLoopGuard;
}

interface RawConfig {
  endpoint?: unknown;
  username?: unknown;
  password?: unknown;
  private_key?: unknown;
  fingerprints?: unknown;
  prefix?: unknown;
  disable_concurrent_reads?: unknown;
  buffer_size?: unknown;
}

/** Parses the block; every problem is listed in one InvalidInput error. */
export function parseSftpConfig(raw: unknown, loopGuard?: SftpLoopGuard): SftpBackendConfig {
  const c = (raw ?? {}) as RawConfig;
  const problems: FieldProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ field: `sftpconfig.${field}`, message });
  const endpoint = splitEndpoint(str(c.endpoint));
  if (!endpoint) bad('endpoint', 'must be host:port');
  const username = str(c.username);
  if (!username) bad('username', 'is required');
  const password = str(c.password) || undefined;
  const privateKey = sshKey(str(c.private_key), bad);
  if (!password && !privateKey && !str(c.private_key)) bad('password', 'a password or a private key is required');
  const fingerprints = Array.isArray(c.fingerprints) ? c.fingerprints.filter((f): f is string => typeof f === 'string' && f !== '') : [];
  const bufferMb = c.buffer_size === undefined ? 0 : Number(c.buffer_size);
  if (!Number.isInteger(bufferMb) || bufferMb < 0 || bufferMb > MAX_BUFFER_SIZE_MB) bad('buffer_size', `must be an integer between 0 and ${MAX_BUFFER_SIZE_MB}`);
  const prefix = cleanPrefix(str(c.prefix));
  if (prefix === undefined) bad('prefix', 'must not contain NUL bytes');
  if (problems.length > 0) throw validationError(problems);
  return {
    host: endpoint!.host, port: endpoint!.port, username, password, privateKey, fingerprints, prefix: prefix!,
    disableConcurrentReads: c.disable_concurrent_reads === true, bufferSize: bufferMb * 1024 * 1024,
    loopGuard,
  };
}

/** The key in a form ssh2 reads (PKCS#8 PEM converted), or undefined when empty. */
function sshKey(key: string, bad: (field: string, message: string) => void): string | undefined {
  if (!key) return undefined;
  try {
    return toSsh2PrivateKey(key, 'private key').toString();
  } catch (err) {
    if (!(err instanceof PrivateKeyError)) throw err;
    bad('private_key', err.message);
    return undefined;
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** `host:port` or `[v6]:port`. */
export function splitEndpoint(endpoint: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(endpoint);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1] ?? m[2]!, port };
}

/** "/" for empty; an absolute, cleaned path without trailing slash otherwise. */
function cleanPrefix(p: string): string | undefined {
  if (p.includes('\0')) return undefined;
  const clean = path.posix.normalize(`/${p}`);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}
