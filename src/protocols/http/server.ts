/**
 * The HTTP service (REST API, web admin, web client): one listener per configured httpd binding,
 * sharing one token key, CSRF key, schema validator and backups dir.
 */
import { resolve } from 'node:path';
import type { AppContext } from '../../app/context.js';
import type { HttpdBinding } from '../../config/types.js';
import type { Logger } from 'pino';
import { createKoaApp, type WebShared } from './app.js';
import { HttpListener, type ListenerAddress } from './listener.js';
import { loadSecureContext, loadTlsOptions, type TlsFiles } from './tls.js';
import { TokenManager } from './tokens.js';
import type { ApiDeps, ServicesStatusSource } from './types.js';
import { SchemaValidator } from './validate.js';
import { CsrfTokens } from './web/csrf.js';
import { webPaths } from './web/paths.js';
import { staticDirOf } from './web/static.js';

export interface HttpServerOptions {
  /** Protocol listener status for GET /status (app fills it in). */
  servicesStatus?: () => ServicesStatusSource;
  /** Token signer/verifier; a new one (fresh random key) when absent. Tests pass one with a clock. */
  tokens?: TokenManager;
  /** CSRF signer of the web forms; a new one (its own random key) when absent. */
  csrf?: CsrfTokens;
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

/** The templates_path SFTPGo ships as default: anything else was set on purpose and is ignored here. */
const DEFAULT_TEMPLATES_PATH = 'templates';

/**
 * Shared web UI pieces, resolved once at start. Our pages are built in (typed TypeScript
 * templates): SFTPGo's Go templates cannot be reused, so a non-default templates_path is ignored
 * with a warning; static_files_path, when it is a directory, may override our embedded assets.
 */
async function webShared(app: AppContext, logger: Logger, csrf: CsrfTokens): Promise<WebShared> {
  const cfg = app.config.httpd;
  const staticDir = await staticDirOf(app.configDir, cfg.static_files_path);
  if (cfg.templates_path && cfg.templates_path !== DEFAULT_TEMPLATES_PATH) {
    logger.warn({ templates_path: cfg.templates_path },
      'httpd.templates_path is ignored: the web admin and web client pages are built in, SFTPGo Go templates cannot be used');
  }
  logger.info({ static_files_path: staticDir ?? null }, staticDir
    ? 'web UIs: files in static_files_path override the embedded assets of the same name'
    : 'web UIs: serving the embedded static assets');
  return { csrf, paths: webPaths(cfg.web_root), staticDir };
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
    cipherSuites: b.tls_cipher_suites,
  });
  const listeners: { listener: HttpListener; binding: HttpdBinding }[] = [];
  const csrf = opts.csrf ?? new CsrfTokens();
  return {
    name: 'HTTP',
    deps,
    async start(startOpts = {}) {
      const bindings = cfg.bindings.filter(bindingEnabled);
      const anyWeb = bindings.some((b) => b.enable_web_admin || b.enable_web_client);
      const web = anyWeb ? await webShared(app, logger, csrf) : { csrf, paths: webPaths(cfg.web_root), staticDir: undefined };
      for (const binding of bindings) {
        const tls = binding.enable_https ? await loadTlsOptions(app.configDir, tlsFiles(binding)) : undefined;
        const koa = createKoaApp(app, deps, binding, logger, web);
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
