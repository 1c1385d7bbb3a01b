/** Offered SSH algorithms: modern defaults, config lists override (LIBS.md ssh2 rules). */
import type { SftpdConfig } from '../../config/types.js';

export const DEFAULT_KEX = [
  'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
  'diffie-hellman-group14-sha256', 'diffie-hellman-group16-sha512',
];
export const DEFAULT_CIPHERS = [
  'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr',
];
export const DEFAULT_MACS = ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512'];
/** Host key signature algorithms; `ssh-rsa` (SHA-1) only when a config list asks for it. */
export const DEFAULT_HOST_KEY_ALGOS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'];

/**
 * Group exchange is dropped even when configured: ssh2 advertises it but disconnects a client
 * that picks it (mscdex/ssh2#608).
 */
function withoutGex(list: string[]): string[] {
  return list.filter((n) => !n.startsWith('diffie-hellman-group-exchange-'));
}

export interface Algorithms {
  kex: string[];
  cipher: string[];
  hmac: string[];
  serverHostKey: string[];
  compress: string[];
}

export function buildAlgorithms(cfg: Pick<SftpdConfig, 'kex_algorithms' | 'ciphers' | 'macs'>): Algorithms {
  const kex = cfg.kex_algorithms.length > 0 ? [...cfg.kex_algorithms] : DEFAULT_KEX;
  return {
    kex: withoutGex(kex),
    cipher: cfg.ciphers.length > 0 ? [...cfg.ciphers] : DEFAULT_CIPHERS,
    hmac: cfg.macs.length > 0 ? [...cfg.macs] : DEFAULT_MACS,
    serverHostKey: DEFAULT_HOST_KEY_ALGOS,
    compress: ['none'],
  };
}
