/**
 * `tls_cipher_suites` (ftpd, webdavd and httpd bindings, telemetry) use Go's crypto/tls suite
 * names, as SFTPGo's config does; node:tls wants OpenSSL names. SFTPGo looks names up in Go's
 * `tls.CipherSuites()` (the secure list) and silently drops anything else; we refuse any other
 * name at config load, so a typo or an insecure suite (3DES, RC4, CBC-SHA256) is never served or
 * ignored unnoticed. Go does not let TLS 1.3 suites be configured (they are always on): listing
 * them is accepted and has no effect, and the default TLS 1.3 suites always stay enabled.
 */
import { DEFAULT_CIPHERS } from 'node:tls';

/** Go's `tls.CipherSuites()` names (TLS 1.0-1.2) -> OpenSSL names. */
const TLS12: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
};

/** Go's TLS 1.3 suite names (same as IANA/OpenSSL). */
const TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

/** Every name a `tls_cipher_suites` list may hold. */
export const GO_CIPHER_SUITE_NAMES: readonly string[] = [...Object.keys(TLS12), ...TLS13];

/** The names of `list` that are not Go secure suite names. */
export function unknownCipherSuites(list: readonly string[]): string[] {
  return list.filter((n) => !GO_CIPHER_SUITE_NAMES.includes(n));
}

/**
 * The OpenSSL cipher string for Go suite names; undefined for an empty list (library defaults).
 * Unknown names are a config error reported at load; here they would be a programming error.
 */
export function opensslCiphers(goNames: readonly string[]): string | undefined {
  if (goNames.length === 0) return undefined;
  const bad = unknownCipherSuites(goNames);
  if (bad.length) throw new Error(`unknown TLS cipher suites ${bad.join(', ')}`);
  const tls13 = DEFAULT_CIPHERS.split(':').filter((n) => n.startsWith('TLS_'));
  const tls12 = [...new Set(goNames.filter((n) => n in TLS12).map((n) => TLS12[n]!))];
  return [...tls13, ...tls12].join(':');
}
