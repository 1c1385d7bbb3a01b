/**
 * Offered SSH algorithms (LIBS.md ssh2 rules): modern defaults; the `sftpd` lists replace them when
 * set. Names ssh2 cannot negotiate are dropped with a warning (SFTPGo's Go library knew a few
 * others, e.g. umac MACs), and the list is an error only when nothing usable is left.
 */
// ssh2 does not export its supported lists publicly; constants.js is stable within the pinned 1.17.
import supported from 'ssh2/lib/protocol/constants.js';
import type { SftpdConfig } from '../../config/types.js';
import { invalidInput } from '../../util/errors.js';

/** Key exchanges offered when `kex_algorithms` is empty (no SHA-1, no group exchange). */
export const DEFAULT_KEX = [
  'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
  'diffie-hellman-group14-sha256', 'diffie-hellman-group16-sha512',
];
/** Ciphers offered when `ciphers` is empty: AEAD first, then CTR. */
export const DEFAULT_CIPHERS = [
  'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr',
];
/** MACs offered when `macs` is empty (SHA-2, encrypt-then-MAC first). */
export const DEFAULT_MACS = ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512'];
/** Host key signature algorithms; `ssh-rsa` (SHA-1) is never offered. */
export const DEFAULT_HOST_KEY_ALGOS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'];

/** The lists handed to ssh2. */
export interface Algorithms {
  kex: string[];
  cipher: string[];
  hmac: string[];
  serverHostKey: string[];
  compress: string[];
}

/**
 * Group exchange is dropped even when configured: ssh2 advertises it but disconnects a client
 * that picks it (mscdex/ssh2#608).
 */
function usable(kind: string, configured: readonly string[], defaults: string[], known: string[], warn: (msg: string) => void): string[] {
  if (configured.length === 0) return defaults;
  const keep = configured.filter((n) => known.includes(n) && !n.startsWith('diffie-hellman-group-exchange-'));
  const dropped = configured.filter((n) => !keep.includes(n));
  if (dropped.length) warn(`sftpd: unsupported ${kind} algorithms ignored: ${dropped.join(', ')}`);
  if (keep.length === 0) throw invalidInput(`sftpd: no supported ${kind} algorithm in ${configured.join(', ')}`);
  return keep;
}

/** The algorithm lists for ssh2's Server from the `sftpd` config. */
export function buildAlgorithms(cfg: Pick<SftpdConfig, 'kex_algorithms' | 'ciphers' | 'macs'>, warn: (msg: string) => void = () => undefined): Algorithms {
  return {
    kex: usable('kex', cfg.kex_algorithms, DEFAULT_KEX, supported.SUPPORTED_KEX, warn),
    cipher: usable('cipher', cfg.ciphers, DEFAULT_CIPHERS, supported.SUPPORTED_CIPHER, warn),
    hmac: usable('mac', cfg.macs, DEFAULT_MACS, supported.SUPPORTED_MAC, warn),
    serverHostKey: DEFAULT_HOST_KEY_ALGOS,
    compress: ['none'],
  };
}
