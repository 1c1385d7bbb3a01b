/**
 * TLS material of the FTP service (INVENTORY §2.3, §3.4): certificate and key files, CA
 * certificates and CRLs for client certificates, per-binding cipher suites given with Go's names
 * (SFTPGo's config format) and TLS 1.2 as the minimum. Reloaded on SIGHUP.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Socket } from 'node:net';
import { createSecureContext, createServer, type SecureContext, type Server, type TLSSocket, type TLSSocketOptions } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { FtpdBinding, FtpdConfig } from '../../config/types.js';
import { invalidInput } from '../../util/errors.js';

/** Certificate material loaded from the ftpd section. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer[];
  crl: Buffer[];
}

async function readConfigured(configDir: string, file: string, what: string): Promise<Buffer> {
  const path = resolve(configDir, file);
  try {
    return await readFile(path);
  } catch (err) {
    throw invalidInput(`FTP: cannot read ${what} "${path}": ${(err as Error).message}`);
  }
}

/** Loads the ftpd TLS files; undefined when no certificate is configured (plain FTP only). */
export async function loadTlsMaterial(cfg: FtpdConfig, configDir: string): Promise<TlsMaterial | undefined> {
  if (!cfg.certificate_file && !cfg.certificate_key_file) return undefined;
  if (!cfg.certificate_file || !cfg.certificate_key_file) {
    throw invalidInput('FTP: certificate_file and certificate_key_file must be set together');
  }
  return {
    cert: await readConfigured(configDir, cfg.certificate_file, 'certificate file'),
    key: await readConfigured(configDir, cfg.certificate_key_file, 'certificate key file'),
    ca: await Promise.all(cfg.ca_certificates.map((f) => readConfigured(configDir, f, 'CA certificate'))),
    crl: await Promise.all(cfg.ca_revocation_lists.map((f) => readConfigured(configDir, f, 'CA revocation list'))),
  };
}

/** Handshake time limit for control connections (data connections use the data timeout). */
const HANDSHAKE_TIMEOUT_MS = 20_000;

/**
 * The TLS settings of one binding. Control connections are upgraded through a `tls.Server` that
 * never listens: accepted sockets are injected into it (the documented 'connection' event), because
 * only `tls.Server` computes `authorized` for client certificates; a bare server-side TLSSocket
 * leaves it false. Data connections use plain server-side TLSSockets (no client certificate).
 */
export class BindingTls {
  private readonly dataContext: SecureContext;
  /** 0 none, 1 require and verify, 2 verify if given. */
  readonly clientAuth: number;
  private readonly server: Server;
  private readonly pending = new Map<string, (s: TLSSocket) => void>();

  constructor(material: TlsMaterial, binding: FtpdBinding, ciphers: string | undefined) {
    this.clientAuth = binding.client_auth_type;
    const opts = {
      cert: material.cert, key: material.key, minVersion: 'TLSv1.2' as const,
      ...(ciphers ? { ciphers } : {}),
      ...(material.ca.length ? { ca: material.ca } : {}),
      ...(material.crl.length ? { crl: material.crl } : {}),
    };
    this.dataContext = createSecureContext({ ...opts, maxVersion: 'TLSv1.2' });
    this.server = createServer({ ...opts, requestCert: this.clientAuth !== 0, rejectUnauthorized: false, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
    this.server.on('secureConnection', (s: TLSSocket) => {
      const key = socketKey(s);
      const done = this.pending.get(key);
      this.pending.delete(key);
      if (done) done(s);
      else s.destroy();
    });
    this.server.on('tlsClientError', (_err, s: TLSSocket) => s.destroy());
  }

  /**
   * Runs the server handshake on an accepted socket (implicit TLS, or AUTH TLS after the 234 reply
   * was written in the same tick) and applies the client-certificate policy.
   */
  upgrade(raw: Socket): Promise<TLSSocket> {
    const key = socketKey(raw);
    return new Promise((resolve, reject) => {
      const onClose = () => {
        this.pending.delete(key);
        reject(new Error('connection closed during the TLS handshake'));
      };
      raw.once('close', onClose);
      this.pending.set(key, (tls) => {
        raw.off('close', onClose);
        try {
          this.verifyPeer(tls);
          resolve(tls);
        } catch (err) {
          tls.destroy();
          reject(err);
        }
      });
      this.server.emit('connection', raw);
    });
  }

  /**
   * Options for data connections (no client certificate: the client proved itself on the control
   * channel). TLS 1.2 at most: a TLS 1.3 server sends NewSessionTicket records after the
   * handshake, which an uploading client never reads; lftp then drops the upload and other
   * clients reset the connection with unread data, losing the end of the file (curl#6149).
   */
  dataOptions(): TLSSocketOptions {
    return { secureContext: this.dataContext, requestCert: false, rejectUnauthorized: false };
  }

  /** Client certificate policy: mode 1 needs a verified certificate, mode 2 refuses an unverified one. */
  private verifyPeer(sock: TLSSocket): void {
    if (this.clientAuth === 0) return;
    const presented = sock.getPeerX509Certificate() !== undefined;
    if (this.clientAuth === 1 && !presented) throw invalidInput('a TLS client certificate is required');
    if (presented && !sock.authorized) {
      throw invalidInput(`TLS client certificate refused: ${String(sock.authorizationError)}`);
    }
  }
}

/** Identifies a connection across its raw and TLS sockets (unique per live TCP connection). */
function socketKey(s: Socket): string {
  return `${s.remoteAddress}|${s.remotePort}|${s.localPort}`;
}

/** The verified client certificate of a control connection, when mutual TLS is on. */
export function verifiedPeerCertificate(sock: TLSSocket, clientAuth: number): X509Certificate | undefined {
  if (clientAuth === 0 || !sock.authorized) return undefined;
  return sock.getPeerX509Certificate();
}
