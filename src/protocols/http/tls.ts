/**
 * TLS options shared by the HTTP API and telemetry listeners: certificate/key files (relative to
 * the config dir), client certificates with CA and CRL when client_auth_type = 1, TLS 1.2 at
 * least (SFTPGo's minimum) and `tls_cipher_suites` given with Go's names.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { invalidInput } from '../../util/errors.js';
import { opensslCiphers } from '../../util/tls-ciphers.js';

export interface TlsFiles {
  certificateFile: string;
  keyFile: string;
  caFiles?: readonly string[];
  crlFiles?: readonly string[];
  /** 1: require and verify a client certificate. */
  clientAuthType?: number;
  /** Go cipher suite names (validated at config load); empty = library defaults. */
  cipherSuites?: readonly string[];
}

async function readRequired(configDir: string, file: string, what: string): Promise<Buffer> {
  if (!file) throw invalidInput(`HTTPS is enabled but no ${what} is configured`);
  const path = resolve(configDir, file);
  try {
    return await readFile(path);
  } catch (err) {
    throw invalidInput(`cannot read ${what} "${path}": ${(err as Error).message}`);
  }
}

/** Secure context material (also what SIGHUP reloads). */
export async function loadSecureContext(configDir: string, files: TlsFiles): Promise<SecureContextOptions> {
  const cert = await readRequired(configDir, files.certificateFile, 'certificate file');
  const key = await readRequired(configDir, files.keyFile, 'certificate key file');
  const ca = await Promise.all((files.caFiles ?? []).map((f) => readRequired(configDir, f, 'CA certificate')));
  const crl = await Promise.all((files.crlFiles ?? []).map((f) => readRequired(configDir, f, 'CA revocation list')));
  // minVersion and ciphers belong to the context: a SIGHUP reload replaces the whole context.
  const ciphers = opensslCiphers(files.cipherSuites ?? []);
  return {
    cert, key, minVersion: 'TLSv1.2', ...(ciphers ? { ciphers } : {}), ...(ca.length ? { ca } : {}), ...(crl.length ? { crl } : {}),
  };
}

/** Server TLS options including client certificate policy. */
export async function loadTlsOptions(configDir: string, files: TlsFiles): Promise<TlsOptions> {
  const ctx = await loadSecureContext(configDir, files);
  const mutual = files.clientAuthType === 1;
  return { ...ctx, requestCert: mutual, rejectUnauthorized: mutual };
}
