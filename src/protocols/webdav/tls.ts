/**
 * TLS of the WebDAV bindings: certificate and key, CAs and CRLs for client certificates
 * (client_auth_type 1 requires and verifies one, 2 verifies one when given), TLS 1.2 at least as
 * SFTPGo, and `tls_cipher_suites` given with Go's names (as in SFTPGo's config) mapped to
 * OpenSSL's (util/tls-ciphers.ts; an unknown name is refused at config load).
 */
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { loadSecureContext } from '../http/tls.js';

/** The `webdavd` TLS files (paths relative to the config dir). */
export interface DavTlsFiles {
  certificateFile: string;
  keyFile: string;
  caFiles: readonly string[];
  crlFiles: readonly string[];
}

/** Certificate, key, CAs, CRLs, minimum version and a binding's ciphers (what SIGHUP reloads). */
export function loadDavSecureContext(configDir: string, files: DavTlsFiles, suites: readonly string[]): Promise<SecureContextOptions> {
  return loadSecureContext(configDir, {
    certificateFile: files.certificateFile, keyFile: files.keyFile, caFiles: files.caFiles, crlFiles: files.crlFiles, cipherSuites: suites,
  });
}

/** Server TLS options of one binding. */
export async function davTlsOptions(configDir: string, files: DavTlsFiles, clientAuthType: number, suites: readonly string[]): Promise<TlsOptions> {
  const ctx = await loadDavSecureContext(configDir, files, suites);
  return {
    ...ctx,
    requestCert: clientAuthType === 1 || clientAuthType === 2, rejectUnauthorized: clientAuthType === 1,
  };
}
