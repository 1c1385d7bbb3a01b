/**
 * The telemetry server (INVENTORY §2.7, §9.2): `/healthz` -> "ok" (never authenticated), `/metrics`
 * in Prometheus text format, optional htpasswd Basic auth (realm "SFTPGo telemetry"), optional TLS.
 * The profiler is not available (Go's pprof has no Node equivalent here): /debug/pprof answers 501.
 */
import { resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { AppContext } from '../../app/context.js';
import { HttpListener, type ListenerAddress } from '../http/listener.js';
import { loadSecureContext, loadTlsOptions } from '../http/tls.js';
import { loadHtpasswd, type Htpasswd } from './htpasswd.js';

export interface TelemetryServer {
  readonly name: 'telemetry';
  start(opts?: { ephemeral?: boolean }): Promise<void>;
  stop(graceMs: number): Promise<void>;
  addresses(): ListenerAddress[];
  /** SIGHUP: reload TLS material and the htpasswd file. */
  reload(): Promise<void>;
}

/** True when telemetry listens at all (port > 0 or a Unix socket path). */
export function telemetryEnabled(app: AppContext): boolean {
  const t = app.config.telemetry;
  return t.bind_port > 0 || t.bind_address.startsWith('/');
}

export function createTelemetryServer(app: AppContext, registry: Registry): TelemetryServer {
  const cfg = app.config.telemetry;
  const logger = app.logger.child({ sender: 'telemetry' });
  const tlsFiles = { certificateFile: cfg.certificate_file, keyFile: cfg.certificate_key_file, cipherSuites: cfg.tls_cipher_suites };
  const useTls = Boolean(cfg.certificate_file && cfg.certificate_key_file);
  const state: { listener?: HttpListener; auth?: Htpasswd } = {};
  const loadAuth = async () => {
    state.auth = cfg.auth_user_file ? await loadHtpasswd(resolve(app.configDir, cfg.auth_user_file), (p, h) => app.data.verifyPassword(p, h)) : undefined;
  };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res, registry, state.auth).catch((err: unknown) => {
      logger.error({ err }, 'telemetry request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  return {
    name: 'telemetry',
    async start(opts = {}) {
      await loadAuth();
      if (cfg.enable_profiler) logger.warn('enable_profiler: the profiler is not supported, /debug/pprof answers 501');
      const tls = useTls ? await loadTlsOptions(app.configDir, tlsFiles) : undefined;
      const listener = new HttpListener(handler, tls);
      const unix = cfg.bind_address.startsWith('/');
      await listener.listen(cfg.bind_address, opts.ephemeral && !unix ? 0 : cfg.bind_port);
      state.listener = listener;
    },
    async stop(graceMs) {
      await state.listener?.close(graceMs);
      state.listener = undefined;
    },
    addresses: () => (state.listener ? [state.listener.address()] : []),
    async reload() {
      await loadAuth();
      if (state.listener?.tls) (state.listener.server as import('node:https').Server).setSecureContext(await loadSecureContext(app.configDir, tlsFiles));
    },
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, registry: Registry, auth: Htpasswd | undefined): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok');
  if (path === '/metrics') {
    if (auth && !(await authorized(req, auth))) {
      res.setHeader('WWW-Authenticate', 'Basic realm="SFTPGo telemetry"');
      return send(res, 401, 'text/plain; charset=utf-8', 'Unauthorized');
    }
    return send(res, 200, registry.contentType, await registry.metrics());
  }
  if (path?.startsWith('/debug/pprof')) return send(res, 501, 'text/plain; charset=utf-8', 'not supported: profiler');
  return send(res, 404, 'text/plain; charset=utf-8', 'Not Found');
}

async function authorized(req: IncomingMessage, auth: Htpasswd): Promise<boolean> {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const idx = decoded.indexOf(':');
  return idx > 0 && auth.verify(decoded.slice(0, idx), decoded.slice(idx + 1));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(isHead(res) ? undefined : body);
}

function isHead(res: ServerResponse): boolean {
  return res.req?.method === 'HEAD';
}
