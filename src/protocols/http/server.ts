/**
 * The HTTP service (REST API; web UIs answer 501 until they are built): one listener per
 * configured httpd binding, sharing one token key, schema validator and backups dir.
 */
import { resolve } from 'node:path';
import type { AppContext } from '../../app/context.js';
import type { HttpdBinding } from '../../config/types.js';
import { createKoaApp } from './app.js';
import { HttpListener, type ListenerAddress } from './listener.js';
import { loadSecureContext, loadTlsOptions, type TlsFiles } from './tls.js';
import { TokenManager } from './tokens.js';
import type { ApiDeps, ServicesStatusSource } from './types.js';
import { SchemaValidator } from './validate.js';

export interface HttpServerOptions {
  /** Protocol listener status for GET /status (app fills it in). */
  servicesStatus?: () => ServicesStatusSource;
  /** Token signer/verifier; a new one (fresh random key) when absent. Tests pass one with a clock. */
  tokens?: TokenManager;
}

export interface HttpServer {
  readonly name: 'HTTP';
  /** `ephemeral`: bind every TCP binding on port 0 (tests). */
  start(opts?: { ephemeral?: boolean }): Promise<void>;
  stop(graceMs: number): Promise<void>;
  addresses(): ListenerAddress[];
  /** SIGHUP: reload TLS certificates and CRLs. */
  reload(): Promise<void>;
  /** Shared pieces, exposed for tests. */
  readonly deps: ApiDeps;
}

/** True when a binding listens at all: a port > 0 or an absolute Unix socket path. */
export function bindingEnabled(b: HttpdBinding): boolean {
  return b.port > 0 || b.address.startsWith('/');
}

export function createHttpServer(app: AppContext, opts: HttpServerOptions = {}): HttpServer {
  const cfg = app.config.httpd;
  const logger = app.logger.child({ sender: 'httpd', protocol: 'HTTP' });
  const deps: ApiDeps = {
    app, tokens: opts.tokens ?? new TokenManager(), schemas: new SchemaValidator(),
    backupsPath: resolve(app.configDir, cfg.backups_path || 'backups'),
    servicesStatus: opts.servicesStatus ?? (() => ({})),
  };
  const tlsFiles = (b: HttpdBinding): TlsFiles => ({
    certificateFile: cfg.certificate_file, keyFile: cfg.certificate_key_file,
    caFiles: cfg.ca_certificates, crlFiles: cfg.ca_revocation_lists, clientAuthType: b.client_auth_type,
  });
  const listeners: { listener: HttpListener; binding: HttpdBinding }[] = [];
  return {
    name: 'HTTP',
    deps,
    async start(startOpts = {}) {
      for (const binding of cfg.bindings.filter(bindingEnabled)) {
        if (binding.enable_web_admin || binding.enable_web_client) {
          logger.warn({ address: binding.address, port: binding.port }, 'web admin/client not supported yet: /web/* answers 501');
        }
        const tls = binding.enable_https ? await loadTlsOptions(app.configDir, tlsFiles(binding)) : undefined;
        const koa = createKoaApp(app, deps, binding, logger);
        const listener = new HttpListener(koa.callback(), tls);
        const port = startOpts.ephemeral && !binding.address.startsWith('/') ? 0 : binding.port;
        await listener.listen(binding.address, port);
        listeners.push({ listener, binding });
        logger.info({ url: listener.address().url }, 'HTTP server listening');
      }
    },
    async stop(graceMs) {
      await Promise.all(listeners.splice(0).map(({ listener }) => listener.close(graceMs)));
    },
    addresses: () => listeners.map(({ listener }) => listener.address()),
    async reload() {
      for (const { listener, binding } of listeners) {
        if (!listener.tls) continue;
        const ctx = await loadSecureContext(app.configDir, tlsFiles(binding));
        (listener.server as import('node:https').Server).setSecureContext(ctx);
      }
    },
  };
}
