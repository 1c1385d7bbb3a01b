/**
 * The WebDAV service (`webdavd`): one node:http(s) listener per binding with a port, sharing the
 * lock table, the dead property store, the users cache and the MIME cache. Timeouts follow
 * SFTPGo's server (headers 30 s, idle keep-alive 60 s), except that a request body may take as
 * long as it needs while data keeps flowing: a 1 GiB upload must not hit a whole-request deadline.
 */
import type { Server as HttpsServer } from 'node:https';
import type { AppContext } from '../../app/context.js';
import type { WebdavdBinding } from '../../config/types.js';
import { HttpListener, type ListenerAddress } from '../http/listener.js';
import { DeadProps } from './dead-props.js';
import { createDavHandler } from './handler.js';
import { LockManager } from './locks.js';
import { MimeTypes } from './mime.js';
import { davTlsOptions, loadDavSecureContext, type DavTlsFiles } from './tls.js';
import type { DavDeps } from './types.js';
import { UserCache } from './user-cache.js';

/** Socket inactivity after which a connection is dropped (SFTPGo's read/write/idle timeouts). */
const IDLE_MS = 60_000;
const HEADERS_MS = 30_000;

/** Structurally the app's ManagedService (protocols do not import app). */
export interface WebDavServer {
  readonly name: 'WebDAV';
  /** `ephemeral`: every binding on port 0 (tests). */
  start(opts?: { ephemeral?: boolean }): Promise<void>;
  /** Stops listening; in-flight requests get up to `graceMs`. */
  stop(graceMs: number): Promise<void>;
  addresses(): ListenerAddress[];
  /** SIGHUP: reload certificates, CAs and CRLs. */
  reload(): Promise<void>;
  /** Shared state, exposed for tests. */
  readonly deps: DavDeps;
}

/** Builds the WebDAV server of an app context (not started). */
export function createWebDavServer(app: AppContext): WebDavServer {
  const cfg = app.config.webdavd;
  const deps: DavDeps = {
    app,
    logger: app.logger.child({ sender: 'webdavd', protocol: 'DAV' }),
    locks: new LockManager(),
    props: new DeadProps(app.provider.davProps),
    mime: new MimeTypes(cfg.cache.mime_types.enabled, cfg.cache.mime_types.max_size),
    users: new UserCache(cfg.cache.users.expiration_time, cfg.cache.users.max_size),
  };
  const tlsFiles: DavTlsFiles = {
    certificateFile: cfg.certificate_file, keyFile: cfg.certificate_key_file,
    caFiles: cfg.ca_certificates, crlFiles: cfg.ca_revocation_lists,
  };
  const listeners: { listener: HttpListener; binding: WebdavdBinding }[] = [];
  return {
    name: 'WebDAV',
    deps,
    async start(opts = {}) {
      try {
        for (const binding of cfg.bindings.filter((b) => b.port > 0)) {
          const tls = binding.enable_https
            ? await davTlsOptions(app.configDir, tlsFiles, binding.client_auth_type, binding.tls_cipher_suites)
            : undefined;
          const listener = new HttpListener(createDavHandler(deps, binding), tls);
          tune(listener);
          await listener.listen(binding.address, opts.ephemeral ? 0 : binding.port);
          listeners.push({ listener, binding });
          deps.logger.info({ url: listener.address().url, prefix: binding.prefix }, 'WebDAV server listening');
        }
      } catch (err) {
        await Promise.all(listeners.splice(0).map(({ listener }) => listener.close(0)));
        throw err;
      }
    },
    async stop(graceMs) {
      await Promise.all(listeners.splice(0).map(({ listener }) => listener.close(graceMs)));
    },
    addresses: () => listeners.map(({ listener }) => listener.address()),
    async reload() {
      for (const { listener, binding } of listeners) {
        if (!listener.tls) continue;
        (listener.server as HttpsServer).setSecureContext(await loadDavSecureContext(app.configDir, tlsFiles, binding.tls_cipher_suites));
      }
    },
  };
}

function tune(listener: HttpListener): void {
  const s = listener.server;
  s.headersTimeout = HEADERS_MS;
  s.requestTimeout = 0;
  s.keepAliveTimeout = IDLE_MS;
  s.setTimeout(IDLE_MS);
  s.maxHeadersCount = 200;
  // Our handlers answer Expect: 100-continue themselves, once they know the request is acceptable.
  s.on('checkContinue', (req, res) => s.emit('request', req, res));
}
