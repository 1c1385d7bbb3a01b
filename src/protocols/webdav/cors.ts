/**
 * CORS for the WebDAV service (`webdavd.cors`), with the defaults of the Go library SFTPGo uses
 * (rs/cors): no allowed origins means every origin; no allowed methods means GET, POST, HEAD;
 * no allowed headers means Origin, Accept, Content-Type, X-Requested-With. Preflight requests get
 * their headers and then continue to our OPTIONS answer (SFTPGo sets OptionsPassthrough).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsConfig } from '../../config/types.js';

const DEFAULT_METHODS = ['GET', 'POST', 'HEAD'];
const DEFAULT_HEADERS = ['Origin', 'Accept', 'Content-Type', 'X-Requested-With'];

function originAllowed(cfg: CorsConfig, origin: string): boolean {
  if (cfg.allowed_origins.length === 0) return true;
  return cfg.allowed_origins.some((o) => {
    if (o === '*') return true;
    const star = o.indexOf('*');
    if (star < 0) return o.toLowerCase() === origin.toLowerCase();
    // One wildcard, as rs/cors: "https://*.example.com".
    return origin.length >= o.length - 1 && origin.startsWith(o.slice(0, star)) && origin.endsWith(o.slice(star + 1));
  });
}

/** Adds the CORS response headers for this request, when CORS is on and the origin allowed. */
export function applyCors(cfg: CorsConfig, req: IncomingMessage, res: ServerResponse): void {
  if (!cfg.enabled) return;
  const origin = req.headers.origin;
  res.appendHeader('Vary', 'Origin');
  if (!origin || !originAllowed(cfg, origin)) return;
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  const extra = preflight ? preflightHeaders(cfg, req) : exposeHeaders(cfg);
  if (!extra) return;
  const anyOrigin = cfg.allowed_origins.length === 0 || cfg.allowed_origins.includes('*');
  res.setHeader('Access-Control-Allow-Origin', anyOrigin && !cfg.allow_credentials ? '*' : origin);
  if (cfg.allow_credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
}

function exposeHeaders(cfg: CorsConfig): Record<string, string> {
  return cfg.exposed_headers.length ? { 'Access-Control-Expose-Headers': cfg.exposed_headers.join(', ') } : {};
}

/** Headers answering a preflight, or undefined when the method or a header is not allowed. */
function preflightHeaders(cfg: CorsConfig, req: IncomingMessage): Record<string, string> | undefined {
  const methods = (cfg.allowed_methods.length ? cfg.allowed_methods : DEFAULT_METHODS).map((m) => m.toUpperCase());
  const wanted = String(req.headers['access-control-request-method']).toUpperCase();
  if (!methods.includes(wanted) && wanted !== 'OPTIONS') return undefined;
  const allowedHeaders = cfg.allowed_headers.length ? cfg.allowed_headers : DEFAULT_HEADERS;
  const requested = String(req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const lower = allowedHeaders.map((h) => h.toLowerCase());
  if (!lower.includes('*') && requested.some((h) => !lower.includes(h.toLowerCase()))) return undefined;
  const out: Record<string, string> = { 'Access-Control-Allow-Methods': wanted };
  if (requested.length) out['Access-Control-Allow-Headers'] = requested.join(', ');
  if (cfg.max_age > 0) out['Access-Control-Max-Age'] = String(cfg.max_age);
  return out;
}
