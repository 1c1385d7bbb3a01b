/**
 * TLS of the WebDAV bindings: certificate and key, CAs and CRLs for client certificates
 * (client_auth_type 1 requires and verifies one, 2 verifies one when given), TLS 1.2 at least as
 * SFTPGo, and `tls_cipher_suites` given with Go's names (as in SFTPGo's config) mapped to
 * OpenSSL's. An unknown suite name stops start-up with its name: silently dropping it would serve
 * something the admin did not configure.
 */
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { DEFAULT_CIPHERS } from 'node:tls';
import { invalidInput } from '../../util/errors.js';
import { loadSecureContext } from '../http/tls.js';

/** Go crypto/tls cipher suite names -> OpenSSL names (TLS 1.3 suites keep their IANA names). */
export const GO_CIPHER_SUITES: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_AES_128_GCM_SHA256: 'TLS_AES_128_GCM_SHA256',
  TLS_AES_256_GCM_SHA384: 'TLS_AES_256_GCM_SHA384',
  TLS_CHACHA20_POLY1305_SHA256: 'TLS_CHACHA20_POLY1305_SHA256',
};

/**
 * The OpenSSL cipher string for Go suite names; undefined for an empty list (library defaults).
 * Go never restricts TLS 1.3 suites, so when only TLS 1.2 suites are listed the default TLS 1.3
 * ones stay on.
 */
export function cipherList(goNames: readonly string[]): string | undefined {
  if (goNames.length === 0) return undefined;
  const unknown = goNames.filter((n) => !Object.hasOwn(GO_CIPHER_SUITES, n));
  if (unknown.length) throw invalidInput(`unsupported TLS cipher suite(s): ${unknown.join(', ')}`);
  const names = [...new Set(goNames.map((n) => GO_CIPHER_SUITES[n]!))];
  if (!names.some((n) => n.startsWith('TLS_'))) names.unshift(...DEFAULT_CIPHERS.split(':').filter((n) => n.startsWith('TLS_')));
  return names.join(':');
}

/** The `webdavd` TLS files (paths relative to the config dir). */
export interface DavTlsFiles {
  certificateFile: string;
  keyFile: string;
  caFiles: readonly string[];
  crlFiles: readonly string[];
}

/** Certificate, key, CAs and CRLs (what SIGHUP reloads). */
export function loadDavSecureContext(configDir: string, files: DavTlsFiles): Promise<SecureContextOptions> {
  return loadSecureContext(configDir, { certificateFile: files.certificateFile, keyFile: files.keyFile, caFiles: files.caFiles, crlFiles: files.crlFiles });
}

/** Server TLS options of one binding. */
export async function davTlsOptions(configDir: string, files: DavTlsFiles, clientAuthType: number, suites: readonly string[]): Promise<TlsOptions> {
  const ctx = await loadDavSecureContext(configDir, files);
  const ciphers = cipherList(suites);
  return {
    ...ctx, minVersion: 'TLSv1.2', ...(ciphers ? { ciphers } : {}),
    requestCert: clientAuthType === 1 || clientAuthType === 2, rejectUnauthorized: clientAuthType === 1,
  };
}
